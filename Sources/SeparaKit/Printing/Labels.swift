import Foundation

/// Sticker sheets Separa prints codes on, with the manufacturer's exact geometry.
public enum LabelSheet: String, CaseIterable, Hashable, Sendable {
    /// Avery L7160 (and J8160): A4, 3 × 7 labels of 63.5 × 38.1 mm.
    case averyL7160 = "avery-l7160"
    /// Avery L7163: A4, 2 × 7 labels of 99.1 × 38.1 mm.
    case averyL7163 = "avery-l7163"
    /// Avery 5160 (and 8160): US Letter, 3 × 10 labels of 2⅝ × 1 in.
    case avery5160 = "avery-5160"

    /// Where the labels are on the sheet.
    public var geometry: LabelSheetGeometry {
        switch self {
        case .averyL7160:
            // 15.15 mm top and bottom, 7.25 mm left and right, 2.5 mm between columns, none between rows.
            return LabelSheetGeometry(
                paper: .a4, columns: 3, rows: 7, labelWidth: Length.mm(63.5), labelHeight: Length.mm(38.1),
                left: Length.mm(7.25), top: Length.mm(15.15),
                horizontalPitch: Length.mm(66.0), verticalPitch: Length.mm(38.1))
        case .averyL7163:
            // 15.15 mm top and bottom, 4.65 mm left and right, 2.5 mm between columns.
            return LabelSheetGeometry(
                paper: .a4, columns: 2, rows: 7, labelWidth: Length.mm(99.1), labelHeight: Length.mm(38.1),
                left: Length.mm(4.65), top: Length.mm(15.15),
                horizontalPitch: Length.mm(101.6), verticalPitch: Length.mm(38.1))
        case .avery5160:
            // 0.5 in top and bottom, 3/16 in left and right, 1/8 in between columns.
            return LabelSheetGeometry(
                paper: .letter, columns: 3, rows: 10, labelWidth: Length.inches(2.625), labelHeight: Length.inches(1),
                left: Length.inches(0.1875), top: Length.inches(0.5),
                horizontalPitch: Length.inches(2.75), verticalPitch: Length.inches(1))
        }
    }

    /// The sheet's name as printed on the box.
    public var productName: String {
        switch self {
        case .averyL7160: return "Avery L7160"
        case .averyL7163: return "Avery L7163"
        case .avery5160: return "Avery 5160"
        }
    }
}

/// The layout of a label sheet, in points from the top left of the paper.
public struct LabelSheetGeometry: Hashable, Sendable {
    public let paper: PageSize
    public let columns: Int
    public let rows: Int
    public let labelWidth: Double
    public let labelHeight: Double
    /// From the left edge of the paper to the left edge of the first column.
    public let left: Double
    /// From the top edge of the paper to the top edge of the first row.
    public let top: Double
    /// From the left edge of one column to the left edge of the next.
    public let horizontalPitch: Double
    /// From the top edge of one row to the top edge of the next.
    public let verticalPitch: Double

    /// Labels on one sheet.
    public var perSheet: Int { columns * rows }

    /// The label at `index` (0-based, row by row from the top left).
    public func label(_ index: Int) -> PageRect {
        let column = index % columns
        let row = index / columns
        return PageRect(
            x: left + Double(column) * horizontalPitch, y: top + Double(row) * verticalPitch,
            width: labelWidth, height: labelHeight)
    }
}

