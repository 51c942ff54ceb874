import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// One way of printing forms, as a test argument.
struct FormCase: CustomTestStringConvertible, Sendable {
    var languages: [String]
    var layout: FormLayout = .pages
    var paper: PaperSize = .a4
    var card = false
    var duplex = false

    var options: FormPrintOptions {
        FormPrintOptions(languages: languages, layout: layout, paper: paper, card: card, duplex: duplex)
    }

    var testDescription: String {
        "\(languages.joined(separator: "+")) \(layout.rawValue) \(paper.rawValue)"
            + (card ? " card" : "") + (duplex ? " duplex" : "")
    }
}

/// What a reader gets back from one page of a forms PDF: the QR codes zbarimg reads in each code area (cut
/// from the page rendered at 150 dpi: zbar reads one symbol per image reliably), and the page's text.
struct ReadPage {
    var kind: FormPageKind
    var qr: [[String]]
    /// The whole page's text.
    var text: String
    /// The text of the slip part: the whole page for a slip, above the cut line for a tear-off page.
    var slipText: String
    /// The text of the sheet part: the whole page for a sheet, below the cut line for a tear-off page.
    var sheetText: String
    /// Whether zbarimg finds any QR code on the whole page.
    var anyQROnPage: Bool
}

func readForms(_ outcome: FormPrintOutcome, paper: PaperSize) throws -> [ReadPage] {
    let folder = TestPaths.temporaryDirectory("separa-forms")
    defer { try? FileManager.default.removeItem(at: folder) }
    let pdf = outcome.output
    let dpi = 150.0
    let page = paper.pageSize
    return try (0..<outcome.pageCount).map { index in
        let number = index + 1
        let layout = outcome.pages[index % outcome.pages.count]
        let qr = try layout.codeAreas.enumerated().map { slot, area in
            // The area holds the quiet zone; a little more white around it costs nothing.
            let rect = area.insetBy(dx: -Length.mm(2), dy: -Length.mm(2))
            let image = folder.appendingPathComponent("p\(number)-\(slot)")
            try ExternalTool.pdftoppm.run([
                "-r", "150", "-png", "-singlefile", "-f", "\(number)", "-l", "\(number)",
                "-x", "\(Int(rect.x / 72 * dpi))", "-y", "\(Int(rect.y / 72 * dpi))",
                "-W", "\(Int(rect.width / 72 * dpi))", "-H", "\(Int(rect.height / 72 * dpi))", pdf.path, image.path,
            ])
            return try ExternalTool.decodeQR(image.appendingPathExtension("png"))
        }
        let whole = folder.appendingPathComponent("p\(number)-page")
        try ExternalTool.pdftoppm.run([
            "-r", "150", "-png", "-singlefile", "-f", "\(number)", "-l", "\(number)", pdf.path, whole.path,
        ])
        let anyQR = !(try ExternalTool.decodeQR(whole.appendingPathExtension("png"))).isEmpty
        let text = try ExternalTool.text(of: pdf, page: number)
        var slip = ""
        var sheet = ""
        switch layout.kind {
        case .slip: slip = text
        case .sheet: sheet = text
        case .tearOff:
            let cut = try #require(outcome.cutLine)
            slip = try ExternalTool.text(
                of: pdf, page: number, in: PageRect(x: 0, y: 0, width: page.width, height: cut))
            sheet = try ExternalTool.text(
                of: pdf, page: number, in: PageRect(x: 0, y: cut, width: page.width, height: page.height - cut))
        case .card, .blank: break
        }
        return ReadPage(
            kind: layout.kind, qr: qr, text: text, slipText: slip, sheetText: sheet, anyQROnPage: anyQR)
    }
}

extension String {
    /// Whether `other` occurs in this text, compared scalar by scalar. `contains` compares characters, and
    /// poppler sometimes puts an Arabic vowel mark from elsewhere right after a letter or digit, which then
    /// forms one character with it.
    func hasScalars(_ other: String) -> Bool {
        let haystack = Array(unicodeScalars)
        let needle = Array(other.unicodeScalars)
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }
}

