import Foundation

// The blocks of a form: fields drawn for a pen (tick boxes, one box per digit, writing lines), notes,
// page titles, the consent statement and the volunteer's boxes. Each is measured once when the form is
// planned and drawn into the stamps of the page sides it is on.

extension FormRenderer {
    /// The blocks of one template page, and the title repeated when the page continues on another sheet.
    struct SheetGroup {
        var blocks: [FormBlock]
        var continued: FormBlock?
    }

    private var left: Double { FormMetrics.margin }
    private var width: Double { paper.width - 2 * FormMetrics.margin }

    // MARK: Parts

    /// The sensitive sheet: one group per template page, each page's title kept with its first field.
    func sensitiveGroups() -> [SheetGroup] {
        template.sensitivePages.map { page in
            let titles = wordings.map { text(page.title, $0.language) }
            var blocks = keepingNotesTogether(page.fields)
            if let title = titleBlock(titles), !blocks.isEmpty { blocks[0] = title.followed(by: blocks[0]) }
            let continued = titleBlock(
                zip(wordings, titles).map { wording, title in title.map { "\($0) \(wording.continued)" } })
            return SheetGroup(blocks: blocks, continued: continued)
        }
    }

    /// The blocks of `fields`, each note kept on the page of the question it is about: a note that opens a
    /// page (an introduction) with the question after it, any other note (an instruction such as "if yes,
    /// refer…") with the question before it.
    private func keepingNotesTogether(_ fields: [Field]) -> [FormBlock] {
        var blocks: [FormBlock] = []
        var leading: FormBlock?
        for field in fields {
            let block = fieldBlock(field)
            if field.kind == .note, let last = blocks.popLast() {
                blocks.append(last.followed(by: block, name: last.name))
            } else if field.kind == .note {
                leading = leading.map { $0.followed(by: block) } ?? block
            } else {
                blocks.append(leading.map { $0.followed(by: block) } ?? block)
                leading = nil
            }
        }
        if let leading { blocks.append(leading) }
        return blocks
    }

    /// The identity slip: the consent statement, the consent question (the template's, else a tick box),
    /// the identity fields, and the volunteer's initials and date.
    ///
    /// The consent question comes right after the statement it is about, before anything about the person
    /// is written down.
    func slipBlocks() -> [FormBlock] {
        let consentFields = template.identity.filter { $0.purpose == "consent" || $0.name == "consent" }
        var blocks = [consentBlock()]
        if consentFields.isEmpty {
            blocks.append(
                flow([tickItem(wordings.map { ($0, $0.consentGiven) })], name: "consent", after: FormMetrics.fieldGap))
        } else {
            blocks += consentFields.map { fieldBlock($0) }
        }
        blocks += template.identity.filter { field in !consentFields.contains { $0.name == field.name } }
            .map { fieldBlock($0) }
        blocks.append(volunteerBlock())
        return blocks
    }

    // MARK: Fields

    /// A field: its label (and hint) in every language, then where the answer is written.
    func fieldBlock(_ field: Field) -> FormBlock {
        if field.kind == .note { return noteBlock(field) }
        if case .text(let maxLength) = field.kind, (maxLength ?? 0) <= 60, field.hint.isEmpty, !isSignature(field) {
            return inlineLine(field)
        }
        let label = columnBlock(
            name: field.name, wordings.map { text(field.label, $0.language) ?? field.name },
            size: FormMetrics.labelSize,
            weight: .bold, left: left, width: width)
        var hints = wordings.map { text(field.hint, $0.language) }
        if case .selectMultiple = field.kind {
            hints = zip(wordings, hints).map { wording, hint in
                hint.map { "\($0) \(wording.tickAll)" } ?? wording.tickAll
            }
        }
        let hint = columnBlock(
            name: field.name, hints, size: FormMetrics.hintSize, italic: true, gray: 0.3, left: left, width: width)
        let answer = answerBlock(field)
        return stack(
            [label, hint, answer.map { spaced($0, before: Length.mm(0.8)) }], gap: Length.mm(0.8), name: field.name,
            after: FormMetrics.fieldGap)
    }

