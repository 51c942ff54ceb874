import Foundation
import GRDB
import Testing

@testable import SeparaKit

@Suite("Code cards")
struct CodeCardTests {
    @Test(
        "Every card on every page scans back as its code; 10 cards a page on A4",
        .enabled(if: printingToolsInstalled, printingToolsMissing))
    func everyCardScans() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let (batch, codes) = try fixture.issue(23)
        let outcome = try CodeCards.run(
            workspace: fixture.workspace, store: fixture.store, selection: .batch(batch), languages: ["en"])
        #expect(outcome.output.lastPathComponent == "cards-\(batch).pdf")
        #expect(outcome.pageCount == 3)
        #expect(try ExternalTool.pageCount(of: outcome.output) == 3)
        #expect(try ExternalTool.qpdf.run(["--check", outcome.output.path]).status == 0)
        // A batch prints in code order, row by row: each card's QR and text are its own code.
        let slots = try readEverySlot(outcome.output, slots: CodeCards.cardRects(on: .a4), count: 23)
        #expect(slots.map(\.qr) == codes.sorted().map { [$0.display] })
        for (slot, code) in zip(slots, codes.sorted()) {
            #expect(ExternalTool.squeezed(slot.text).contains(code.canonical))
        }
    }

    @Test(
        "The card says what the code is for, that it holds nothing about the person, and whom to contact",
        .enabled(if: printingToolsInstalled, printingToolsMissing),
        arguments: [["en"], ["en", "ar"], ["fr", "es"], ["ar"], ["es", "fr"]])
    func wordingInEachLanguage(languages: [String]) throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let (batch, codes) = try fixture.issue(4)
        let outcome = try CodeCards.run(
            workspace: fixture.workspace, store: fixture.store, selection: .batch(batch), languages: languages)
        let slots = try readEverySlot(outcome.output, slots: CodeCards.cardRects(on: .a4), count: 4)
        for (slot, code) in zip(slots, codes.sorted()) {
            #expect(slot.qr == [code.display])
            try expectWording(ExternalTool.squeezed(slot.text), code: code, languages: languages)
        }
    }

    func expectWording(_ text: String, code: CaseCode, languages: [String]) throws {
        #expect(text.contains(code.canonical))
        #expect(text.contains(ExternalTool.squeezed("Croce Rossa Italiana · privacy@cri.example, +39 06 5510 0000")))
        for language in languages {
            let wording = try #require(CardWording.table[language])
            #expect(text.contains(ExternalTool.squeezed(wording.title)))
            if wording.direction == .leftToRight {
                #expect(text.contains(ExternalTool.squeezed(wording.paragraph)))
            } else {
                // poppler orders right-to-left text by its own guess of the page's main direction, and
                // writes the letters of a lam-alef ligature backwards; the first sentence has neither trap
                // on a page where Arabic leads, and its first phrase on any page.
                #expect(text.contains(ExternalTool.squeezed("احتفظ بهذه البطاقة")))
                if languages == ["ar"] {
                    #expect(text.contains(ExternalTool.squeezed(wording.purpose)))
                    #expect(text.contains(ExternalTool.squeezed(wording.contactLead)))
                }
            }
        }
    }

    @Test(
        "Letter holds 8 cards a page; one per page makes card-sized pages",
        .enabled(if: printingToolsInstalled, printingToolsMissing))
    func letterAndSingle() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let (batch, codes) = try fixture.issue(9)
        let letter = try CodeCards.run(
            workspace: fixture.workspace, store: fixture.store, selection: .batch(batch), languages: ["es"],
            layout: .sheet(.letter))
        #expect(try ExternalTool.pageCount(of: letter.output) == 2)
        #expect(
            try readEverySlot(letter.output, slots: CodeCards.cardRects(on: .letter), count: 9).map(\.qr)
                == codes.sorted().map { [$0.display] })
        #expect(try ExternalTool.pageSizes(of: letter.output).allSatisfy { $0 == PageSize(width: 612, height: 792) })
        let single = try CodeCards.run(
            workspace: fixture.workspace, store: fixture.store, selection: .batch(batch), languages: ["fr"],
            layout: .single)
        #expect(single.output.lastPathComponent == "cards-\(batch)-single.pdf")
        let card = PageRect(x: 0, y: 0, width: CodeCards.cardSize.width, height: CodeCards.cardSize.height)
        #expect(
            try readEverySlot(single.output, slots: [card], count: 9).map(\.qr) == codes.sorted().map { [$0.display] })
        for size in try ExternalTool.pageSizes(of: single.output) {
            #expect(abs(Length.millimetres(fromPoints: size.width) - 85.6) < 0.1)
            #expect(abs(Length.millimetres(fromPoints: size.height) - 53.98) < 0.1)
        }
    }

    @Test("--count registers a print batch, prints it and marks its codes printed")
    func newCodes() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let outcome = try CodeCards.run(
            workspace: fixture.workspace, store: fixture.store, selection: .new(count: 12), languages: ["en", "ar"])
        let batch = try #require(outcome.batch)
        let kind = try fixture.store.database.read { db in try Batch.fetchOne(db, key: batch.rawValue)?.kind }
        #expect(kind == "print")
        #expect(outcome.codeCount == 12)
        #expect(outcome.newlyPrinted == 12)
        var statuses: [CodeStatus] = []
        try fixture.registry.forEachCode(batch: batch) { statuses.append($0.status) }
        #expect(statuses == Array(repeating: .printed, count: 12))
    }

    @Test("Cards are refused while the controller is the placeholder, and no code is issued")
    func controllerMustBeSet() throws {
        let fixture = PrintingWorkspace(controller: nil)
        defer { fixture.remove() }
        #expect(throws: PrintingError.controllerNotSet(path: fixture.workspace.configURL.path)) {
            try CodeCards.run(workspace: fixture.workspace, store: fixture.store, selection: .new(count: 3))
        }
        #expect(try fixture.registry.info().registered == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.workspace.outputURL.path)
        #expect(leftovers.filter { $0.hasSuffix(".pdf") || $0.contains("tmp") }.isEmpty)
    }

    @Test("Unknown languages, too many languages and text too long for a card are refused before issuing")
    func refusals() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        #expect(throws: PrintingError.unknownCardLanguage("ti")) {
            try CodeCards.run(
                workspace: fixture.workspace, store: fixture.store, selection: .new(count: 1), languages: ["ti"])
        }
        #expect(throws: PrintingError.cardLanguageCount(3)) {
            try CodeCards.run(
                workspace: fixture.workspace, store: fixture.store, selection: .new(count: 1),
                languages: ["en", "fr", "es"])
        }
        let wordy = PrintingWorkspace(
            controller: .init(
                name: String(repeating: "Very Long Organisation Name ", count: 8), contact: "privacy@example.org"))
        defer { wordy.remove() }
        #expect(throws: PrintingError.cardTextDoesNotFit(languages: ["en", "ar"])) {
            try CodeCards.run(
                workspace: wordy.workspace, store: wordy.store, selection: .new(count: 1), languages: ["en", "ar"])
        }
        #expect(try fixture.registry.info().registered == 0)
        #expect(try wordy.registry.info().registered == 0)
    }

    @Test("Default languages are the workspace's languages with card wording, at most two")
    func defaultLanguages() {
        var config = WorkspaceConfig.defaults(siteName: "X")
        config.languages = ["ti", "ar", "fr", "en"]
        #expect(CodeCards.defaultLanguages(for: config) == ["ar", "fr"])
        config.languages = ["ti"]
        #expect(CodeCards.defaultLanguages(for: config) == ["en"])
    }

    @Test("Phone numbers in the contact never break across lines")
    func phoneNumbersStayTogether() {
        #expect(
            CodeCardRenderer.keepingNumbersTogether("call +39 06 5510 0000, or write")
                == "call +39\u{00A0}06\u{00A0}5510\u{00A0}0000, or write")
    }
}

