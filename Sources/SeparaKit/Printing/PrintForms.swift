import Foundation

/// How the parts of a form are put on paper.
public enum FormLayout: String, CaseIterable, Hashable, Sendable {
    /// The identity slip on a page of its own, the sensitive sheet on the next pages: slips and sheets are
    /// separated by taking pages apart, never by cutting.
    case pages
    /// The identity slip on the top part of the first page, above a dashed cut line with scissors; the
    /// sensitive sheet starts below the line (with its own header and code) and continues on the next pages.
    case tearoff
}

/// What a form print run puts on paper.
public enum FormSelection: Hashable, Sendable {
    /// Forms for codes: new ones, a batch or a list (see ``CodeSelection``).
    case codes(CodeSelection)
    /// Sheets without a pre-printed code: boxes in the header take the code copied from the person's card.
    /// Only for templates without an identity slip (follow-up visits).
    case blank(count: Int)
}

/// How forms are printed.
public struct FormPrintOptions: Hashable, Sendable {
    /// One or two languages, printed side by side; nil: ``PrintForms/defaultLanguages(template:config:)``.
    public var languages: [String]?
    public var layout: FormLayout
    public var paper: PaperSize
    /// A code card for the person with every form.
    public var card: Bool
    /// The PDF will be printed on both sides: blank backs are added so that a slip never backs a sheet, a
    /// card never backs anything, and every form starts on a new sheet of paper.
    public var duplex: Bool
    /// Passed to the template checker: allow free-text fields the template marks as allowed.
    public var allowFreeText: Bool

    public init(
        languages: [String]? = nil, layout: FormLayout = .pages, paper: PaperSize = .a4, card: Bool = false,
        duplex: Bool = false, allowFreeText: Bool = false
    ) {
        self.languages = languages
        self.layout = layout
        self.paper = paper
        self.card = card
        self.duplex = duplex
        self.allowFreeText = allowFreeText
    }
}

/// What a form print run produced.
public struct FormPrintOutcome: Sendable {
    /// The PDF written.
    public let output: URL
    public let template: TemplateID
    public let templateVersion: String
    /// The languages printed, in column order.
    public let languages: [String]
    /// Forms printed (one per code, or blank sheets).
    public let forms: Int
    /// PDF pages in all.
    public let pageCount: Int
    /// PDF pages per form, blank backs included.
    public let pagesPerForm: Int
    /// Identity slip pages per form (0 without a slip; the tear-off page counts as one).
    public let slipPages: Int
    /// Sensitive sheet pages per form.
    public let sheetPages: Int
    /// Where each form's code card is.
    public let card: FormCardPlacement
    /// The pages of one form, in order (every form has the same).
    public let pages: [FormPage]
    /// On a tear-off page, the y (points from the top) of the cut line between slip and sheet.
    public let cutLine: Double?
    /// The batch printed or issued; nil for a list of codes and for blank sheets.
    public let batch: BatchID?
    /// Codes whose status went to `printed` (new codes are registered as printed).
    public let newlyPrinted: Int
    /// Revoked codes of the batch that were left out.
    public let skippedRevoked: Int
    /// The template checker's warnings, for the caller to show.
    public let warnings: [TemplateDiagnostic]
}

/// `separa print`: coded paper forms from a template.
///
/// For each code: its identity slip, its sensitive sheet page(s) and, when asked, a code card. Every slip,
/// sheet page and card carries the code as a QR and as text in groups of four, the template id and
/// version, the part and the print date. The QR holds the code as printed (`K7M2-9QX4-HT3C`, upper case
/// with hyphens) and nothing else, so a USB scanner typing it into the code column of a transcription
/// sheet gives exactly what `separa ingest` reads.
public enum PrintForms {
    /// Most blank sheets one run prints.
    public static let maximumBlankForms = 100_000