    /// Short text on one writing line, labelled at its ends: the first language's label on the form's side,
    /// the second language's on the other side.
    private func inlineLine(_ field: Field) -> FormBlock {
        let labelWidth = width * 0.4
        let labels = wordings.enumerated().map { index, wording in
            let edge: FormEdge = (index == 0) == (self.edge == .left) ? .left : .right
            let text = text(field.label, wording.language) ?? field.name
            let style = style(wording, size: FormMetrics.labelSize, weight: .bold, edge: edge)
            let size = canvas.measure(text, width: labelWidth, style: style)
            return (text: text, style: style, edge: edge, size: size)
        }
        let labelHeight = labels.map(\.size.height).max() ?? 0
        let lift = Length.mm(1)
        let height = Swift.max(FormMetrics.writingLine, labelHeight + lift + Length.mm(0.5))
        let gap = Length.mm(2.5)
        return FormBlock(name: field.name, height: height + FormMetrics.fieldGap) { [canvas, left, width] y in
            let lineY = y + height - Length.mm(0.5)
            var start = left
            var end = left + width
            for label in labels {
                let textWidth = Swift.min(labelWidth, label.size.width + 0.5)
                let x = label.edge == .left ? left : left + width - textWidth
                // One-line labels of both languages share a baseline just above the line.
                let top =
                    label.size.lineCount == 1
                    ? lineY - Length.mm(1.6) - label.size.baseline : lineY - lift - label.size.height
                canvas.drawText(label.text, at: PagePoint(x: x, y: top), width: textWidth, style: label.style)
                if label.edge == .left { start = x + textWidth + gap } else { end = x - gap }
            }
            canvas.line(from: PagePoint(x: start, y: lineY), to: PagePoint(x: end, y: lineY), width: 0.5, gray: 0.45)
        }
    }

    /// `block` with `before` points of space above it.
    private func spaced(_ block: FormBlock, before: Double) -> FormBlock {
        FormBlock(name: block.name, height: block.height + before) { y in block.draw(y + before) }
    }

    private func answerBlock(_ field: Field) -> FormBlock? {
        switch field.kind {
        case .selectOne, .selectMultiple, .yesNo:
            return choiceGrid(template.choices(for: field)?.choices ?? [], name: field.name)
        case .date(let format):
            return flow([dateItem(format)], name: field.name)
        case .integer(let min, let max):
            let digits = Swift.max(max.map { String(abs($0)).count } ?? 4, min.map { String(abs($0)).count } ?? 1)
            return flow([boxesItem(digits + ((min ?? 0) < 0 ? 1 : 0))], name: field.name)
        case .decimal(let min, let max):
            let digits = Swift.max(
                max.map { String(Int(abs($0).rounded(.down))).count } ?? 4,
                min.map { String(Int(abs($0).rounded(.down))).count } ?? 1)
            let whole = boxesItem(digits + ((min ?? 0) < 0 ? 1 : 0))
            let separator = separatorItem(wordings[0].decimalSeparator)
            let fraction = boxesItem(2)
            let gap = Length.mm(1)
            // Left to right as digits are written, also on an Arabic-first form.
            let number = RowItem(
                width: whole.width + separator.width + fraction.width + 2 * gap, height: FormMetrics.digitHeight
            ) { origin in
                whole.draw(origin)
                separator.draw(PagePoint(x: origin.x + whole.width + gap, y: origin.y))
                fraction.draw(PagePoint(x: origin.x + whole.width + separator.width + 2 * gap, y: origin.y))
            }
            return flow([number], name: field.name)
        case .age:
            return flow(ageItems(), name: field.name)
        case .text(let maxLength):
            if isSignature(field) { return signatureBox(name: field.name) }
            let lines = maxLength.map { Swift.min(4, Swift.max(1, Int((Double($0) / 60).rounded(.up)))) } ?? 1
            return writingLines(lines, name: field.name)
        case .note:
            return nil
        }
    }

