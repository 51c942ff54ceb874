import Foundation
import Testing

@testable import SeparaKit

@Suite("Label sheets and thermal labels")
struct LabelTests {
    @Test(
        "Avery geometry: the published label size and count, margins equal on both sides",
        arguments: LabelSheet.allCases)
    func geometry(sheet: LabelSheet) {
        let g = sheet.geometry
        let first = g.label(0)
        let last = g.label(g.perSheet - 1)
        let mm = Length.millimetres(fromPoints:)
        #expect(abs(mm(first.x) - mm(g.paper.width - last.maxX)) < 0.01, "left and right margins differ")
        #expect(abs(mm(first.y) - mm(g.paper.height - last.maxY)) < 0.01, "top and bottom margins differ")
        #expect(g.horizontalPitch >= g.labelWidth && g.verticalPitch >= g.labelHeight)
        switch sheet {
        case .averyL7160:
            #expect((g.columns, g.rows) == (3, 7))
            #expect(abs(mm(g.labelWidth) - 63.5) < 0.001 && abs(mm(g.labelHeight) - 38.1) < 0.001)
            #expect(abs(mm(first.x) - 7.25) < 0.001 && abs(mm(first.y) - 15.15) < 0.001)
        case .averyL7163:
            #expect((g.columns, g.rows) == (2, 7))
            #expect(abs(mm(g.labelWidth) - 99.1) < 0.001 && abs(mm(g.labelHeight) - 38.1) < 0.001)
        case .avery5160:
            #expect((g.columns, g.rows) == (3, 10))
            #expect(g.labelWidth == 189 && g.labelHeight == 72)
            #expect(g.paper == .letter)
        }
    }

    @Test(
        "Every label on every sheet scans back as its code and shows it as text, in its own label",
        .enabled(if: printingToolsInstalled, printingToolsMissing), arguments: LabelSheet.allCases)
    func sheetsScan(sheet: LabelSheet) throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let geometry = sheet.geometry
        let (batch, codes) = try fixture.issue(geometry.perSheet + 2)
        let outcome = try LabelSheets.run(
            workspace: fixture.workspace, store: fixture.store, selection: .batch(batch), sheet: sheet)
        #expect(outcome.output.lastPathComponent == "labels-\(batch)-\(sheet.rawValue).pdf")
        #expect(outcome.pageCount == 2)
        #expect(try ExternalTool.pageCount(of: outcome.output) == 2)
        #expect(try ExternalTool.qpdf.run(["--check", outcome.output.path]).status == 0)
        // Codes of a batch print in code order, row by row: each label's QR and text are its own code.
        let slots = try readEverySlot(
            outcome.output, slots: (0..<geometry.perSheet).map(geometry.label), count: codes.count)
        #expect(slots.map(\.qr) == codes.sorted().map { [$0.display] })
        #expect(slots.map { ExternalTool.squeezed($0.text) } == codes.sorted().map(\.canonical))
    }

    @Test(
        "A partly used sheet: printing starts at the first free label",
        .enabled(if: printingToolsInstalled, printingToolsMissing))
    func firstLabel() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let (batch, codes) = try fixture.issue(3)
        let outcome = try LabelSheets.run(
            workspace: fixture.workspace, store: fixture.store, selection: .batch(batch), sheet: .averyL7160,
            firstPosition: 20)
        #expect(outcome.pageCount == 2)
        let geometry = LabelSheet.averyL7160.geometry
        for position in 0..<19 {
            #expect(
                ExternalTool.squeezed(try ExternalTool.text(of: outcome.output, page: 1, in: geometry.label(position)))
                    .isEmpty)
        }
        let sorted = codes.sorted()
        #expect(
            ExternalTool.squeezed(try ExternalTool.text(of: outcome.output, page: 1, in: geometry.label(19)))
                == sorted[0].canonical)
        #expect(
            ExternalTool.squeezed(try ExternalTool.text(of: outcome.output, page: 2, in: geometry.label(0)))
                == sorted[2].canonical)
        #expect(throws: PrintingError.invalidFirstLabel(position: 22, perSheet: 21)) {
            try LabelSheets.run(
                workspace: fixture.workspace, store: fixture.store, selection: .batch(batch), sheet: .averyL7160,
                firstPosition: 22)
        }
    }

    @Test(
        "Module size snaps to whole printer dots, about 0.75 mm and never under 0.5 mm",
        arguments: [(203, 6), (300, 9), (600, 18), (96, 3)])
    func dotsPerModule(dpi: Int, expected: Int) {
        let dots = ThermalLabels.dotsPerModule(dotsPerInch: dpi)
        #expect(dots == expected)
        #expect(Double(dots) / Double(dpi) * 25.4 >= QRMatrix.minimumModuleMillimetres)
    }

    @Test(
        "Thermal PNG labels decode, state their DPI, and are a whole number of modules wide",
        .enabled(if: ExternalTool.zbarimg.isInstalled, ExternalTool.zbarMissing), arguments: [203, 300])
    func thermal(dpi: Int) throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let outcome = try ThermalLabels.run(
            workspace: fixture.workspace, store: fixture.store, selection: .new(count: 3), dotsPerInch: dpi)
        let batch = try #require(outcome.batch)
        #expect(outcome.output.lastPathComponent == "labels-\(batch)")
        var codes: [CaseCode] = []
        try fixture.registry.forEachCode(batch: batch) { row in
            codes.append(try CaseCode.parse(row.code))
            #expect(row.status == .printed)
        }
        let module = ThermalLabels.dotsPerModule(dotsPerInch: dpi)
        for code in codes {
            let file = outcome.output.appendingPathComponent("\(code.display).png")
            #expect(try ExternalTool.decodeQR(file) == [code.display])
            let png = try PNGChunks(Data(contentsOf: file))
            #expect(png.dotsPerInch == dpi)
            #expect(png.bitDepth == 1)
            let matrix = try QRMatrix.encode(code.display)
            #expect(png.width == matrix.sizeWithQuietZone * module)
            #expect(png.height % module == 0)
        }
    }

    @Test("The thermal label's quiet zone is white all round the symbol")
    func quietZone() throws {
        let code = CaseCode(randomValues: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        let image = try ThermalLabels.image(for: code, dotsPerInch: 203, rasterizer: TextRasterizer(dotsPerInch: 203))
        let module = ThermalLabels.dotsPerModule(dotsPerInch: 203)
        let side = try QRMatrix.encode(code.display).sizeWithQuietZone * module
        let zone = QRMatrix.quietZone * module
        var blackInZone = 0
        for y in 0..<side {
            for x in 0..<side where (x < zone || x >= side - zone || y < zone || y >= side - zone) && image[x, y] {
                blackInZone += 1
            }
        }
        #expect(blackInZone == 0)
        // …and the code text below starts after it.
        #expect(image.height > side)
    }
}