    /// The languages used when none are asked for: the first of the workspace's languages that the template
    /// and the form wording both have, else the template's first such language.
    public static func defaultLanguages(template: Template, config: WorkspaceConfig) -> [String] {
        let usable = { (language: String) in
            template.languages.contains(language) && FormWording.table[language] != nil
        }
        if let language = config.languages.first(where: usable) ?? template.languages.first(where: usable) {
            return [language]
        }
        return [template.languages.first ?? "en"]
    }

    /// Prints forms of template `name` into `output/TEMPLATE-BATCH.pdf` (`TEMPLATE-DATE-TIME.pdf` for a list,
    /// `TEMPLATE-blank-DATE-TIME.pdf` for blank sheets).
    ///
    /// Everything is checked, and every page planned, before a code is drawn: the template (checker),
    /// languages, the data controller (named in the consent and on cards), and that every field fits on
    /// a page. New codes are registered as printed with the template in the same transaction that writes
    /// the PDF: if the PDF cannot be written, no code is registered. Existing codes are marked printed
    /// with the template once the PDF is complete.
    ///
    /// - Parameter progress: called with (forms done, forms in all) after each form; throwing from it stops
    ///   the run as any failure does (no code registered, no PDF written).
    public static func run(
        workspace: Workspace, store: Store, template name: String, selection: FormSelection,
        options: FormPrintOptions = FormPrintOptions(), now: Date = Date(),
        progress: (Int, Int) throws -> Void = { _, _ in }
    ) throws -> FormPrintOutcome {
        let library = try TemplateLibrary(workspace: workspace)
        let (template, warnings) = try library.usableTemplate(named: name, allowFreeText: options.allowFreeText)
        let languages = options.languages ?? defaultLanguages(template: template, config: workspace.config)
        let wordings = try wordings(for: languages, template: template)
        let hasSlip = !template.identity.isEmpty
        switch selection {
        case .codes(.new) where !hasSlip:
            throw PrintingError.newCodesNeedIdentitySlip(template.id)
        case .blank(let count):
            if hasSlip { throw PrintingError.blankFormsNeedNoIdentitySlip(template.id) }
            if options.card { throw PrintingError.cardNeedsCode }
            if !(1...maximumBlankForms).contains(count) { throw PrintingError.invalidFormCount(count) }
        default:
            break
        }
        let configPath = workspace.configURL.path
        var consent: [ConsentText] = []
        if hasSlip {
            if !controllerIsSet(template: template, config: workspace.config) {
                throw PrintingError.controllerNotSet(path: configPath)
            }
            consent = languages.compactMap { ConsentText.generate(template, language: $0, config: workspace.config) }
        }
        let card =
            options.card
            ? (
                wording: try CodeCards.wording(for: languages, config: workspace.config, configPath: configPath),
                controller: workspace.config.controller
            ) : nil

        // Existing codes are found before anything is drawn; new ones are drawn inside the registry's transaction.
        var resolved: PrintSelection.Resolved?
        if case .codes(let codes) = selection, !isNew(codes) {
            resolved = try PrintSelection.resolve(codes, workspace: workspace, store: store, note: "", now: now)
        }
        let codeLength = resolved?.codes.map(\.canonical.count).max() ?? workspace.config.codes.randomLength + 1
        let printDate = Timestamp.localDay(now)
        let canvas = try PDFCanvas(
            destination: try workspace.outputFile("\(template.id)-pending.pdf"), pageSize: options.paper.pageSize,
            title: "Separa forms: \(template.id) v\(template.version)")
        let renderer = try FormRenderer(
            canvas: canvas, template: template, wordings: wordings, consent: consent, layout: options.layout,
            paper: options.paper.pageSize, duplex: options.duplex, coded: !isBlank(selection), codeLength: codeLength,
            printDate: printDate, card: card)

        var batch: BatchID?
        var forms = 0
        var marked = 0
        switch selection {
        case .blank(let count):
            for index in 0..<count {
                try renderer.drawForm(nil)
                try progress(index + 1, count)
            }
            forms = count
            try canvas.finish(as: "\(template.id)-blank-\(Timestamp.fileName(now)).pdf")
        case .codes(.new(let count)):
            var random = SystemRandom()
            let issued: CodeRegistry.IssuedBatch
            do {
                issued = try CodeRegistry(workspace: workspace, store: store).issue(
                    count: count, kind: "print", note: "forms \(template.id) v\(template.version)",
                    prefix: workspace.config.site.prefix, now: now, status: .printed, template: template.id,
                    sink: { code, _, _ in
                        try renderer.drawForm(code)
                        forms += 1
                        try progress(forms, count)
                        // The whole PDF is on disk before the registry commits: if it cannot be written, the
                        // transaction rolls back and no code is registered.
                        if forms == count { try canvas.close() }
                    },
                    // Recorded with the codes: killed after the commit and before the rename, the next command
                    // finishes the rename (Workspace.finishInterruptedOutputs) rather than leave codes with no form.
                    pendingOutput: { id in
                        PendingOutput(tempName: canvas.temporaryName, finalName: "\(template.id)-\(id).pdf")
                    }, generator: &random)
            } catch {
                canvas.abandon()
                throw error
            }
            batch = issued.batch.id
            marked = count
            FaultInjection.point("print-after-commit")
            let temporaryName = canvas.temporaryName
            do {
                try canvas.commit(as: "\(template.id)-\(issued.batch.id).pdf")
            } catch {
                throw PrintingError.formsNotMovedIntoPlace(batch: issued.batch.id, reason: "\(error)")
            }
            FaultInjection.point("print-after-rename")
            try? store.clearPendingOutput(tempName: temporaryName)
        case .codes:
            let resolved = resolved!
            for (index, code) in resolved.codes.enumerated() {
                try renderer.drawForm(code)
                try progress(index + 1, resolved.codes.count)
            }
            forms = resolved.codes.count
            batch = resolved.batch
            try canvas.close()
            do {
                marked = try CodeRegistry(workspace: workspace, store: store).markPrinted(
                    codes: resolved.codes, template: template.id)
            } catch {
                canvas.abandon()
                throw error
            }
            try canvas.commit(as: "\(template.id)-\(resolved.batch?.rawValue ?? Timestamp.fileName(now)).pdf")
            try resolved.recordOutput(canvas.destination.lastPathComponent, in: store, now: now)
        }
        return FormPrintOutcome(
            output: canvas.destination, template: template.id, templateVersion: template.version,
            languages: languages, forms: forms, pageCount: canvas.pageCount, pagesPerForm: renderer.sides.count,
            slipPages: renderer.slipPageCount, sheetPages: renderer.sheetPageCount, card: renderer.cardPlacement,
            pages: renderer.sides.map(\.page), cutLine: renderer.cutLineY, batch: batch, newlyPrinted: marked,
            skippedRevoked: resolved?.skippedRevoked ?? 0, warnings: warnings)
    }

