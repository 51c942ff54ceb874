import Foundation

/// Sizes on a printed form, in points.
enum FormMetrics {
    /// Space left blank around the page: more than office printers need, less than wastes room.
    static let margin = Length.mm(12)
    /// Side of the QR square in a part's header, quiet zone included: a version-1 symbol (29 modules with
    /// its quiet zone) gets 2 pt modules (0.71 mm), a 28-symbol code's version-3 symbol 1.5 pt (0.53 mm).
    static let qrSide = Length.mm(21)
    /// Between the columns of two languages.
    static let gutter = Length.mm(6)
    /// Below each field.
    static let fieldGap = Length.mm(3.2)
    static let titleSize = 11.0
    static let labelSize = 9.0
    static let hintSize = 7.5
    static let choiceSize = 8.5
    static let consentSize = 7.5
    static let smallSize = 6.5
    static let codeSize = 18.0
    static let tick = Length.mm(4)
    static let digitWidth = Length.mm(5)
    static let digitHeight = Length.mm(6.5)
    /// Between writing lines for short text.
    static let writingLine = Length.mm(8)
}

/// A measured piece of a form, never split across pages: drawn with its top at the y it is given.
struct FormBlock {
    /// The field (or part) it shows, for messages.
    var name: String
    var height: Double
    var draw: (Double) -> Void

    /// `self` followed by `next`, kept together on one page (a title with the field under it), named `name`
    /// (default: `next`'s name).
    func followed(by next: FormBlock, name: String? = nil) -> FormBlock {
        let first = self
        return FormBlock(name: name ?? next.name, height: first.height + next.height) { y in
            first.draw(y)
            next.draw(y + first.height)
        }
    }
}

/// One thing placed in a row of boxes and words (digit boxes, a separator, a tick box with its words).
struct RowItem {
    var width: Double
    var height: Double
    var draw: (PagePoint) -> Void
}

/// Which side of the page a form starts from: left for a form whose first language is written left to
/// right, right for Arabic first. Tick boxes sit on that side of their words and rows of boxes start there.
enum FormEdge {
    case left, right
}

/// The parts of a form, as printed in its headers.
enum FormPart: Equatable {
    case slip(page: Int, of: Int)
    case sheet(page: Int, of: Int)
}

/// Draws forms of one template on a canvas: plans every page side once (measuring, paginating, recording the
/// fixed content of each side as a stamp), then per code places the stamps and draws only the QR codes and
/// the code text.
final class FormRenderer {
    /// What is drawn per code on a page side, on top of its stamp.
    enum Slot {
        /// The QR with its quiet zone's top left at `qr`, the code text's top left at `text`.
        case header(qr: PagePoint, text: PagePoint)
        /// A code card with its top left at the point.
        case card(PagePoint)
    }

    /// One page side of a form: its fixed content (nil: a blank back) and what is drawn per code.
    struct Side {
        var stamp: PDFCanvas.Stamp?
        var slots: [Slot]
        var kind: FormPageKind

        /// What a reader of the page needs to know: what it is and where its codes are.
        var page: FormPage {
            FormPage(
                kind: kind,
                codeAreas: slots.map { slot in
                    switch slot {
                    case .header(let qr, _):
                        return PageRect(x: qr.x, y: qr.y, width: FormMetrics.qrSide, height: FormMetrics.qrSide)
                    case .card(let origin):
                        return PageRect(
                            x: origin.x, y: origin.y, width: CodeCards.cardSize.width,
                            height: CodeCards.cardSize.height)
                    }
                })
        }
    }

    let canvas: PDFCanvas
    let template: Template
    let wordings: [FormWording]
    let consent: [ConsentText]
    let layout: FormLayout
    let paper: PageSize
    let duplex: Bool
    /// Whether codes are printed (false: blank sheets with boxes to copy the code into).
    let coded: Bool
    let codeLength: Int
    let printDate: String
    let cardRenderer: CodeCardRenderer?
    let edge: FormEdge