    /// Whether a field is the person's signature (by its name or its label): printed as a box, and only
    /// because the template asks for it.
    private func isSignature(_ field: Field) -> Bool {
        if TemplateKeywords.identityMatch(fieldName: field.name)?.kind == .signature { return true }
        return field.label.values.contains { language, label in
            TemplateKeywords.identityMatch(label, language: language)?.kind == .signature
        }
    }

    /// An instruction: its text on a light grey background, collecting nothing.
    private func noteBlock(_ field: Field) -> FormBlock {
        let pad = Length.mm(2)
        let inner = stack(
            [
                columnBlock(
                    name: field.name, wordings.map { text(field.label, $0.language) }, size: 8.5,
                    left: left + pad, width: width - 2 * pad),
                columnBlock(
                    name: field.name, wordings.map { text(field.hint, $0.language) }, size: FormMetrics.hintSize,
                    italic: true, gray: 0.25, left: left + pad, width: width - 2 * pad),
            ], gap: Length.mm(1), name: field.name)
        let box = inner.height + 2 * pad
        return FormBlock(name: field.name, height: box + FormMetrics.fieldGap) { [canvas, left, width] y in
            canvas.fillRectangle(PageRect(x: left, y: y, width: width, height: box), gray: 0.92)
            inner.draw(y + pad)
        }
    }

    /// A template page's title, underlined; nil when the page has none.
    private func titleBlock(_ titles: [String?]) -> FormBlock? {
        guard
            let text = columnBlock(
                name: "title", titles, size: FormMetrics.titleSize - 0.5, weight: .bold, left: left, width: width)
        else { return nil }
        let rule = Length.mm(1.2)
        return FormBlock(name: "title", height: text.height + rule + Length.mm(2.5)) { [canvas, left, width] y in
            text.draw(y)
            let lineY = y + text.height + rule
            canvas.line(
                from: PagePoint(x: left, y: lineY), to: PagePoint(x: left + width, y: lineY), width: 0.4, gray: 0.4)
        }
    }

    // MARK: Choices

    /// A tick box per choice, labelled in every language, in as many columns (up to four) as the longest
    /// label allows on one line; read down each column.
    private func choiceGrid(_ choices: [Choice], name: String) -> FormBlock {
        let gap = Length.mm(4)
        let pad = Length.mm(1.5)
        let labels = choices.map { choice in
            distinct(wordings.map { ($0, text(choice.label, $0.language) ?? choice.name) })
        }
        let styles = Dictionary(
            wordings.map { ($0.language, style($0, size: FormMetrics.choiceSize, edge: edge)) },
            uniquingKeysWith: { first, _ in first })
        func cellTextWidth(_ columns: Int) -> Double {
            (width - gap * Double(columns - 1)) / Double(columns) - FormMetrics.tick - pad
        }
        let widest = labels.flatMap { $0 }.map { canvas.measure($0.1, style: styles[$0.0.language]!).width }.max() ?? 0
        var columns = 1
        for candidate in stride(from: Swift.min(4, Swift.max(1, choices.count)), through: 1, by: -1)
        where widest <= cellTextWidth(candidate) {
            columns = candidate
            break
        }
        if columns == 1 && widest > cellTextWidth(1) { columns = Swift.min(2, choices.count) }
        // A short list (a scale such as "no difficulty … cannot do at all") stays on one row, its labels
        // wrapped on two lines, rather than being read down two columns.
        if choices.count <= 5 && columns < choices.count {
            let narrow = cellTextWidth(choices.count)
            let fits = labels.flatMap { $0 }.allSatisfy {
                canvas.measure($0.1, width: narrow, style: styles[$0.0.language]!).lineCount <= 2
            }
            if fits { columns = choices.count }
        }
        let rows = (choices.count + columns - 1) / Swift.max(columns, 1)
        // Columns as wide as the longest label needs (at least 38 mm), not stretched across the page: short
        // lists such as yes / no stay together.
        let textWidth = Swift.min(cellTextWidth(columns), Swift.max(widest + 1, Length.mm(38) - FormMetrics.tick - pad))
        let cellWidth = textWidth + FormMetrics.tick + pad
        let heights = labels.map { texts in
            Swift.max(
                FormMetrics.tick,
                texts.map { canvas.measure($0.1, width: textWidth, style: styles[$0.0.language]!).height }
                    .reduce(0, +))
        }
        let rowGap = Length.mm(1.3)
        var rowHeights = Array(repeating: 0.0, count: rows)
        for index in choices.indices { rowHeights[index % rows] = Swift.max(rowHeights[index % rows], heights[index]) }
        let height = rowHeights.reduce(0, +) + rowGap * Double(Swift.max(0, rows - 1))
        let firstLine = canvas.measure("Ag", style: styles[wordings[0].language]!).height
        return FormBlock(name: name, height: height) { [canvas, left, width, edge] y in
            var rowTops: [Double] = []
            var top = y
            for rowHeight in rowHeights {
                rowTops.append(top)
                top += rowHeight + rowGap
            }
            for (index, texts) in labels.enumerated() {
                let column = Double(index / rows)
                let x =
                    edge == .left
                    ? left + column * (cellWidth + gap) : left + width - column * (cellWidth + gap) - cellWidth
                let cellTop = rowTops[index % rows]
                let boxX = edge == .left ? x : x + cellWidth - FormMetrics.tick
                canvas.tickBox(
                    at: PagePoint(x: boxX, y: cellTop + Swift.max(0, (firstLine - FormMetrics.tick) / 2)),
                    side: FormMetrics.tick)
                let textX = edge == .left ? x + FormMetrics.tick + pad : x
                var textY = cellTop
                for (wording, label) in texts {
                    textY +=
                        canvas.drawText(
                            label, at: PagePoint(x: textX, y: textY), width: textWidth,
                            style: styles[wording.language]!
                        ).height
                }
            }
        }
    }

