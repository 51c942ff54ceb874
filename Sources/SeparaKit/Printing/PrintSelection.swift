import Foundation

/// Which codes a print run puts on paper.
public enum CodeSelection: Hashable, Sendable {
    /// Issue this many new codes (a new batch of kind `print`, drawn from the system's CSPRNG) and print them.
    case new(count: Int)
    /// Every code of an existing batch, except revoked ones.
    case batch(BatchID)
    /// The codes listed in a file, one per line (blank lines and `#` comments skipped); every one must be
    /// valid, registered and not revoked.
    case list(path: String)
}

/// Paper for code cards.
public enum PaperSize: String, CaseIterable, Hashable, Sendable {
    case a4, letter

    public var pageSize: PageSize {
        switch self {
        case .a4: return .a4
        case .letter: return .letter
        }
    }
}

/// What a print run produced.
public struct PrintOutcome: Sendable {
    /// The PDF written, or for thermal labels the folder of PNG files.
    public let output: URL
    /// Codes printed.
    public let codeCount: Int
    /// PDF pages, or PNG files.
    public let pageCount: Int
    /// The batch printed or issued; nil for a list of codes.
    public let batch: BatchID?
    /// Codes whose status went from `issued` to `printed`.
    public let newlyPrinted: Int
    /// Revoked codes of the batch that were left out.
    public let skippedRevoked: Int
}

/// One problem with one line of a code list file.
public struct CodeListProblem: Hashable, Sendable {
    /// 1-based line number in the file.
    public let line: Int
    /// What is wrong, without repeating the line.
    public let reason: String
}

/// Why codes could not be printed. Messages never contain a code from a list file or anything about a person.
public enum PrintingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Lines of a code list that are not printable codes; nothing was printed.
    case codeList(path: String, problems: [CodeListProblem])
    /// The code list file holds no code.
    case emptyCodeList(path: String)
    /// The batch holds no code that may be printed (all revoked).
    case nothingToPrint(batch: BatchID)
    /// The data controller or its contact in `separa.json` is still the placeholder; cards tell people whom to contact.
    case controllerNotSet(path: String)
    /// No card wording for this language.
    case unknownCardLanguage(String)
    /// More languages than fit on a card, or none.
    case cardLanguageCount(Int)
    /// The card text does not fit on a card even at the smallest legible size.
    case cardTextDoesNotFit(languages: [String])
    /// The first label position is not on the sheet.
    case invalidFirstLabel(position: Int, perSheet: Int)
    /// The codes were issued as a new batch, but printing them failed; they stay registered as `issued`.
    case printingFailedAfterIssuing(batch: BatchID, count: Int, reason: String)
    /// A form's PDF was written completely and the codes registered, but moving the PDF into place failed.
    case formsNotMovedIntoPlace(batch: BatchID, reason: String)
    /// No form wording for this language.
    case unknownFormLanguage(String)
    /// Forms print one or two languages side by side.
    case formLanguageCount(Int)
    /// The template has no labels in this language.
    case languageNotInTemplate(template: TemplateID, language: String, available: [String])
    /// `--count` for a template without an identity slip: new codes would belong to nobody.
    case newCodesNeedIdentitySlip(TemplateID)
    /// Blank sheets (no pre-printed code) for a template with an identity slip: slip and sheet could end up
    /// with different codes.
    case blankFormsNeedNoIdentitySlip(TemplateID)
    /// A card needs a code: blank sheets have none.
    case cardNeedsCode
    /// The number of blank sheets is zero, negative or too large for one run.
    case invalidFormCount(Int)
    /// One field (with its label and answer boxes) is taller than a page.
    case fieldDoesNotFit(template: TemplateID, field: String)
    /// The identity slip is too long for the top part of a tear-off page.
    case slipTooTallForTearOff(TemplateID)

    public var description: String {
        switch self {
        case .codeList(let path, let problems):
            let shown = problems.prefix(20).map { "\(path):\($0.line): \($0.reason)" }
            let more = problems.count > 20 ? ["… and \(problems.count - 20) more lines"] : []
            return (shown + more + ["nothing was printed: fix the list (or check the paper) and run again"])
                .joined(separator: "\n")
        case .emptyCodeList(let path):
            return "\(path): no codes in the file (one code per line; lines starting with # are skipped)"
        case .nothingToPrint(let batch):
            return "batch \(batch) has no code that may be printed (every code in it is revoked)"
        case .controllerNotSet(let path):
            return
                "\(path): set controller.name and controller.contact before printing cards: the card tells people whom to contact about their information"
        case .unknownCardLanguage(let language):
            return
                "no card wording for language '\(language)'; available: \(CardWording.languages.joined(separator: ", ")) (add one in Sources/SeparaKit/Printing/CardWording.swift)"
        case .cardLanguageCount(let count):
            return count == 0
                ? "choose at least one card language, e.g. --languages en"
                : "\(count) languages do not fit on a card: choose at most \(CodeCards.maximumLanguages)"
        case .cardTextDoesNotFit(let languages):
            return
                "the card text in \(languages.joined(separator: ", ")) does not fit on a card even in small print: choose fewer languages, or shorten controller.name / controller.contact in separa.json"
        case .invalidFirstLabel(let position, let perSheet):
            return "label position \(position) is not on the sheet: choose 1 to \(perSheet)"
        case .printingFailedAfterIssuing(let batch, let count, let reason):
            return
                "\(reason)\nthe \(count) new codes stay registered in batch \(batch) as 'issued': print them with --batch \(batch)"
        case .formsNotMovedIntoPlace(let batch, let reason):
            return
                "\(reason)\nthe codes of batch \(batch) are registered as printed, but the PDF is not in output/: print them again with --batch \(batch)"
        case .unknownFormLanguage(let language):
            return
                "no form wording for language '\(language)'; available: \(FormWording.languages.joined(separator: ", ")) (add one in Sources/SeparaKit/Printing/FormWording.swift)"
        case .formLanguageCount(let count):
            return count == 0
                ? "choose at least one form language, e.g. --languages en"
                : "\(count) languages do not fit side by side: choose one or two, e.g. --languages en,ar"
        case .languageNotInTemplate(let template, let language, let available):
            return
                "template '\(template)' has no labels in '\(language)'; it has: \(available.joined(separator: ", "))"
        case .newCodesNeedIdentitySlip(let template):
            return
                "template '\(template)' has no identity slip, so new codes would belong to nobody: print blank sheets with --blank N (the code is copied from the person's card), or sheets for people who have codes with --codes FILE or --batch B"
        case .blankFormsNeedNoIdentitySlip(let template):
            return
                "template '\(template)' has an identity slip: its forms are printed with their codes (--count N), so that slip and sheet always carry the same code"
        case .cardNeedsCode:
            return "a card needs a code: blank sheets have none (print cards with 'separa card')"
        case .invalidFormCount(let count):
            return count <= 0
                ? "the number of sheets must be at least 1"
                : "\(count) sheets is more than one run may print (\(PrintForms.maximumBlankForms.formatted())); print several runs"
        case .fieldDoesNotFit(let template, let field):
            return
                "template '\(template)': field '\(field)' does not fit on one page (a field is never split across pages): shorten its label or hint, split its choices, or print one language"
        case .slipTooTallForTearOff(let template):
            return
                "template '\(template)': the identity slip does not fit on the top part of a tear-off page: use --layout pages, or print one language"
        }
    }
}