/// Whether poppler gives `text` back in logical order. It does for Arabic except where a font ligature
/// joins lam with an alef (لا لأ لإ لآ) or an alef maksura (لى), whose letters come back in another order or
/// form, where a vowel mark (harakat) sits on a letter: the mark may come back before its letter, and for
/// brackets in Arabic text, which it mirrors or not depending on its guess of the page's main direction.
func popplerReadsBack(_ text: String) -> Bool {
    let scalars = Array(text.unicodeScalars)
    let arabic = scalars.contains { (0x0600...0x06FF).contains($0.value) }
    if arabic && scalars.contains(where: { "()[]".unicodeScalars.contains($0) }) { return false }
    for (index, scalar) in scalars.enumerated() {
        if (0x064B...0x0652).contains(scalar.value) { return false }
        if scalar == "\u{0644}", index + 1 < scalars.count,
            ["\u{0627}", "\u{0623}", "\u{0625}", "\u{0622}", "\u{0649}"].contains(scalars[index + 1])
        {
            return false
        }
    }
    return true
}

@Suite("Printing forms")
struct FormTests {
    static let cases: [FormCase] = [
        FormCase(languages: ["en"], card: true),
        FormCase(languages: ["en", "ar"], card: true, duplex: true),
        FormCase(languages: ["fr", "es"], paper: .letter),
        FormCase(languages: ["en"], layout: .tearoff, paper: .letter, card: true, duplex: true),
        FormCase(languages: ["ar"], paper: .letter, duplex: true),
        FormCase(languages: ["es"], layout: .tearoff),
    ]