    // MARK: Rows of boxes and words

    /// Items in a row from the form's side, wrapping onto further rows when the width is used up.
    func flow(_ items: [RowItem], name: String, gap: Double = Length.mm(2.5), after: Double = 0) -> FormBlock {
        var lines: [[RowItem]] = [[]]
        var used = 0.0
        for item in items {
            if !lines[lines.count - 1].isEmpty && used + gap + item.width > width {
                lines.append([])
                used = 0
            }
            used += (lines[lines.count - 1].isEmpty ? 0 : gap) + item.width
            lines[lines.count - 1].append(item)
        }
        let heights = lines.map { $0.map(\.height).max() ?? 0 }
        let lineGap = Length.mm(2)
        let height = heights.reduce(0, +) + lineGap * Double(lines.count - 1) + after
        return FormBlock(name: name, height: height) { [left, width, edge] y in
            var top = y
            for (line, lineHeight) in zip(lines, heights) {
                var x = edge == .left ? left : left + width
                for item in line {
                    if edge == .left {
                        item.draw(PagePoint(x: x, y: top))
                        x += item.width + gap
                    } else {
                        x -= item.width
                        item.draw(PagePoint(x: x, y: top))
                        x -= gap
                    }
                }
                top += lineHeight + lineGap
            }
        }
    }

    /// `count` adjacent boxes, one per digit.
    func boxesItem(_ count: Int) -> RowItem {
        RowItem(width: Double(count) * FormMetrics.digitWidth, height: FormMetrics.digitHeight) { [canvas] origin in
            canvas.digitBoxes(
                at: origin, count: count, boxWidth: FormMetrics.digitWidth, boxHeight: FormMetrics.digitHeight)
        }
    }

    /// Digit boxes with what goes in them written small underneath (day, month, year), in every language.
    private func captionedBoxes(_ count: Int, captions: [(FormWording, String)]) -> RowItem {
        let boxes = boxesItem(count)
        let styled = distinct(captions).map { ($0.1, style($0.0, size: FormMetrics.smallSize, gray: 0.35)) }
        let sizes = styled.map { canvas.measure($0.0, style: $0.1) }
        let itemWidth = Swift.max(boxes.width, sizes.map(\.width).max() ?? 0)
        let height = boxes.height + Length.mm(0.4) + sizes.map(\.height).reduce(0, +)
        return RowItem(width: itemWidth, height: height) { [canvas] origin in
            boxes.draw(PagePoint(x: origin.x + (itemWidth - boxes.width) / 2, y: origin.y))
            var y = origin.y + boxes.height + Length.mm(0.4)
            for ((text, style), size) in zip(styled, sizes) {
                canvas.drawText(
                    text, at: PagePoint(x: origin.x, y: y), width: itemWidth, style: style.aligned(.center))
                y += size.height
            }
        }
    }

