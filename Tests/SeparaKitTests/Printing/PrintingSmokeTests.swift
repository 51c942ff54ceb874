import Foundation
import Testing

@testable import SeparaKit

/// The C libraries behind printing, each checked by an independent reader: zbarimg for QR, qpdf and
/// pdftotext for PDF, a PNG chunk parser for PNG.
@Suite("Printing primitives")
struct PrintingSmokeTests {
    static let code = CaseCode(randomValues: [19, 7, 19, 2, 9, 23, 26, 4, 17, 24, 3])

    @Test(
        "A QR code of a case code reads back as the code, and CaseCode.parse accepts it",
        .enabled(if: ExternalTool.zbarimg.isInstalled, ExternalTool.zbarMissing))
    func qrRoundTrip() throws {
        let folder = TestPaths.temporaryDirectory("separa-qr")
        defer { try? FileManager.default.removeItem(at: folder) }
        let matrix = try QRMatrix.encode(Self.code.display)
        #expect(matrix.version == 1)
        #expect(matrix.size == 21)
        let url = folder.appendingPathComponent("qr.png")
        try PNGWriter.write(BitMatrix(qr: matrix, dotsPerModule: 4), dotsPerInch: 203, to: url)
        let decoded = try ExternalTool.decodeQR(url)
        #expect(decoded == [Self.code.display])
        #expect(try CaseCode.parse(decoded[0]) == Self.code)
    }

    @Test(
        "Every error correction level and mode decodes",
        .enabled(if: ExternalTool.zbarimg.isInstalled, ExternalTool.zbarMissing),
        arguments: QRMatrix.ErrorCorrection.allCases, QRMatrix.Mode.allCases)
    func qrLevels(correction: QRMatrix.ErrorCorrection, mode: QRMatrix.Mode) throws {
        let folder = TestPaths.temporaryDirectory("separa-qr")
        defer { try? FileManager.default.removeItem(at: folder) }
        let matrix = try QRMatrix.encode(Self.code.display, correction: correction, mode: mode)
        let url = folder.appendingPathComponent("qr.png")
        try PNGWriter.write(BitMatrix(qr: matrix, dotsPerModule: 3), dotsPerInch: 300, to: url)
        #expect(try ExternalTool.decodeQR(url) == [Self.code.display])
    }

    @Test("Text outside the alphanumeric set is refused, naming the position but not the text")
    func qrRefusesLowerCase() {
        #expect(throws: QRCodeError.invalidCharacter(position: 4, mode: .alphanumeric)) {
            try QRMatrix.encode("AB c")
        }
        #expect(throws: QRCodeError.empty) { try QRMatrix.encode("") }
        #expect(throws: QRCodeError.tooLong(bytes: 8_000)) {
            try QRMatrix.encode(String(repeating: "A", count: 8_000))
        }
        #expect(!"\(QRCodeError.invalidCharacter(position: 4, mode: .alphanumeric))".contains("AB c"))
    }

    @Test("A PNG states its DPI exactly in pHYs, is 1-bit, and has the raster's size", arguments: [203, 300, 600])
    func pngPhysicalSize(dpi: Int) throws {
        var raster = BitMatrix(width: 37, height: 11)
        raster.fill(x: 3, y: 2, width: 9, height: 4)
        let data = try PNGWriter.encode(raster, dotsPerInch: dpi)
        let png = try PNGChunks(data)
        #expect(png.width == 37)
        #expect(png.height == 11)
        #expect(png.bitDepth == 1)
        #expect(png.colourType == 0)
        #expect(png.dotsPerInch == dpi)
    }

    @Test("The Noto fonts every script prints with are installed (fonts-noto-core)")
    func fontsInstalled() {
        #expect(Fonts.missingFontFamilies() == [])
        #expect("\(PDFCanvasError.missingFonts(["Noto Sans Ethiopic"]))".contains("fonts-noto-core"))
    }

    @Test(
        "A PDF page with Latin and Arabic passes qpdf --check and reads back in logical order",
        .enabled(if: ExternalTool.qpdf.isInstalled, ExternalTool.qpdfMissing),
        .enabled(if: ExternalTool.pdftotext.isInstalled, ExternalTool.popplerMissing))
    func latinAndArabicPage() throws {
        let folder = TestPaths.temporaryDirectory("separa-pdf")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("page.pdf")
        let canvas = try PDFCanvas(destination: url, pageSize: .a4, title: "Smoke test")
        canvas.beginPage()
        let width = Length.mm(80)
        canvas.drawText("Keep this card.", at: PagePoint(x: 50, y: 50), width: width, style: TextStyle(size: 12))
        canvas.drawText("احتفظ بهذه البطاقة.", at: PagePoint(x: 50, y: 90), width: width, style: TextStyle(size: 12))
        canvas.endPage()
        try canvas.finish()
        #expect(try ExternalTool.qpdf.run(["--check", url.path]).status == 0)
        let text = try ExternalTool.text(of: url)
        #expect(text.contains("Keep this card."))
        #expect(text.contains("احتفظ بهذه البطاقة"))
    }
}