@Suite("Printing a selection of codes")
struct PrintSelectionTests {
    @Test("A code list with bad lines is refused line by line, without repeating the lines")
    func badList() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let (_, codes) = try fixture.issue(2)
        let unregistered = CaseCode(randomValues: Array(repeating: 3, count: 11))
        let list = fixture.folder.appendingPathComponent("codes.txt")
        let lines = [
            "# codes to print", codes[0].display.lowercased(), "", "K7M2-9QX4-HT3X", unregistered.display,
            codes[1].canonical,
        ]
        try lines.joined(separator: "\r\n").write(to: list, atomically: true, encoding: .utf8)
        do {
            _ = try CodeCards.run(workspace: fixture.workspace, store: fixture.store, selection: .list(path: list.path))
            Issue.record("a list with bad lines was printed")
        } catch let error as PrintingError {
            guard case .codeList(_, let problems) = error else { throw error }
            #expect(problems.map(\.line) == [4, 5])
            #expect(!"\(error)".contains("HT3X"))
            #expect(!"\(error)".contains(unregistered.display))
        }
        try [codes[1].display, codes[0].display].joined(separator: "\n").write(
            to: list, atomically: true, encoding: .utf8)
        let outcome = try CodeCards.run(
            workspace: fixture.workspace, store: fixture.store, selection: .list(path: list.path))
        #expect(outcome.codeCount == 2)
        #expect(outcome.batch == nil)
        #expect(outcome.output.lastPathComponent.hasPrefix("cards-"))
    }

    @Test("A batch prints without its revoked codes, and printing again marks nothing new")
    func revokedLeftOut() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let (batch, codes) = try fixture.issue(5)
        try fixture.store.database.write { db in
            try db.execute(sql: "UPDATE code SET status = 'revoked' WHERE code = ?", arguments: [codes[0].canonical])
        }
        let first = try LabelSheets.run(
            workspace: fixture.workspace, store: fixture.store, selection: .batch(batch), sheet: .averyL7163)
        #expect(first.codeCount == 4)
        #expect(first.skippedRevoked == 1)
        #expect(first.newlyPrinted == 4)
        #expect(try fixture.status(of: codes[0]) == .revoked)
        let again = try LabelSheets.run(
            workspace: fixture.workspace, store: fixture.store, selection: .batch(batch), sheet: .averyL7163)
        #expect(again.newlyPrinted == 0)
    }
}