    /// A separator between boxes (`/` in a date, the decimal separator), centred on the boxes.
    private func separatorItem(_ text: String) -> RowItem {
        let style = TextStyle(size: 13, direction: .leftToRight)
        let size = canvas.measure(text, style: style)
        return RowItem(width: size.width, height: FormMetrics.digitHeight) { [canvas] origin in
            canvas.drawText(
                text, at: PagePoint(x: origin.x, y: origin.y + (FormMetrics.digitHeight - size.height) / 2),
                style: style)
        }
    }

    /// Words in every language, one under the other, centred on a row of boxes.
    func wordsItem(_ texts: [(FormWording, String)], size: Double = 8) -> RowItem {
        let styled = distinct(texts).map { ($0.1, style($0.0, size: size, edge: edge)) }
        let sizes = styled.map { canvas.measure($0.0, style: $0.1) }
        let itemWidth = sizes.map(\.width).max() ?? 0
        let textHeight = sizes.map(\.height).reduce(0, +)
        return RowItem(width: itemWidth, height: Swift.max(FormMetrics.digitHeight, textHeight)) { [canvas] origin in
            var y = origin.y + Swift.max(0, (FormMetrics.digitHeight - textHeight) / 2)
            for ((text, style), size) in zip(styled, sizes) {
                canvas.drawText(text, at: PagePoint(x: origin.x, y: y), width: itemWidth + 0.5, style: style)
                y += size.height
            }
        }
    }

    /// A tick box with its words beside it (on the form's side of them).
    func tickItem(_ texts: [(FormWording, String)]) -> RowItem {
        let words = wordsItem(texts, size: FormMetrics.choiceSize)
        let pad = Length.mm(1.5)
        return RowItem(width: FormMetrics.tick + pad + words.width, height: words.height) { [canvas, edge] origin in
            let boxY = origin.y + (FormMetrics.digitHeight - FormMetrics.tick) / 2
            if edge == .left {
                canvas.tickBox(at: PagePoint(x: origin.x, y: boxY), side: FormMetrics.tick)
                words.draw(PagePoint(x: origin.x + FormMetrics.tick + pad, y: origin.y))
            } else {
                words.draw(origin)
                canvas.tickBox(at: PagePoint(x: origin.x + words.width + pad, y: boxY), side: FormMetrics.tick)
            }
        }
    }

    /// Boxes for a date in its declared format (e.g. DD / MM / YYYY), each group named underneath.
    ///
    /// One item, always left to right as the format is written, also on an Arabic-first form: the clerk
    /// types the boxes in the order they are printed.
    private func dateItem(_ format: DateFormat) -> RowItem {
        var parts: [RowItem] = []
        for (index, part) in format.order.enumerated() {
            if index > 0 { parts.append(separatorItem(String(format.separator))) }
            switch part {
            case .day: parts.append(captionedBoxes(2, captions: wordings.map { ($0, $0.day) }))
            case .month: parts.append(captionedBoxes(2, captions: wordings.map { ($0, $0.month) }))
            case .year: parts.append(captionedBoxes(4, captions: wordings.map { ($0, $0.year) }))
            }
        }
        let gap = Length.mm(1.5)
        let width = parts.map(\.width).reduce(0, +) + gap * Double(parts.count - 1)
        return RowItem(width: width, height: parts.map(\.height).max() ?? 0) { origin in
            var x = origin.x
            for part in parts {
                part.draw(PagePoint(x: x, y: origin.y))
                x += part.width + gap
            }
        }
    }

    /// Three boxes for whole years, or a tick box per age band when the age is not known.
    private func ageItems() -> [RowItem] {
        [boxesItem(3), wordsItem(wordings.map { ($0, $0.years) }), wordsItem(wordings.map { ($0, $0.orIfUnknown) })]
            + AgeBand.allCases.map { band in tickItem([(wordings[0], band.printed)]) }
    }