    /// The form wording of each language, checked against the template.
    static func wordings(for languages: [String], template: Template) throws -> [FormWording] {
        guard (1...2).contains(languages.count) else { throw PrintingError.formLanguageCount(languages.count) }
        return try languages.map { language in
            guard let wording = FormWording.table[language] else { throw PrintingError.unknownFormLanguage(language) }
            guard template.languages.contains(language) else {
                throw PrintingError.languageNotInTemplate(
                    template: template.id, language: language, available: template.languages)
            }
            return wording
        }
    }

    /// Whether the consent statement can name the organisation responsible (template settings or `separa.json`,
    /// not `separa init`'s placeholder).
    static func controllerIsSet(template: Template, config: WorkspaceConfig) -> Bool {
        typealias Controller = WorkspaceConfig.Controller
        let name =
            Controller.isReal(name: template.settings.controller) || Controller.isReal(name: config.controller.name)
        let contact =
            Controller.isReal(contact: template.settings.contact)
            || Controller.isReal(contact: config.controller.contact)
        return name && contact
    }

    private static func isNew(_ selection: CodeSelection) -> Bool {
        if case .new = selection { return true }
        return false
    }

    private static func isBlank(_ selection: FormSelection) -> Bool {
        if case .blank = selection { return true }
        return false
    }
}