/// Sticker sheets of codes: on each label the code as a QR and in large text.
public enum LabelSheets {
    /// `separa labels`: prints labels for the selected codes into `output/labels-BATCH-SHEET.pdf` and marks
    /// issued codes as printed.
    ///
    /// - Parameters:
    ///   - firstPosition: the first free label on the first sheet (1-based, row by row), to use up a sheet
    ///     that is partly used.
    ///   - outlines: draw the label outlines, to check alignment on plain paper before using label sheets.
    ///   - progress: called with (codes done, codes in all) after each page.
    public static func run(
        workspace: Workspace, store: Store, selection: CodeSelection, sheet: LabelSheet, firstPosition: Int = 1,
        outlines: Bool = false, now: Date = Date(), progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> PrintOutcome {
        let geometry = sheet.geometry
        guard (1...geometry.perSheet).contains(firstPosition) else {
            throw PrintingError.invalidFirstLabel(position: firstPosition, perSheet: geometry.perSheet)
        }
        let canvas = try PDFCanvas(
            destination: try workspace.outputFile("labels-pending.pdf"), pageSize: geometry.paper,
            title: "Separa code labels (\(sheet.productName))")
        let resolved = try PrintSelection.resolve(
            selection, workspace: workspace, store: store, note: "labels \(sheet.rawValue)", now: now)
        return try PrintSelection.render(resolved) {
            let name = "labels-\(resolved.batch?.rawValue ?? Timestamp.fileName(now))-\(sheet.rawValue).pdf"
            try LabelRenderer(canvas: canvas, sheet: sheet, outlines: outlines)
                .drawAll(resolved.codes, firstPosition: firstPosition, progress: progress)
            try canvas.finish(as: name)
            try resolved.recordOutput(name, in: store, now: now)
            let marked = try CodeRegistry(workspace: workspace, store: store).markPrinted(codes: resolved.codes)
            return PrintOutcome(
                output: canvas.destination, codeCount: resolved.codes.count, pageCount: canvas.pageCount,
                batch: resolved.batch, newlyPrinted: marked, skippedRevoked: resolved.skippedRevoked)
        }
    }

    /// Draws labels for `codes` into a PDF at `url` (no registry involved) and returns the page count.
    public static func write(
        codes: [CaseCode], sheet: LabelSheet, firstPosition: Int = 1, outlines: Bool = false, to url: URL,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Int {
        let canvas = try PDFCanvas(
            destination: url, pageSize: sheet.geometry.paper, title: "Separa code labels (\(sheet.productName))")
        try LabelRenderer(canvas: canvas, sheet: sheet, outlines: outlines)
            .drawAll(codes, firstPosition: firstPosition, progress: progress)
        try canvas.finish()
        return canvas.pageCount
    }
}

/// Draws code labels on a canvas.
final class LabelRenderer {
    let canvas: PDFCanvas
    let geometry: LabelSheetGeometry
    let outlines: Bool
    private var textLayouts: [Int: (style: TextStyle, stacked: Bool)] = [:]
    private var outlineStamp: PDFCanvas.Stamp?

    /// From the label's edge to the QR's quiet zone and to the text.
    let inset = Length.mm(1)
    /// Largest QR module on a label: larger only wastes room for the text.
    let largestModule = Length.mm(1)

    init(canvas: PDFCanvas, sheet: LabelSheet, outlines: Bool) {
        self.canvas = canvas
        self.geometry = sheet.geometry
        self.outlines = outlines
    }

    func drawAll(_ codes: [CaseCode], firstPosition: Int, progress: (Int, Int) -> Void) throws {
        if outlines {
            outlineStamp = canvas.makeStamp(size: geometry.paper) { canvas in
                for index in 0..<geometry.perSheet {
                    canvas.strokeRectangle(geometry.label(index), width: 0.3, gray: 0.6)
                }
            }
        }
        var position = firstPosition - 1
        var done = 0
        while done < codes.count {
            canvas.beginPage(size: geometry.paper)
            if let outlineStamp { canvas.drawStamp(outlineStamp, at: PagePoint(x: 0, y: 0)) }
            while position < geometry.perSheet && done < codes.count {
                try drawLabel(codes[done], in: geometry.label(position))
                position += 1
                done += 1
            }
            canvas.endPage()
            position = 0
            progress(done, codes.count)
        }
    }

    /// The QR at the left, as tall as the label allows (modules 0.5–1 mm), the code to its right: on one
    /// line when that line can be at least 11 pt, else one group of four per line.
    func drawLabel(_ code: CaseCode, in label: PageRect) throws {
        let matrix = try QRMatrix.encode(code.display)
        let available = label.height - 2 * inset
        let moduleSize = PDFCanvas.qrModuleSize(
            fitting: min(available, largestModule * Double(matrix.sizeWithQuietZone)), modules: matrix.sizeWithQuietZone
        )
        let side = Double(matrix.sizeWithQuietZone) * moduleSize
        canvas.qrCode(matrix, at: PagePoint(x: label.x + inset, y: label.midY - side / 2), moduleSize: moduleSize)
        // The text starts where the QR's quiet zone (4 white modules) ends: no ink inside it.
        let textX = label.x + inset + side
        let box = PageSize(width: label.maxX - inset - textX, height: available)
        let (style, stacked) = textLayout(length: code.canonical.count, box: box)
        let text = stacked ? code.display.replacingOccurrences(of: "-", with: "\n") : code.display
        let metrics = canvas.measure(text, width: box.width, style: style, reuse: false)
        canvas.drawText(
            text, at: PagePoint(x: textX, y: label.midY - metrics.height / 2), width: box.width, style: style,
            reuse: false)
    }

    private func textLayout(length: Int, box: PageSize) -> (style: TextStyle, stacked: Bool) {
        if let layout = textLayouts[length] { return layout }
        let base = TextStyle(size: 16, weight: .bold, family: .monospace, alignment: .center, direction: .leftToRight)
        let sample = CodeFormat.group(String(repeating: "W", count: length))
        let layout: (style: TextStyle, stacked: Bool)
        let natural = canvas.measure(sample, style: base, reuse: false)
        let oneLine = min(base.size * box.width / natural.width, base.size * box.height / natural.height)
        if oneLine >= 11 {
            layout = (base.sized((min(base.size, oneLine) * 4).rounded(.down) / 4), false)
        } else {
            let stacked = sample.replacingOccurrences(of: "-", with: "\n")
            let size = canvas.sizeToFit(stacked, in: box, style: base.sized(20), minimumSize: 5) ?? 5
            layout = (base.sized(size), true)
        }
        textLayouts[length] = layout
        return layout
    }
}

/// Code labels as 1-bit PNG images for thermal label printers, one per code, at the printer's exact
/// resolution: the QR with its quiet zone on top, the code below in groups of four.
///
/// Every QR module is a whole number of printer dots (about 0.75 mm, never under 0.5 mm), the image
/// width is a whole number of modules, and the PNG's pHYs chunk states the resolution, so the printer
/// driver prints it at its true size without scaling.
public enum ThermalLabels {
    /// Resolutions `separa labels --png` offers: the common thermal printer heads.
    public static let supportedDotsPerInch = [203, 300]

    /// Printer dots per QR module at `dotsPerInch`: the whole number nearest to 0.75 mm, and at least 0.5 mm.
    public static func dotsPerModule(dotsPerInch: Int) -> Int {
        let perMillimetre = Double(dotsPerInch) / 25.4
        let minimum = Int((QRMatrix.minimumModuleMillimetres * perMillimetre).rounded(.up))
        return max(minimum, Int((0.75 * perMillimetre).rounded()))
    }

    /// The label image for one code.
    public static func image(for code: CaseCode, dotsPerInch: Int, rasterizer: TextRasterizer) throws -> BitMatrix {
        precondition(rasterizer.dotsPerInch == dotsPerInch)
        let matrix = try QRMatrix.encode(code.display)
        let module = dotsPerModule(dotsPerInch: dotsPerInch)
        let qr = BitMatrix(qr: matrix, dotsPerModule: module)
        let textWidth = qr.width - 4 * module
        let lines = code.display.replacingOccurrences(of: "-", with: "\n")
        // The largest size (at most 14 pt) at which the widest possible group fits: one size per code length.
        let sample = CodeFormat.group(String(repeating: "W", count: code.canonical.count))
            .replacingOccurrences(of: "-", with: "\n")
        var style = TextStyle(size: 14, weight: .bold, family: .monospace, alignment: .center, direction: .leftToRight)
        while style.size > 4 && rasterizer.measure(sample, style: style).width > textWidth { style.size -= 0.5 }
        let text = rasterizer.render(lines, style: style, width: textWidth)
        let rawHeight = qr.height + text.height + 2 * module
        let height = (rawHeight + module - 1) / module * module
        var image = BitMatrix(width: qr.width, height: height)
        image.draw(qr, x: 0, y: 0)
        image.draw(text, x: 2 * module, y: qr.height)
        return image
    }

    /// `separa labels --png`: writes `output/labels-BATCH/CODE.png` for every selected code and marks issued
    /// codes as printed once all are written.
    ///
    /// The folder appears whole or not at all (``AtomicDirectoryWriter``); printing a batch again replaces it.
    public static func run(
        workspace: Workspace, store: Store, selection: CodeSelection, dotsPerInch: Int, now: Date = Date(),
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> PrintOutcome {
        guard (1...9_999).contains(dotsPerInch) else { throw PNGWriterError.invalidResolution(dotsPerInch) }
        let rasterizer = TextRasterizer(dotsPerInch: dotsPerInch)
        let resolved = try PrintSelection.resolve(
            selection, workspace: workspace, store: store, note: "thermal labels \(dotsPerInch) dpi", now: now)
        return try PrintSelection.render(resolved) {
            let folder = try workspace.outputFile("labels-\(resolved.batch?.rawValue ?? Timestamp.fileName(now))")
            let writer = try AtomicDirectoryWriter(folder)
            for (index, code) in resolved.codes.enumerated() {
                let image = try image(for: code, dotsPerInch: dotsPerInch, rasterizer: rasterizer)
                try writer.write(PNGWriter.encode(image, dotsPerInch: dotsPerInch), name: "\(code.display).png")
                if (index + 1) % 50 == 0 || index + 1 == resolved.codes.count {
                    progress(index + 1, resolved.codes.count)
                }
            }
            try writer.commit()
            try resolved.recordOutput(folder.lastPathComponent, in: store, now: now)
            let marked = try CodeRegistry(workspace: workspace, store: store).markPrinted(codes: resolved.codes)
            return PrintOutcome(
                output: folder, codeCount: resolved.codes.count, pageCount: resolved.codes.count,
                batch: resolved.batch, newlyPrinted: marked, skippedRevoked: resolved.skippedRevoked)
        }
    }
}