@Suite("QR module rectangles")
struct QRBlockTests {
    @Test(
        "The rectangles cover every dark module exactly once and no light one, for 500 random codes at every level",
        arguments: QRMatrix.ErrorCorrection.allCases)
    func blocksCoverDarkModules(correction: QRMatrix.ErrorCorrection) throws {
        var random = SystemRandom()
        let generator = CodeGenerator()
        for _ in 0..<500 {
            let matrix = try QRMatrix.encode(generator.next(using: &random).display, correction: correction)
            var covered = [Int](repeating: 0, count: matrix.size * matrix.size)
            for block in matrix.blocks {
                for row in block.row..<block.row + block.height {
                    for column in block.column..<block.column + block.width { covered[row * matrix.size + column] += 1 }
                }
            }
            #expect(covered == matrix.modules.map { $0 ? 1 : 0 })
            #expect(matrix.blocks.count < matrix.modules.filter { $0 }.count / 2)
        }
    }

    @Test("Module sizes snap to quarter points and never go under 0.5 mm")
    func moduleSizes() {
        #expect(PDFCanvas.qrModuleSize(fitting: 29 * 1.75, modules: 29) == 1.75)
        #expect(PDFCanvas.qrModuleSize(fitting: Length.mm(17.9), modules: 29) == 1.5)
        #expect(PDFCanvas.qrModuleSize(fitting: Length.mm(5), modules: 29) == 1.5)
        #expect(Length.millimetres(fromPoints: 1.5) >= QRMatrix.minimumModuleMillimetres)
    }
}

@Suite("QR as one stroked path")
struct QRSegmentTests {
    @Test(
        "The segments cover every dark module and no light one, for 500 codes at every level and every length",
        arguments: QRMatrix.ErrorCorrection.allCases)
    func segmentsCoverDarkModules(correction: QRMatrix.ErrorCorrection) throws {
        var random = SystemRandom()
        for index in 0..<500 {
            let length = CodeFormat.minimumLength + index % (CodeFormat.maximumLength - CodeFormat.minimumLength + 1)
            let code = CodeGenerator(randomLength: length).next(using: &random)
            let matrix = try QRMatrix.encode(code.display, correction: correction)
            var covered = [Bool](repeating: false, count: matrix.size * matrix.size)
            for segment in matrix.strokeSegments {
                for step in segment.start..<segment.start + segment.length {
                    let (row, column) = segment.horizontal ? (segment.line, step) : (step, segment.line)
                    #expect(matrix[row, column], "a segment covers a light module")
                    covered[row * matrix.size + column] = true
                }
            }
            #expect(covered == matrix.modules)
            let rows = (0..<matrix.size).map { matrix.darkRuns(inRow: $0).count }.reduce(0, +)
            #expect(matrix.strokeSegments.count < rows)
        }
    }
}