    private(set) var sides: [Side] = []
    /// Where the card sits, when there is one: on the slip page or on a page of its own.
    private(set) var cardPlacement: FormCardPlacement = .none
    /// Sensitive sheet pages per form (paper pages holding sheet content).
    private(set) var sheetPageCount = 0
    /// Identity slip pages per form.
    private(set) var slipPageCount = 0
    /// The y of the tear-off cut line on the first page (tear-off layout only).
    private(set) var cutLineY: Double?

    private var codeStyles: [Int: TextStyle] = [:]

    private var content: PageRect {
        PageRect(
            x: FormMetrics.margin, y: FormMetrics.margin, width: paper.width - 2 * FormMetrics.margin,
            height: paper.height - 2 * FormMetrics.margin)
    }

    init(
        canvas: PDFCanvas, template: Template, wordings: [FormWording], consent: [ConsentText], layout: FormLayout,
        paper: PageSize, duplex: Bool, coded: Bool, codeLength: Int, printDate: String,
        card: (wording: [CardWording], controller: WorkspaceConfig.Controller)?
    ) throws {
        self.canvas = canvas
        self.template = template
        self.wordings = wordings
        self.consent = consent
        self.layout = layout
        self.paper = paper
        self.duplex = duplex
        self.coded = coded
        self.codeLength = codeLength
        self.printDate = printDate
        self.edge = wordings[0].direction == .rightToLeft ? .right : .left
        if let card {
            let footnote = "\(template.id) v\(template.version) · \(wordings[0].card) · \(printDate)"
            cardRenderer = try CodeCardRenderer(
                canvas: canvas, wording: card.wording, controller: card.controller, footnote: footnote)
        } else {
            cardRenderer = nil
        }
        try plan()
    }

    // MARK: Drawing per code

    /// Draws every page side of one form: for `code`, or blank (boxes to copy a code into) when nil.
    func drawForm(_ code: CaseCode?) throws {
        let matrix = try code.map { try QRMatrix.encode($0.display) }
        let segments = matrix?.strokeSegments
        for side in sides {
            canvas.beginPage(size: paper)
            if let stamp = side.stamp { canvas.drawStamp(stamp, at: PagePoint(x: 0, y: 0)) }
            if let code, let matrix {
                for slot in side.slots {
                    switch slot {
                    case .header(let qr, let text):
                        let module = PDFCanvas.qrModuleSize(
                            fitting: FormMetrics.qrSide, modules: matrix.sizeWithQuietZone)
                        canvas.qrCode(matrix, at: qr, moduleSize: module, segments: segments)
                        // Reused: the same code is drawn on every side of its form.
                        canvas.drawText(code.display, at: text, style: codeStyle(length: code.canonical.count))
                    case .card(let origin):
                        try cardRenderer?.drawCode(code, at: origin)
                    }
                }
            }
            canvas.endPage()
        }
    }

    /// Mono bold, 18 pt or smaller so that the longest code fits beside the QR.
    private func codeStyle(length: Int) -> TextStyle {
        if let style = codeStyles[length] { return style }
        let base = TextStyle(
            size: FormMetrics.codeSize, weight: .bold, family: .monospace, direction: .leftToRight)
        let sample = CodeFormat.group(String(repeating: "W", count: length))
        let natural = canvas.measure(sample, style: base, reuse: false).width
        let style = base.sized(
            min(FormMetrics.codeSize, (FormMetrics.codeSize * codeWidth / natural * 4).rounded(.down) / 4))
        codeStyles[length] = style
        return style
    }

    /// Room for the code text beside the QR.
    private var codeWidth: Double { Length.mm(62) }

    // MARK: Planning