/// Finds the codes a ``CodeSelection`` names, issuing new ones when asked.
enum PrintSelection {
    struct Resolved {
        var codes: [CaseCode]
        var batch: BatchID?
        var skippedRevoked: Int
        var issued: Bool
    }

    /// The codes to print. For ``CodeSelection/new(count:)`` this registers a new batch of kind `print`.
    static func resolve(
        _ selection: CodeSelection, workspace: Workspace, store: Store, note: String, now: Date = Date()
    ) throws -> Resolved {
        let registry = CodeRegistry(workspace: workspace, store: store)
        switch selection {
        case .new(let count):
            var random = SystemRandom()
            var codes: [CaseCode] = []
            codes.reserveCapacity(count)
            let issued = try registry.issue(
                count: count, kind: "print", note: note, prefix: workspace.config.site.prefix, now: now,
                sink: { code, _, _ in codes.append(code) }, generator: &random)
            return Resolved(codes: codes, batch: issued.batch.id, skippedRevoked: 0, issued: true)
        case .batch(let batch):
            var codes: [CaseCode] = []
            var revoked = 0
            try registry.forEachCode(batch: batch) { row in
                if row.status == .revoked {
                    revoked += 1
                } else if let code = try? CaseCode.parse(row.code) {
                    codes.append(code)
                }
            }
            if codes.isEmpty { throw PrintingError.nothingToPrint(batch: batch) }
            return Resolved(codes: codes, batch: batch, skippedRevoked: revoked, issued: false)
        case .list(let path):
            let lines = try CodeListFile.readNumbered(path: path)
            if lines.isEmpty { throw PrintingError.emptyCodeList(path: path) }
            let checks = try registry.check(lines.map(\.text))
            var codes: [CaseCode] = []
            var problems: [CodeListProblem] = []
            for (line, check) in zip(lines, checks) {
                switch check.verdict {
                case .registered(.revoked, _):
                    problems.append(
                        CodeListProblem(line: line.line, reason: "revoked code: ask a key holder for the current code"))
                case .registered:
                    if let code = check.code { codes.append(code) }
                case .notRegistered:
                    problems.append(
                        CodeListProblem(line: line.line, reason: "valid, but not registered in this workspace"))
                case .invalid(let error, _):
                    problems.append(CodeListProblem(line: line.line, reason: "not a code: \(error)"))
                }
            }
            if !problems.isEmpty { throw PrintingError.codeList(path: path, problems: problems) }
            return Resolved(codes: codes, batch: nil, skippedRevoked: 0, issued: false)
        }
    }

    /// Runs `render` for freshly resolved codes; when the codes were just issued and rendering fails, the
    /// error says so and how to print them later.
    static func render<T>(_ resolved: Resolved, _ render: () throws -> T) throws -> T {
        do {
            return try render()
        } catch {
            if resolved.issued, let batch = resolved.batch {
                throw PrintingError.printingFailedAfterIssuing(
                    batch: batch, count: resolved.codes.count, reason: "\(error)")
            }
            throw error
        }
    }

    /// A file-name-safe timestamp for outputs not tied to a batch: `20261127-153012`.
    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d-%02d%02d%02d", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!)
    }
}
