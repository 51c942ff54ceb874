import Foundation

/// Why codes could not be printed. Messages never contain a code from a list file or anything about a person.
public enum PrintingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Lines of a code list that are not printable codes; nothing was printed.
    case codeList(path: String, problems: [RowDiagnostic])
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
            let shown = problems.prefix(20).map(\.description)
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