    private func plan() throws {
        let hasSlip = !template.identity.isEmpty
        let sheetHeader = headerHeight(.sheet(page: 8, of: 8))
        let full = (top: content.y, bottom: content.maxY)
        let sheetGroups = sensitiveGroups()

        var slipPages: [[(Double, FormBlock)]] = []
        var sheetFirstRegion: (top: Double, bottom: Double)?
        if hasSlip {
            let slipHeader = headerHeight(.slip(page: 8, of: 8))
            switch layout {
            case .pages:
                slipPages = try paginate(
                    [slipBlocks()], first: nil, full: (full.top + slipHeader, full.bottom), continued: { _ in nil })
            case .tearoff:
                // The sheet part under the cut line holds at least its header and its first field.
                let firstField = sheetGroups.first?.blocks.first?.height ?? 0
                let limit = full.bottom - sheetHeader - firstField - Length.mm(8)
                let pages = try? paginate(
                    [slipBlocks()], first: nil, full: (full.top + slipHeader, limit), continued: { _ in nil })
                guard let pages, pages.count == 1 else { throw PrintingError.slipTooTallForTearOff(template.id) }
                slipPages = pages
                let slipEnd = pages[0].last.map { $0.0 + $0.1.height } ?? (full.top + slipHeader)
                let cut = slipEnd + Length.mm(2)
                cutLineY = cut
                sheetFirstRegion = (cut + Length.mm(6) + sheetHeader, full.bottom)
            }
        }
        let sheetPages: [[(Double, FormBlock)]]
        do {
            sheetPages = try paginate(
                sheetGroups.map(\.blocks), first: sheetFirstRegion, full: (full.top + sheetHeader, full.bottom),
                continued: { index in sheetGroups[index].continued })
        } catch PrintingError.fieldDoesNotFit(let id, let field) where sheetFirstRegion != nil {
            // The first field does not fit under the slip: the slip is too long for a tear-off page.
            if fitsOnFullPages(sheetGroups, top: full.top + sheetHeader, bottom: full.bottom) {
                throw PrintingError.slipTooTallForTearOff(id)
            }
            throw PrintingError.fieldDoesNotFit(template: id, field: field)
        }
        slipPageCount = slipPages.count
        sheetPageCount = sheetPages.count

        // The card: at the bottom of the (last) slip page when there is room, else on a page of its own.
        var cardOnSlip: PagePoint?
        if cardRenderer != nil {
            let size = CodeCards.cardSize
            let cardTop = full.bottom - size.height
            if layout == .pages, let last = slipPages.last,
                (last.last.map { $0.0 + $0.1.height } ?? 0) + Length.mm(10) <= cardTop
            {
                cardOnSlip = PagePoint(x: edge == .left ? content.x : content.maxX - size.width, y: cardTop)
                cardPlacement = .slipPage
            } else {
                cardPlacement = .ownPage
            }
        }

        var sides: [Side] = []
        func padToFront() {
            if duplex && sides.count % 2 == 1 { sides.append(Side(stamp: nil, slots: [], kind: .blank)) }
        }
        if layout == .tearoff && hasSlip {
            let slip = slipPages[0]
            let sheet = sheetPages[0]
            let cut = cutLineY!
            var slots: [Slot] = []
            let stamp = canvas.makeStamp(size: paper) { _ in
                slots.append(contentsOf: drawPart(.slip(page: 1, of: 1), top: content.y, blocks: slip))
                canvas.cutLine(
                    from: PagePoint(x: Length.mm(5), y: cut), to: PagePoint(x: paper.width - Length.mm(5), y: cut))
                slots.append(
                    contentsOf: drawPart(
                        .sheet(page: 1, of: sheetPages.count), top: cut + Length.mm(6), blocks: sheet))
            }
            sides.append(Side(stamp: stamp, slots: slots, kind: .tearOff(sheetPages: sheetPages.count)))
            // A slip is never backed by a sheet: the back of the tear-off page stays blank.
            padToFront()
        } else if hasSlip {
            for (index, blocks) in slipPages.enumerated() {
                var slots: [Slot] = []
                let last = index == slipPages.count - 1
                let stamp = canvas.makeStamp(size: paper) { _ in
                    slots = drawPart(.slip(page: index + 1, of: slipPages.count), top: content.y, blocks: blocks)
                    if last, let origin = cardOnSlip {
                        drawCardGuides(at: origin)
                        cardRenderer?.drawFixedPart(at: origin)
                        slots.append(.card(origin))
                    }
                }
                sides.append(Side(stamp: stamp, slots: slots, kind: .slip(page: index + 1, of: slipPages.count)))
            }
            padToFront()
        }
        let firstSheet = layout == .tearoff && hasSlip ? 1 : 0
        for index in firstSheet..<sheetPages.count {
            var slots: [Slot] = []
            let blocks = sheetPages[index]
            let stamp = canvas.makeStamp(size: paper) { _ in
                slots = drawPart(.sheet(page: index + 1, of: sheetPages.count), top: content.y, blocks: blocks)
            }
            sides.append(Side(stamp: stamp, slots: slots, kind: .sheet(page: index + 1, of: sheetPages.count)))
        }
        if cardPlacement == .ownPage {
            // Cutting a card out must not cut into a sheet on the back: a card page is a front with a blank back.
            padToFront()
            let origin = PagePoint(x: edge == .left ? content.x : content.maxX - CodeCards.cardSize.width, y: content.y)
            let stamp = canvas.makeStamp(size: paper) { _ in
                drawCardGuides(at: origin)
                cardRenderer?.drawFixedPart(at: origin)
            }
            sides.append(Side(stamp: stamp, slots: [.card(origin)], kind: .card))
        }
        // Each form starts on a new sheet of paper: one person's pages never back another's.
        padToFront()
        self.sides = sides
    }