    @Test(
        "Every page of every form carries its code, readable by zbarimg and pdftotext, and the right words",
        .enabled(if: printingToolsInstalled, printingToolsMissing), arguments: cases)
    func everyPageReadsBack(form: FormCase) throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let now = Date()
        let outcome = try PrintForms.run(
            workspace: fixture.workspace, store: fixture.store, template: "intake", selection: .codes(.new(count: 2)),
            options: form.options, now: now)
        let batch = try #require(outcome.batch)
        #expect(outcome.output.lastPathComponent == "intake-\(batch).pdf")
        #expect(try ExternalTool.qpdf.run(["--check", outcome.output.path]).status == 0)
        #expect(outcome.pageCount == 2 * outcome.pages.count)
        #expect(try ExternalTool.pageCount(of: outcome.output) == outcome.pageCount)
        #expect(
            try ExternalTool.pageSizes(of: outcome.output).allSatisfy {
                abs($0.width - form.paper.pageSize.width) < 0.01 && abs($0.height - form.paper.pageSize.height) < 0.01
            })

        var registered: [String: RegisteredCode] = [:]
        try fixture.registry.forEachCode(batch: batch) { registered[$0.code] = $0 }
        #expect(registered.count == 2)
        #expect(registered.values.allSatisfy { $0.status == .printed && $0.template == "intake" })

        let template = try TemplateLibrary(workspace: fixture.workspace).template(named: "intake")
        let pages = try readForms(outcome, paper: form.paper)
        let perForm = outcome.pages.count
        var printed: [String] = []
        for formIndex in 0..<2 {
            let formPages = Array(pages[formIndex * perForm..<(formIndex + 1) * perForm])
            let code = try #require(formPages.first?.qr.first?.first, "the first page shows no QR")
            printed.append(code)
            let parsed = try CaseCode.parse(code)
            for page in formPages {
                try expectPage(
                    page, code: parsed, template: template, form: form, config: fixture.workspace.config,
                    printDate: Timestamp.localDay(now))
            }
            // Every field label of the sheet, in every language poppler reads back, is on one of its pages.
            let sheetText = ExternalTool.squeezed(formPages.map(\.sheetText).joined())
            for field in template.sensitiveFields {
                for language in form.languages {
                    guard let label = field.label[language], popplerReadsBack(label) else { continue }
                    if language == "ar" && form.languages.count > 1 {
                        // Beside another language, poppler interleaves the lines of a wrapped Arabic label
                        // with the lines next to them: each word is checked instead.
                        // (Punctuation at a line's end comes back at its start: words are compared without it.)
                        let words = label.split(separator: " ").map {
                            $0.trimmingCharacters(in: .punctuationCharacters)
                        }
                        for word in words where word.count > 2 && popplerReadsBack(word) {
                            let found = sheetText.hasScalars(word)
                            #expect(found, "\(field.name) in \(language): \(word)")
                        }
                    } else {
                        let found = sheetText.hasScalars(ExternalTool.squeezed(label))
                        #expect(found, "\(field.name) in \(language)")
                    }
                }
            }
        }
        #expect(Set(printed.map { try! CaseCode.parse($0).canonical }) == Set(registered.keys))
    }

    func expectPage(
        _ page: ReadPage, code: CaseCode, template: Template, form: FormCase, config: WorkspaceConfig,
        printDate: String
    ) throws {
        let text = ExternalTool.squeezed(page.text)
        if page.kind == .blank {
            #expect(text.isEmpty, "a blank back has text")
            #expect(!page.anyQROnPage, "a blank back has a QR")
            return
        }
        #expect(!page.qr.isEmpty)
        for read in page.qr { #expect(read == [code.display], "\(page.kind)") }
        #expect(text.hasScalars(code.canonical))
        if page.kind == .card {
            #expect(text.hasScalars("intakev1"))
            #expect(text.hasScalars(printDate.replacingOccurrences(of: "-", with: "")))
            return
        }
        #expect(text.hasScalars("intakev1"))
        #expect(text.hasScalars(printDate.replacingOccurrences(of: "-", with: "")))
        let wordings = form.languages.map { FormWording.table[$0]! }
        let slip = ExternalTool.squeezed(page.slipText)
        let sheet = ExternalTool.squeezed(page.sheetText)
        let identityLabels = template.identity.flatMap { field in template.languages.compactMap { field.label[$0] } }
        if !slip.isEmpty {
            for wording in wordings where popplerReadsBack(wording.identitySlip) {
                #expect(slip.hasScalars(ExternalTool.squeezed(wording.identitySlip)))
            }
            for language in form.languages {
                let consent = try #require(ConsentText.generate(template, language: language, config: config))
                #expect(slip.hasScalars(ExternalTool.squeezed(consent.title)), "consent title in \(language)")
                for paragraph in consent.paragraphs where popplerReadsBack(paragraph) && !paragraph.contains("•") {
                    if language == "ar" && !paragraph.unicodeScalars.allSatisfy({ $0.value >= 0x0600 || $0 == " " }) {
                        continue  // mixed-direction text (the contact): poppler reorders its runs
                    }
                    #expect(slip.hasScalars(ExternalTool.squeezed(paragraph)), "consent in \(language)")
                }
                for field in template.identity {
                    guard let label = field.label[language], popplerReadsBack(label) else { continue }
                    #expect(slip.hasScalars(ExternalTool.squeezed(label)), "\(field.name) in \(language)")
                }
            }
        }
        if case .sheet = page.kind {
        } else if case .tearOff = page.kind {
        } else {
            #expect(sheet.isEmpty)
        }
        if !sheet.isEmpty {
            for wording in wordings where popplerReadsBack(wording.sensitiveSheet) {
                #expect(sheet.hasScalars(ExternalTool.squeezed(wording.sensitiveSheet)))
            }
            // No identity field label, in any language of the template, and no consent statement.
            for label in identityLabels {
                #expect(!sheet.hasScalars(ExternalTool.squeezed(label)), "identity label on a sheet page")
            }
            for language in template.languages {
                let consent = try #require(ConsentText.generate(template, language: language))
                #expect(!sheet.hasScalars(ExternalTool.squeezed(consent.title)))
            }
        }
    }

    @Test("The pages of a form: slip apart, backs blank where a slip or card would back something else")
    func pageOrder() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        func pages(_ form: FormCase) throws -> [String] {
            try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "intake",
                selection: .codes(.new(count: 1)), options: form.options
            ).pages.map(\.kind.description)
        }
        #expect(try pages(FormCase(languages: ["en"])) == ["slip 1/1", "sheet 1/3", "sheet 2/3", "sheet 3/3"])
        #expect(
            try pages(FormCase(languages: ["en"], duplex: true))
                == ["slip 1/1", "blank", "sheet 1/3", "sheet 2/3", "sheet 3/3", "blank"])
        // The card fits under an English slip; it is cut off before the slip is filed.
        let english = try PrintForms.run(
            workspace: fixture.workspace, store: fixture.store, template: "intake", selection: .codes(.new(count: 1)),
            options: FormCase(languages: ["en"], card: true).options)
        #expect(english.card == .slipPage)
        #expect(english.pages[0].codeAreas.count == 2)
        // Tear-off: the first sheet page is under the slip; duplex leaves its back blank, and the card gets a
        // front of its own with a blank back.
        #expect(
            try pages(FormCase(languages: ["en"], layout: .tearoff, card: true, duplex: true))
                == ["slip + sheet 1/4", "blank", "sheet 2/4", "sheet 3/4", "sheet 4/4", "blank", "card", "blank"])
        for form in FormTests.cases where form.duplex {
            let kinds = try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "intake",
                selection: .codes(.new(count: 1)), options: form.options
            ).pages.map(\.kind)
            #expect(kinds.count % 2 == 0, "a form must end on a back")
            for (index, kind) in kinds.enumerated() {
                switch kind {
                case .slip, .tearOff, .card:
                    #expect(index % 2 == 0 && kinds[index + 1] == .blank, "\(kind) must be a front with a blank back")
                default: break
                }
            }
        }
    }

    @Test("--batch and --codes print registered codes and record them as printed with the template")
    func existingCodes() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let (batch, codes) = try fixture.issue(3)
        // A code printed on a card first gets the template when its form is printed.
        try fixture.registry.markPrinted(codes: [codes[0]])
        let outcome = try PrintForms.run(
            workspace: fixture.workspace, store: fixture.store, template: "intake", selection: .codes(.batch(batch)))
        #expect(outcome.forms == 3)
        #expect(outcome.newlyPrinted == 2)
        #expect(outcome.output.lastPathComponent == "intake-\(batch).pdf")
        let rows = try fixture.store.database.read { db in
            try codes.map { try RegisteredCode.fetchOne(db, key: $0.canonical)! }
        }
        #expect(rows.allSatisfy { $0.status == .printed && $0.template == "intake" })

        let list = fixture.folder.appendingPathComponent("codes.txt")
        try [codes[2].display, codes[1].canonical.lowercased()].joined(separator: "\n").write(
            to: list, atomically: true, encoding: .utf8)
        let listed = try PrintForms.run(
            workspace: fixture.workspace, store: fixture.store, template: "visit",
            selection: .codes(.list(path: list.path)))
        #expect(listed.forms == 2)
        #expect(listed.batch == nil)
        #expect(listed.output.lastPathComponent.hasPrefix("visit-"))
        // The template first printed stays recorded.
        #expect(
            try fixture.store.database.read { db in try RegisteredCode.fetchOne(db, key: codes[2].canonical)!.template }
                == "intake")
    }

    @Test("A code list with unregistered or revoked codes is refused by line, and nothing is printed")
    func badList() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let (_, codes) = try fixture.issue(2)
        try fixture.store.database.write { db in
            try db.execute(sql: "UPDATE code SET status = 'revoked' WHERE code = ?", arguments: [codes[1].canonical])
        }
        let unregistered = CaseCode(randomValues: Array(repeating: 4, count: 11))
        let list = fixture.folder.appendingPathComponent("codes.txt")
        try ["# today's appointments", codes[0].display, unregistered.display, "", codes[1].display].joined(
            separator: "\n"
        ).write(to: list, atomically: true, encoding: .utf8)
        do {
            _ = try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "visit",
                selection: .codes(.list(path: list.path)))
            Issue.record("a list with bad lines was printed")
        } catch let error as PrintingError {
            guard case .codeList(_, let problems) = error else { throw error }
            #expect(problems.map(\.line) == [3, 5])
            #expect(!"\(error)".hasScalars(unregistered.display) && !"\(error)".hasScalars(codes[1].display))
        }
        #expect(try fixture.status(of: codes[0]) == .issued)
        #expect(try outputFiles(fixture).isEmpty)
    }

    @Test("When the PDF cannot be finished, no code is registered and no file is left")
    func nothingRegisteredOnFailure() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "intake",
                selection: .codes(.new(count: 5)),
                progress: { done, _ in if done == 5 { throw Interrupted() } })
        }
        #expect(try fixture.registry.info().registered == 0)
        #expect(try fixture.store.database.read { db in try Batch.fetchCount(db) } == 0)
        #expect(try outputFiles(fixture).isEmpty)
    }

    @Test(
        "Visit sheets: new codes refused; blank sheets carry boxes for the code from the card and no QR",
        .enabled(if: printingToolsInstalled, printingToolsMissing))
    func visitSheets() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        #expect(throws: PrintingError.newCodesNeedIdentitySlip("visit")) {
            try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "visit", selection: .codes(.new(count: 3))
            )
        }
        #expect(throws: PrintingError.blankFormsNeedNoIdentitySlip("intake")) {
            try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "intake", selection: .blank(count: 3))
        }
        #expect(throws: PrintingError.cardNeedsCode) {
            try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "visit", selection: .blank(count: 3),
                options: FormPrintOptions(card: true))
        }
        #expect(try fixture.registry.info().registered == 0)
        let outcome = try PrintForms.run(
            workspace: fixture.workspace, store: fixture.store, template: "visit", selection: .blank(count: 3),
            options: FormPrintOptions(languages: ["ar", "en"], duplex: true))
        #expect(outcome.output.lastPathComponent.hasPrefix("visit-blank-"))
        #expect(outcome.pages.map(\.kind) == [.sheet(page: 1, of: 1), .blank])
        #expect(outcome.pageCount == 6)
        #expect(try fixture.registry.info().registered == 0)
        for page in try readForms(outcome, paper: .a4) {
            #expect(!page.anyQROnPage)
            #expect(page.qr.isEmpty)
            if page.kind != .blank {
                let text = ExternalTool.squeezed(page.text)
                #expect(text.hasScalars(ExternalTool.squeezed("Copy the code from the person’s card")))
                #expect(text.hasScalars("visitv1"))
            }
        }
    }

    @Test("Languages are checked before anything is registered")
    func languages() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        func run(_ languages: [String], layout: FormLayout = .pages) throws {
            _ = try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "intake",
                selection: .codes(.new(count: 2)), options: FormPrintOptions(languages: languages, layout: layout))
        }
        #expect(throws: PrintingError.unknownFormLanguage("ti")) { try run(["ti"]) }
        #expect(throws: PrintingError.formLanguageCount(3)) { try run(["en", "fr", "es"]) }
        #expect(throws: PrintingError.slipTooTallForTearOff("intake")) { try run(["en", "ar"], layout: .tearoff) }
        #expect(try fixture.registry.info().registered == 0)
        #expect(try outputFiles(fixture).isEmpty)
        var config = WorkspaceConfig.defaults(siteName: "X")
        config.languages = ["ti", "ar", "en"]
        let template = try TemplateLibrary(workspace: fixture.workspace).template(named: "intake")
        #expect(PrintForms.defaultLanguages(template: template, config: config) == ["ar"])
    }

    @Test("Without a data controller the consent cannot say who is responsible: forms with a slip are refused")
    func controllerRequired() throws {
        let fixture = PrintingWorkspace(controller: nil)
        defer { fixture.remove() }
        #expect(throws: PrintingError.controllerNotSet(path: fixture.workspace.configURL.path)) {
            try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "intake",
                selection: .codes(.new(count: 1)))
        }
        #expect(try fixture.registry.info().registered == 0)
        // Blank visit sheets have no slip and no consent: they print.
        _ = try PrintForms.run(
            workspace: fixture.workspace, store: fixture.store, template: "visit", selection: .blank(count: 1))
    }

    @Test(
        "A signature box only when the template asks; a field taller than a page is refused before any code",
        .enabled(if: printingToolsInstalled, printingToolsMissing))
    func templateShapes() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let intake = try PrintForms.run(
            workspace: fixture.workspace, store: fixture.store, template: "intake", selection: .codes(.new(count: 1)),
            options: FormPrintOptions(languages: ["en"]))
        #expect(!(try ExternalTool.text(of: intake.output)).hasScalars("Signature"))

        var yaml = try String(
            contentsOf: fixture.workspace.templatesURL.appendingPathComponent("intake.yaml"), encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "id: intake", with: "id: signed")
        yaml = yaml.replacingOccurrences(
            of: "identity:\n",
            with: """
                identity:
                  - name: signature
                    type: text
                    label: {en: "Signature of the person", fr: "Signature de la personne", es: "Firma de la persona", ar: "توقيع الشخص"}
                    purpose: consent

                """)
        try yaml.write(
            to: fixture.workspace.templatesURL.appendingPathComponent("signed.yaml"), atomically: true, encoding: .utf8)
        let signed = try PrintForms.run(
            workspace: fixture.workspace, store: fixture.store, template: "signed", selection: .codes(.new(count: 1)),
            options: FormPrintOptions(languages: ["en"]))
        #expect(try ExternalTool.text(of: signed.output, page: 1).hasScalars("Signature of the person"))

        let long = String(repeating: "A very long question label that never ends. ", count: 300)
        let tall = yaml.replacingOccurrences(of: "id: signed", with: "id: tall")
            .replacingOccurrences(of: "en: \"Sex\"", with: "en: \"\(long)\"")
        try tall.write(
            to: fixture.workspace.templatesURL.appendingPathComponent("tall.yaml"), atomically: true, encoding: .utf8)
        let before = try fixture.registry.info().registered
        #expect(throws: PrintingError.fieldDoesNotFit(template: "tall", field: "sex")) {
            try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "tall", selection: .codes(.new(count: 1)),
                options: FormPrintOptions(languages: ["en"]))
        }
        #expect(try fixture.registry.info().registered == before)
    }

    @Test("Free text the template allows on a sheet prints only with allowFreeText, on writing lines")
    func freeText() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        var yaml = try String(
            contentsOf: fixture.workspace.templatesURL.appendingPathComponent("visit.yaml"), encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "id: visit", with: "id: remarks")
        yaml = yaml.replacingOccurrences(
            of: "        required: true\n        purpose: follow_up\n\nchoices:",
            with: """
                        required: true
                        purpose: follow_up
                      - name: service_remark
                        type: text
                        maxLength: 100
                        allowFreeText: true
                        label: {en: "Which other service", fr: "Quel autre service", es: "Qué otro servicio", ar: "ما الخدمة الأخرى"}
                        purpose: follow_up

                choices:
                """)
        try yaml.write(
            to: fixture.workspace.templatesURL.appendingPathComponent("remarks.yaml"), atomically: true, encoding: .utf8
        )
        #expect(throws: TemplateError.self) {
            try PrintForms.run(
                workspace: fixture.workspace, store: fixture.store, template: "remarks", selection: .blank(count: 1))
        }
        let outcome = try PrintForms.run(
            workspace: fixture.workspace, store: fixture.store, template: "remarks", selection: .blank(count: 1),
            options: FormPrintOptions(allowFreeText: true))
        #expect(outcome.warnings.contains { $0.rule == .freeTextOnSensitiveSheet })
        #expect(outcome.forms == 1)
    }

    @Test(
        "Dates in their declared format, one box per digit, read left to right also on an Arabic-first form",
        .enabled(if: printingToolsInstalled, printingToolsMissing))
    func dateBoxes() throws {
        let fixture = PrintingWorkspace()
        defer { fixture.remove() }
        let outcome = try PrintForms.run(
            workspace: fixture.workspace, store: fixture.store, template: "visit", selection: .blank(count: 1),
            options: FormPrintOptions(languages: ["en", "ar"]))
        // The captions under the groups, in reading order of a left-to-right text extraction.
        let text = try ExternalTool.pdftotext.run(["-enc", "UTF-8", "-raw", outcome.output.path, "-"]).output
        let day = try #require(text.range(of: "day"))
        let month = try #require(text.range(of: "month"))
        let year = try #require(text.range(of: "year"))
        #expect(day.lowerBound < month.lowerBound && month.lowerBound < year.lowerBound)
    }

    func outputFiles(_ fixture: PrintingWorkspace) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixture.workspace.outputURL.path)
            .filter { $0.hasSuffix(".pdf") || $0.contains(".tmp-") }
    }
}
