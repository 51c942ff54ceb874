import Foundation

/// How code cards are put on paper.
public enum CodeCardLayout: Hashable, Sendable {
    /// Several cards per page (10 on A4, 8 on Letter), edge to edge, with dashed cut lines and scissors.
    case sheet(PaperSize)
    /// One card per page, the page the size of the card: for card printers, or to print a single card.
    case single
}

/// Code cards: a small card the person keeps, with the code as a QR and in large text, and a few plain
/// words in the chosen languages: what the code is for, that it holds no name or information about them,
/// and whom to contact about their information (the data controller from `separa.json`).
///
/// The card is ID-1 size (85.6 × 54 mm, a bank card), so it fits a wallet. Nothing on it identifies the
/// person: no name, no date of birth, no nationality, not even the site.
public enum CodeCards {
    /// A bank card: 85.6 × 53.98 mm.
    public static let cardSize = PageSize(width: Length.mm(85.6), height: Length.mm(53.98))

    /// Most languages a card holds: a third does not fit at a legible size.
    public static let maximumLanguages = 2

    /// The languages used when none are asked for: the workspace's languages that have card wording,
    /// at most two, else English.
    public static func defaultLanguages(for config: WorkspaceConfig) -> [String] {
        let known = config.languages.filter { CardWording.table[$0] != nil }
        return known.isEmpty ? ["en"] : Array(known.prefix(2))
    }

    /// Checks the languages and the controller before anything is issued or drawn.
    public static func wording(for languages: [String], config: WorkspaceConfig, configPath: String) throws
        -> [CardWording]
    {
        guard (1...CodeCards.maximumLanguages).contains(languages.count) else {
            throw PrintingError.cardLanguageCount(languages.count)
        }
        if !config.controller.isSet { throw PrintingError.controllerNotSet(path: configPath) }
        return try languages.map { language in
            guard let wording = CardWording.table[language] else { throw PrintingError.unknownCardLanguage(language) }
            return wording
        }
    }