    /// Whether the sheet groups fit when every group starts on a full page.
    private func fitsOnFullPages(_ groups: [SheetGroup], top: Double, bottom: Double) -> Bool {
        (try? paginate(groups.map(\.blocks), first: nil, full: (top, bottom), continued: { groups[$0].continued }))
            != nil
    }

    /// Places blocks on pages: each group (a template page) starts a new page, blocks never split, and a
    /// block that does not fit goes to the next page after `continued(group)` (the page title, continued).
    private func paginate(
        _ groups: [[FormBlock]], first: (top: Double, bottom: Double)?, full: (top: Double, bottom: Double),
        continued: (Int) -> FormBlock?
    ) throws -> [[(Double, FormBlock)]] {
        var pages: [[(Double, FormBlock)]] = []
        var current: [(Double, FormBlock)]?
        var y = 0.0
        var bottom = 0.0
        func newPage(_ region: (top: Double, bottom: Double)) {
            if let current { pages.append(current) }
            current = []
            y = region.top
            bottom = region.bottom
        }
        for (index, group) in groups.enumerated() {
            newPage(index == 0 ? (first ?? full) : full)
            for block in group {
                var unit = block
                if y + unit.height > bottom + 0.01 {
                    // On a page that holds nothing yet, a new page would not help (on the sheet part of a
                    // tear-off page, the caller says the slip is too long).
                    if current?.isEmpty ?? true {
                        throw PrintingError.fieldDoesNotFit(template: template.id, field: block.name)
                    }
                    newPage(full)
                    if let title = continued(index) { unit = title.followed(by: unit) }
                    if y + unit.height > bottom + 0.01 {
                        throw PrintingError.fieldDoesNotFit(template: template.id, field: block.name)
                    }
                }
                current?.append((y, unit))
                y += unit.height
            }
        }
        if let current { pages.append(current) }
        return pages
    }

    /// Draws a part's header and blocks (inside a stamp) and returns the part's code slots.
    private func drawPart(_ part: FormPart, top: Double, blocks: [(Double, FormBlock)]) -> [Slot] {
        let slots = drawHeader(part, top: top)
        for (y, block) in blocks { block.draw(y) }
        return slots
    }

    // MARK: Text styles and columns

    /// `wording`'s language at `size` (scaled by the language's size factor), aligned to a physical edge
    /// (nil: the language's own start: left for Latin, right for Arabic).
    func style(
        _ wording: FormWording, size: Double, weight: TextStyle.Weight = .regular, italic: Bool = false,
        gray: Double = 0, edge: FormEdge? = nil
    ) -> TextStyle {
        var alignment = TextStyle.Alignment.start
        if let edge { alignment = (edge == .left) == (wording.direction != .rightToLeft) ? .start : .end }
        return TextStyle(
            size: size * wording.sizeFactor, weight: weight, italic: italic, alignment: alignment,
            direction: wording.direction, language: wording.language, lineSpacing: wording.lineSpacing, gray: gray)
    }