    /// `count` writing lines across the width.
    private func writingLines(_ count: Int, name: String) -> FormBlock {
        FormBlock(name: name, height: Double(count) * FormMetrics.writingLine) { [canvas, left, width] y in
            for index in 1...count {
                let lineY = y + Double(index) * FormMetrics.writingLine - Length.mm(0.5)
                canvas.line(
                    from: PagePoint(x: left, y: lineY), to: PagePoint(x: left + width, y: lineY), width: 0.5,
                    gray: 0.45)
            }
        }
    }

    /// A box to sign in.
    private func signatureBox(name: String) -> FormBlock {
        let boxWidth = Swift.min(width, Length.mm(90))
        let boxHeight = Length.mm(16)
        return FormBlock(name: name, height: boxHeight) { [canvas, left, width, edge] y in
            let x = edge == .left ? left : left + width - boxWidth
            canvas.strokeRectangle(PageRect(x: x, y: y, width: boxWidth, height: boxHeight), width: 0.6, gray: 0.3)
        }
    }

    // MARK: Consent and the volunteer

    /// The generated consent statement, one column per language, framed.
    private func consentBlock() -> FormBlock {
        let pad = Length.mm(2.5)
        let paragraphGap = Length.mm(0.9)
        let columns = columns(left: left + pad, width: width - 2 * pad)
        var drawn: [(x: Double, width: Double, items: [(String, TextStyle, Double)])] = []
        var height = 0.0
        for (column, statement) in zip(columns, consent) {
            var items: [(String, TextStyle, Double)] = []
            let titleStyle = style(column.wording, size: 8.5, weight: .bold)
            items.append(
                (
                    statement.title, titleStyle,
                    canvas.measure(statement.title, width: column.width, style: titleStyle).height
                ))
            let textStyle = style(column.wording, size: FormMetrics.consentSize)
            // A script laid out with its own line spacing (Arabic) loses it at the top of every separately
            // measured paragraph: its paragraphs go in one layout, one per line break, evenly spaced.
            let paragraphs =
                column.wording.lineSpacing > 0 ? [statement.paragraphs.joined(separator: "\n")] : statement.paragraphs
            for paragraph in paragraphs {
                items.append(
                    (paragraph, textStyle, canvas.measure(paragraph, width: column.width, style: textStyle).height))
            }
            height = Swift.max(
                height, items.map(\.2).reduce(0, +) + paragraphGap * Double(items.count - 1))
            drawn.append((column.x, column.width, items))
        }
        let box = height + 2 * pad
        return FormBlock(name: "consent", height: box + FormMetrics.fieldGap) { [canvas, left, width] y in
            canvas.strokeRectangle(PageRect(x: left, y: y, width: width, height: box), width: 0.5, gray: 0.4)
            for column in drawn {
                var top = y + pad
                for (text, style, height) in column.items {
                    canvas.drawText(text, at: PagePoint(x: column.x, y: top), width: column.width, style: style)
                    top += height + paragraphGap
                }
            }
        }
    }

    /// The volunteer's initials (three letter boxes) and the date the slip was filled, in the date format of
    /// the template's visit date.
    private func volunteerBlock() -> FormBlock {
        let format: DateFormat
        if case .date(let declared) = template.field(named: "visit_date")?.kind {
            format = declared
        } else {
            format = .dayMonthYear
        }
        let items =
            [wordsItem(wordings.map { ($0, $0.volunteerInitials) }), boxesItem(3)]
            + [wordsItem(wordings.map { ($0, $0.date) }), dateItem(format)]
        let row = flow(items, name: "volunteer")
        let above = Length.mm(2)
        return FormBlock(name: "volunteer", height: above + row.height + FormMetrics.fieldGap) {
            [canvas, left, width] y in
            canvas.line(
                from: PagePoint(x: left, y: y), to: PagePoint(x: left + width, y: y), width: 0.4, gray: 0.5)
            row.draw(y + above)
        }
    }
}