    /// `separa card`: prints cards for the selected codes into `output/cards-BATCH.pdf` (or
    /// `output/cards-YYYYMMDD-HHMMSS.pdf` for a list; `-single` before `.pdf` for one card per page) and
    /// marks issued codes as printed.
    ///
    /// Languages and the controller are checked, and the card text fitted, before any code is issued.
    /// `progress` is called with (codes done, codes in all) after each page.
    public static func run(
        workspace: Workspace, store: Store, selection: CodeSelection, languages: [String]? = nil,
        layout: CodeCardLayout = .sheet(.a4), now: Date = Date(), progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> PrintOutcome {
        let languages = languages ?? defaultLanguages(for: workspace.config)
        let wording = try wording(for: languages, config: workspace.config, configPath: workspace.configURL.path)
        let pending = try workspace.outputFile("cards-pending.pdf")
        let canvas = try PDFCanvas(
            destination: pending, pageSize: pageSize(layout), title: "Separa code cards")
        let renderer = try CodeCardRenderer(canvas: canvas, wording: wording, controller: workspace.config.controller)
        let resolved = try PrintSelection.resolve(
            selection, workspace: workspace, store: store, note: "code cards", now: now)
        return try PrintSelection.render(resolved) {
            let name =
                "cards-\(resolved.batch?.rawValue ?? Timestamp.fileName(now))\(layout == .single ? "-single" : "").pdf"
            try renderer.drawAll(resolved.codes, layout: layout, progress: progress)
            try canvas.finish(as: name)
            try resolved.recordOutput(name, in: store, now: now)
            let marked = try CodeRegistry(workspace: workspace, store: store).markPrinted(codes: resolved.codes)
            return PrintOutcome(
                output: canvas.destination, codeCount: resolved.codes.count, pageCount: canvas.pageCount,
                batch: resolved.batch, newlyPrinted: marked, skippedRevoked: resolved.skippedRevoked)
        }
    }

    /// Draws cards for `codes` into a PDF at `url` (no registry involved) and returns the page count.
    public static func write(
        codes: [CaseCode], wording: [CardWording], controller: WorkspaceConfig.Controller,
        layout: CodeCardLayout, to url: URL, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Int {
        let canvas = try PDFCanvas(destination: url, pageSize: pageSize(layout), title: "Separa code cards")
        let renderer = try CodeCardRenderer(canvas: canvas, wording: wording, controller: controller)
        try renderer.drawAll(codes, layout: layout, progress: progress)
        try canvas.finish()
        return canvas.pageCount
    }

    static func pageSize(_ layout: CodeCardLayout) -> PageSize {
        switch layout {
        case .sheet(let paper): return paper.pageSize
        case .single: return cardSize
        }
    }

    /// Where the cards sit on a sheet, row by row from the top left: edge to edge, centred on the paper.
    public static func cardRects(on paper: PaperSize) -> [PageRect] {
        let (columns, rows) = grid(paper)
        let page = paper.pageSize
        let left = (page.width - Double(columns) * cardSize.width) / 2
        let top = (page.height - Double(rows) * cardSize.height) / 2
        return (0..<columns * rows).map { index in
            PageRect(
                x: left + Double(index % columns) * cardSize.width, y: top + Double(index / columns) * cardSize.height,
                width: cardSize.width, height: cardSize.height)
        }
    }

    /// Cards per row and column on a sheet: 2 × 5 on A4, 2 × 4 on Letter (a fifth row would leave less
    /// margin than most printers can print).
    static func grid(_ paper: PaperSize) -> (columns: Int, rows: Int) {
        switch paper {
        case .a4: return (2, 5)
        case .letter: return (2, 4)
        }
    }
}

/// Draws code cards on a canvas: the fixed part of each card (words, contact) once as a stamp, the QR and
/// code per card.
final class CodeCardRenderer {
    let canvas: PDFCanvas
    let wording: [CardWording]
    let controller: WorkspaceConfig.Controller
    /// A small grey line under the code (forms print the template, the part and the print date there).
    let footnote: String?
    let size = CodeCards.cardSize
    private var textSize = 7.0
    private var cardStamp: PDFCanvas.Stamp?
    /// Page stamps by filled slots: the cut guides and the fixed part of every filled card.
    private var sheetStamps: [Int: PDFCanvas.Stamp] = [:]
    private var codeStyles: [Int: TextStyle] = [:]

    /// Distance of the text from the card's edges.
    let margin = Length.mm(3.5)
    /// Top left of the QR's quiet zone.
    let qrOrigin = PagePoint(x: Length.mm(1.3), y: Length.mm(1.3))
    /// Side of the QR square, quiet zone included: a version-1 symbol gets 29 modules of 1¾ pt (0.62 mm).
    let qrSide = 29 * 1.75
    static let largestText = 8.5
    static let smallestText = 5.5

    init(
        canvas: PDFCanvas, wording: [CardWording], controller: WorkspaceConfig.Controller, footnote: String? = nil
    ) throws {
        self.canvas = canvas
        self.wording = wording
        self.controller = controller
        self.footnote = footnote
        guard let fitted = fitTextSize() else {
            throw PrintingError.cardTextDoesNotFit(languages: wording.map(\.language))
        }
        textSize = fitted
    }

    private var textTop: Double { qrOrigin.y + qrSide + Length.mm(0.3) }
    private var textWidth: Double { size.width - 2 * margin }
    /// The controller and contact on one paragraph; spaces between digits (phone numbers) do not break.
    private var contactText: String {
        "\(controller.name) · \(Self.keepingNumbersTogether(controller.contact))"
    }

    /// `text` with every space that stands between two digits (or before a `+` and a digit) made
    /// non-breaking, so that a phone number is never split across lines.
    static func keepingNumbersTogether(_ text: String) -> String {
        let characters = Array(text)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character == " ", index > 0, index + 1 < characters.count, characters[index - 1].isNumber,
                characters[index + 1].isNumber || characters[index + 1] == "+" || characters[index + 1] == "("
            {
                result.append("\u{00A0}")
            } else {
                result.append(character)
            }
        }
        return result
    }

    private func paragraphStyle(_ wording: CardWording, size: Double) -> TextStyle {
        TextStyle(
            size: size * wording.sizeFactor, direction: wording.direction, language: wording.language,
            lineSpacing: wording.lineSpacing)
    }

    /// The contact keeps its own direction (a Latin address stays in order) but lines up with the
    /// languages: at the left under left-to-right text, at the right under right-to-left, centred under both.
    private func contactStyle(size: Double) -> TextStyle {
        let directions = Set(wording.map(\.direction))
        let alignment: TextStyle.Alignment =
            directions == [.rightToLeft] ? .end : directions.count > 1 ? .center : .start
        return TextStyle(size: size, weight: .bold, alignment: alignment)
    }

    private var paragraphGap: Double { Length.mm(1) }

    /// The largest text size at which every paragraph and the contact fit below the QR.
    private func fitTextSize() -> Double? {
        let available = size.height - margin - textTop
        var candidate = Self.largestText
        while candidate >= Self.smallestText - 1e-9 {
            if textBlockHeight(candidate) <= available { return candidate }
            candidate -= 0.25
        }
        return nil
    }

    /// The height of the paragraphs and the contact at text size `size`.
    private func textBlockHeight(_ size: Double) -> Double {
        var height = 0.0
        for wording in wording {
            height +=
                canvas.measure(wording.paragraph, width: textWidth, style: paragraphStyle(wording, size: size)).height
            height += paragraphGap
        }
        return height + canvas.measure(contactText, width: textWidth, style: contactStyle(size: size)).height
    }

    /// Titles, paragraphs and the contact: everything on a card but the code, card's top left at `origin`.
    func drawFixedPart(at origin: PagePoint) {
        let right = PageRect(
            x: qrOrigin.x + qrSide + Length.mm(0.5), y: margin,
            width: size.width - margin - (qrOrigin.x + qrSide + Length.mm(0.5)), height: 0)
        let titles = wording.map(\.title).joined(separator: "  ·  ")
        canvas.drawText(
            titles, at: PagePoint(x: origin.x + right.x, y: origin.y + titleTop), width: right.width,
            style: TextStyle(size: 7.5, weight: .bold, direction: .leftToRight, gray: 0.3))
        // What the fitted size leaves over is shared above and below the text.
        var y = textTop + max(0, (size.height - margin - textTop - textBlockHeight(textSize)) / 2)
        for wording in wording {
            let metrics = canvas.drawText(
                wording.paragraph, at: PagePoint(x: origin.x + margin, y: origin.y + y), width: textWidth,
                style: paragraphStyle(wording, size: textSize))
            y += metrics.height + paragraphGap
        }
        canvas.drawText(
            contactText, at: PagePoint(x: origin.x + margin, y: origin.y + y), width: textWidth,
            style: contactStyle(size: textSize))
        if let footnote {
            let area = codeArea
            canvas.drawText(
                footnote, at: PagePoint(x: origin.x + area.x, y: origin.y + area.maxY + Length.mm(0.6)),
                width: area.width, style: footnoteStyle)
        }
    }

    private let footnoteStyle = TextStyle(size: 5.5, direction: .leftToRight, gray: 0.35)

    /// Where the title line sits: the title, the code and the footnote together are centred on the QR's modules.
    private var titleTop: Double {
        let block = titleHeight + Length.mm(0.8) + codeHeight
        let footnote = self.footnote.map { canvas.measure($0, style: footnoteStyle).height + Length.mm(0.6) } ?? 0
        return qrOrigin.y + qrSide / 2 - (block + footnote) / 2
    }

    private var titleHeight: Double {
        canvas.measure("Ag", style: TextStyle(size: 7.5, weight: .bold)).height
    }

    private var codeHeight: Double { canvas.measure("K", style: codeStyle(length: 14)).height }

    private var codeArea: PageRect {
        let x = qrOrigin.x + qrSide + Length.mm(0.5)
        return PageRect(
            x: x, y: titleTop + titleHeight + Length.mm(0.8), width: size.width - margin - x, height: codeHeight)
    }

    /// Mono bold, as large as fits the space right of the QR (at most 17 pt), by code length.
    private func codeStyle(length: Int) -> TextStyle {
        if let style = codeStyles[length] { return style }
        let base = TextStyle(size: 17, weight: .bold, family: .monospace, direction: .leftToRight)
        let sample = CodeFormat.group(String(repeating: "W", count: length))
        let width = size.width - margin - (qrOrigin.x + qrSide + Length.mm(0.5))
        let natural = canvas.measure(sample, style: base, reuse: false).width
        let style = base.sized(min(17, (17 * width / natural * 100).rounded(.down) / 100))
        codeStyles[length] = style
        return style
    }

    /// The code part of one card (QR and code text) with the card's top left at `origin`.
    func drawCode(_ code: CaseCode, at origin: PagePoint) throws {
        let matrix = try QRMatrix.encode(code.display)
        let moduleSize = PDFCanvas.qrModuleSize(fitting: qrSide, modules: matrix.sizeWithQuietZone)
        canvas.qrCode(matrix, at: PagePoint(x: origin.x + qrOrigin.x, y: origin.y + qrOrigin.y), moduleSize: moduleSize)
        let area = codeArea
        canvas.drawText(
            code.display, at: PagePoint(x: origin.x + area.x, y: origin.y + area.y), width: area.width,
            style: codeStyle(length: code.canonical.count), reuse: false)
    }

    /// All cards, page after page.
    func drawAll(_ codes: [CaseCode], layout: CodeCardLayout, progress: (Int, Int) -> Void) throws {
        switch layout {
        case .single:
            let stamp = cardStamp ?? canvas.makeStamp(size: size) { _ in drawFixedPart(at: PagePoint(x: 0, y: 0)) }
            cardStamp = stamp
            for (index, code) in codes.enumerated() {
                canvas.beginPage(size: size)
                canvas.drawStamp(stamp, at: PagePoint(x: 0, y: 0))
                try drawCode(code, at: PagePoint(x: 0, y: 0))
                canvas.endPage()
                progress(index + 1, codes.count)
            }
        case .sheet(let paper):
            let (columns, rows) = CodeCards.grid(paper)
            let page = paper.pageSize
            let rects = CodeCards.cardRects(on: paper)
            let origin = rects[0].origin
            func slot(_ index: Int) -> PagePoint { rects[index].origin }
            let perPage = columns * rows
            var done = 0
            while done < codes.count {
                let filled = min(perPage, codes.count - done)
                // One stamp per page holds the guides and the words of every filled card: stored once in the
                // PDF, whatever the number of pages (a short last page gets its own).
                let stamp =
                    sheetStamps[filled]
                    ?? canvas.makeStamp(size: page) { _ in
                        drawCutGuides(origin: origin, columns: columns, rows: rows, page: page)
                        for index in 0..<filled { drawFixedPart(at: slot(index)) }
                    }
                sheetStamps[filled] = stamp
                canvas.beginPage(size: page)
                canvas.drawStamp(stamp, at: PagePoint(x: 0, y: 0))
                for index in 0..<filled { try drawCode(codes[done + index], at: slot(index)) }
                canvas.endPage()
                done += filled
                progress(done, codes.count)
            }
        }
    }

    /// Light dashed lines along every cut, running into the margins, with scissors on the first.
    private func drawCutGuides(origin: PagePoint, columns: Int, rows: Int, page: PageSize) {
        let overrun = Length.mm(6)
        let left = origin.x
        let top = origin.y
        let right = origin.x + Double(columns) * size.width
        let bottom = origin.y + Double(rows) * size.height
        let dash = [Length.mm(1.5), Length.mm(1)]
        for column in 0...columns {
            let x = left + Double(column) * size.width
            canvas.line(
                from: PagePoint(x: x, y: max(0, top - overrun)),
                to: PagePoint(x: x, y: min(page.height, bottom + overrun)),
                width: 0.4, dash: dash, gray: 0.55)
        }
        for row in 1...rows {
            let y = top + Double(row) * size.height
            canvas.line(
                from: PagePoint(x: max(0, left - overrun), y: y),
                to: PagePoint(x: min(page.width, right + overrun), y: y),
                width: 0.4, dash: dash, gray: 0.55)
        }
        canvas.cutLine(
            from: PagePoint(x: max(0, left - Length.mm(12)), y: top),
            to: PagePoint(x: min(page.width, right + overrun), y: top),
            gray: 0.55)
    }
}