    /// One column per language across `width` from `left`: the first language on the form's side.
    func columns(left: Double, width: Double) -> [(wording: FormWording, x: Double, width: Double)] {
        let count = Double(wordings.count)
        let columnWidth = (width - FormMetrics.gutter * (count - 1)) / count
        return wordings.enumerated().map { index, wording in
            let offset = Double(index) * (columnWidth + FormMetrics.gutter)
            let x = edge == .left ? left + offset : left + width - offset - columnWidth
            return (wording, x, columnWidth)
        }
    }

    /// The template's text in `language`, else in the template's first language that has it.
    func text(_ localized: LocalizedText, _ language: String) -> String? {
        localized.text(in: language, fallbacks: template.languages)
    }

    /// Texts side by side, one column per language; nil when every text is nil.
    func columnBlock(
        name: String, _ texts: [String?], size: Double, weight: TextStyle.Weight = .regular, italic: Bool = false,
        gray: Double = 0, left: Double, width: Double
    ) -> FormBlock? {
        var items: [(text: String, x: Double, width: Double, style: TextStyle, metrics: TextMetrics)] = []
        for (column, text) in zip(columns(left: left, width: width), texts) {
            guard let text else { continue }
            let style = style(column.wording, size: size, weight: weight, italic: italic, gray: gray)
            items.append((text, column.x, column.width, style, canvas.measure(text, width: column.width, style: style)))
        }
        if items.isEmpty { return nil }
        // The columns share the baseline of their first lines (Arabic fonts sit lower in their line box).
        let baseline = items.map(\.metrics.baseline).max() ?? 0
        let height = items.map { baseline - $0.metrics.baseline + $0.metrics.height }.max() ?? 0
        return FormBlock(name: name, height: height) { [canvas] y in
            for item in items {
                canvas.drawText(
                    item.text, at: PagePoint(x: item.x, y: y + baseline - item.metrics.baseline), width: item.width,
                    style: item.style)
            }
        }
    }

    /// Blocks one under the other with `gap` between them.
    func stack(_ blocks: [FormBlock?], gap: Double, name: String, after: Double = 0) -> FormBlock {
        let present = blocks.compactMap { $0 }
        let height = present.map(\.height).reduce(0, +) + gap * Double(max(0, present.count - 1)) + after
        return FormBlock(name: name, height: height) { y in
            var top = y
            for block in present {
                block.draw(top)
                top += block.height + gap
            }
        }
    }

    /// The texts once each (a choice spelled the same in two languages is printed once).
    func distinct(_ texts: [(FormWording, String)]) -> [(FormWording, String)] {
        var seen = Set<String>()
        return texts.filter { seen.insert($0.1).inserted }
    }

    // MARK: Headers

    private func headerHeight(_ part: FormPart) -> Double {
        measureHeader(part).total
    }

    private func partLine(_ part: FormPart, _ wording: FormWording) -> String {
        switch part {
        case .slip(let page, let count):
            return count > 1 ? "\(wording.identitySlip) · \(wording.pageOf(page, count))" : wording.identitySlip
        case .sheet(let page, let count):
            return "\(wording.sensitiveSheet) · \(wording.pageOf(page, count))"
        }
    }

    /// Template, version and print date. The date is isolated left to right (U+2066…U+2069): after Arabic
    /// words the bidi algorithm would otherwise print 2026-11-27 as 27-11-2026.
    private var metaLine: String {
        "\(template.id) v\(template.version) · \(wordings[0].printed) \u{2066}\(printDate)\u{2069}"
    }

    private struct HeaderGeometry {
        var top: Double
        var band: Double
        var notice: FormBlock?
        var right: [(text: String, style: TextStyle)]
        var rightHeights: [Double]
        var total: Double
    }

    private var metaStyle: TextStyle { style(wordings[0], size: 7.5, gray: 0.3, edge: .left) }

    private var rightBlockX: Double { content.x + FormMetrics.qrSide + Length.mm(2) + codeWidth + Length.mm(3) }

    private func measureHeader(_ part: FormPart, top: Double = 0) -> HeaderGeometry {
        let rightWidth = content.maxX - rightBlockX
        var right: [(String, TextStyle)] = []
        for wording in wordings {
            right.append(
                (
                    text(template.title, wording.language) ?? template.id.rawValue,
                    style(wording, size: FormMetrics.titleSize, weight: .bold, edge: .right)
                ))
            right.append((partLine(part, wording), style(wording, size: 9, edge: .right)))
        }
        let heights = right.map { canvas.measure($0.0, width: rightWidth, style: $0.1).height }
        let codeBlock: Double
        if coded {
            codeBlock = max(
                FormMetrics.qrSide,
                canvas.measure("W", style: codeStyle(length: codeLength)).height + Length.mm(1)
                    + canvas.measure(metaLine, style: metaStyle).height)
        } else {
            codeBlock = blankCodeHeight
        }
        let band = max(codeBlock, heights.reduce(0, +) + Length.mm(0.5) * Double(heights.count - 1))
        let notices: [String?]
        switch part {
        case .slip: notices = wordings.map(\.keepSlipApart)
        case .sheet: notices = wordings.map(\.noNamesOnSheet)
        }
        let notice = columnBlock(
            name: "header", notices, size: 8, weight: .bold, left: content.x, width: content.width)
        let total = band + Length.mm(1.5) + (notice?.height ?? 0) + Length.mm(1.5) + Length.mm(3)
        return HeaderGeometry(top: top, band: band, notice: notice, right: right, rightHeights: heights, total: total)
    }

    /// Draws a part's header at `top` and returns where the code goes.
    private func drawHeader(_ part: FormPart, top: Double) -> [Slot] {
        let geometry = measureHeader(part, top: top)
        let rightWidth = content.maxX - rightBlockX
        var y = top
        for (item, height) in zip(geometry.right, geometry.rightHeights) {
            canvas.drawText(item.text, at: PagePoint(x: rightBlockX, y: y), width: rightWidth, style: item.style)
            y += height + Length.mm(0.5)
        }
        var slots: [Slot] = []
        let textX = content.x + FormMetrics.qrSide + Length.mm(2)
        if coded {
            let codeHeight = canvas.measure("W", style: codeStyle(length: codeLength)).height
            canvas.drawText(
                metaLine, at: PagePoint(x: textX, y: top + Length.mm(1) + codeHeight + Length.mm(1)),
                width: codeWidth, style: metaStyle)
            slots.append(
                .header(
                    qr: PagePoint(x: content.x, y: top),
                    text: PagePoint(x: textX, y: top + Length.mm(1))))
        } else {
            drawBlankCode(at: PagePoint(x: content.x, y: top))
        }
        let noticeTop = top + geometry.band + Length.mm(1.5)
        geometry.notice?.draw(noticeTop)
        let ruleY = noticeTop + (geometry.notice?.height ?? 0) + Length.mm(1.5)
        canvas.line(
            from: PagePoint(x: content.x, y: ruleY), to: PagePoint(x: content.maxX, y: ruleY), width: 0.8)
        return slots
    }

    /// Room the code boxes of a blank sheet take in the header.
    private var blankCodeHeight: Double {
        let captions = wordings.map { canvas.measure($0.copyCode, style: style($0, size: 7, gray: 0.3)).height }
        let label = canvas.measure(
            wordings.map(\.code).joined(separator: " · "), style: TextStyle(size: 8, weight: .bold, direction: .auto))
        return label.height + Length.mm(0.8) + FormMetrics.digitHeight + Length.mm(1) + captions.reduce(0, +)
            + canvas.measure(metaLine, style: metaStyle).height + Length.mm(1)
    }

    /// Boxes for the code copied from the person's card, in groups of four, with what to do and the meta line.
    private func drawBlankCode(at origin: PagePoint) {
        let label = wordings.map(\.code).joined(separator: " · ")
        let labelHeight = canvas.drawText(label, at: origin, style: TextStyle(size: 8, weight: .bold, direction: .auto))
            .height
        var x = origin.x
        let boxesTop = origin.y + labelHeight + Length.mm(0.8)
        var remaining = codeLength
        while remaining > 0 {
            let group = min(4, remaining)
            canvas.digitBoxes(
                at: PagePoint(x: x, y: boxesTop), count: group, boxWidth: FormMetrics.digitWidth,
                boxHeight: FormMetrics.digitHeight)
            x += Double(group) * FormMetrics.digitWidth
            remaining -= group
            if remaining > 0 {
                canvas.line(
                    from: PagePoint(x: x + Length.mm(1), y: boxesTop + FormMetrics.digitHeight / 2),
                    to: PagePoint(x: x + Length.mm(3), y: boxesTop + FormMetrics.digitHeight / 2), width: 1)
                x += Length.mm(4)
            }
        }
        var y = boxesTop + FormMetrics.digitHeight + Length.mm(1)
        for wording in wordings {
            let captionStyle = style(wording, size: 7, gray: 0.3, edge: .left)
            y +=
                canvas.drawText(
                    wording.copyCode, at: PagePoint(x: origin.x, y: y), width: Length.mm(85), style: captionStyle
                )
                .height
        }
        canvas.drawText(
            metaLine, at: PagePoint(x: origin.x, y: y + Length.mm(1)), width: Length.mm(85), style: metaStyle)
    }

    // MARK: Cards

    /// Dashed lines along the card's edges, with scissors on the top one.
    private func drawCardGuides(at origin: PagePoint) {
        let size = CodeCards.cardSize
        let dash = [Length.mm(1.5), Length.mm(1)]
        let overrun = Length.mm(3)
        let gray = 0.45
        canvas.cutLine(
            from: PagePoint(x: origin.x - Length.mm(9), y: origin.y),
            to: PagePoint(x: origin.x + size.width + overrun, y: origin.y), gray: gray)
        canvas.line(
            from: PagePoint(x: origin.x - overrun, y: origin.y + size.height),
            to: PagePoint(x: origin.x + size.width + overrun, y: origin.y + size.height), width: 0.5, dash: dash,
            gray: gray)
        for x in [origin.x, origin.x + size.width] {
            canvas.line(
                from: PagePoint(x: x, y: origin.y - overrun), to: PagePoint(x: x, y: origin.y + size.height + overrun),
                width: 0.5, dash: dash, gray: gray)
        }
    }
}

/// What one page of a printed form is.
public enum FormPageKind: Hashable, Sendable, CustomStringConvertible {
    /// A page of the identity slip.
    case slip(page: Int, of: Int)
    /// The identity slip above the cut line and the first sheet page below it (of `sheetPages`).
    case tearOff(sheetPages: Int)
    /// A page of the sensitive sheet.
    case sheet(page: Int, of: Int)
    /// The code card on a page of its own.
    case card
    /// A blank back (duplex printing).
    case blank

    public var description: String {
        switch self {
        case .slip(let page, let count): return "slip \(page)/\(count)"
        case .tearOff(let count): return "slip + sheet 1/\(count)"
        case .sheet(let page, let count): return "sheet \(page)/\(count)"
        case .card: return "card"
        case .blank: return "blank"
        }
    }
}

/// One page of a printed form, as its readers (a scanner, a test) need it.
public struct FormPage: Hashable, Sendable {
    public let kind: FormPageKind
    /// Where the code is printed as a QR (the square with its quiet zone) or on a card (the whole card),
    /// in points from the page's top left; empty for blank sheets and blank backs.
    public let codeAreas: [PageRect]
}

/// Where a form's code card is printed.
public enum FormCardPlacement: String, Sendable {
    /// No card.
    case none
    /// At the bottom of the identity slip's (last) page, to be cut off before the slip is filed.
    case slipPage = "slip page"
    /// On a page of its own after the sheet (the slip page has no room, or the layout is tear-off).
    case ownPage = "own page"
}
