import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct Print: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "Print coded paper forms from a template: identity slip, sensitive sheet and code card per code.",
            discussion: """
                Writes output/TEMPLATE-BATCH.pdf (TEMPLATE-DATE-TIME.pdf for --codes, TEMPLATE-blank-DATE-TIME.pdf \
                for --blank). Per code: the identity slip, the sensitive sheet page(s) and, with --card, a code card \
                for the person to keep. Every slip, sheet page and card carries the code as a QR and in large text \
                in groups of four, the template id and version, the part and the print date. The QR holds only the \
                code as printed (XXXX-XXXX-XXXX): a USB scanner typing it into the code column of a transcription \
                sheet gives what 'separa ingest' reads.

                Layouts. pages (default): the identity slip on a page of its own; take the slip pages out and keep \
                them apart from the sheets, in the locked box. tearoff: the slip on the top part of the first page, \
                above a dashed cut line with scissors; the sheet starts below the line with its own code and header. \
                With --card, the card is cut from the bottom of the slip page when there is room there, else it has \
                a page of its own.

                --duplex, for printing on both sides: the back of every slip page (and of the tear-off page) is left \
                blank, so a slip never backs a sheet; a card page has a blank back, so cutting the card out cuts \
                nothing else; every form starts on a new sheet of paper, so one person's pages never back another's. \
                Sheet pages of one form back each other.

                Languages (\(FormWording.languages.joined(separator: ", "))): one, or two side by side; Arabic is \
                right-aligned, and an Arabic-first form has its tick boxes on the right. Default: the first of the \
                workspace's languages the template has. The identity slip carries the consent statement generated \
                from the template, a consent tick box, the volunteer's initials and the date; the person signs only \
                where the template asks for a signature. No sheet has room for a name.

                Templates without an identity slip (visit) are for people who already have a code card: --count is \
                refused, since new codes would belong to nobody. Print blank sheets with --blank N (boxes take the \
                code copied from the card; no QR) or sheets for known codes with --codes FILE or --batch B.

                New codes (--count) are registered as printed, with the template, in the same transaction that \
                writes the PDF: if the PDF cannot be written, no code is registered. Codes from --batch or --codes \
                (which must be registered and not revoked) are marked printed once the PDF is complete. The template \
                must pass 'separa template check' first.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "The template to print (e.g. intake).")
        var template: String

        @Option(help: "Register this many new codes and print a form for each.")
        var count: Int?

        @Option(help: "Print forms for every code of this batch (revoked codes are left out).")
        var batch: String?

        @Option(
            name: .customLong("codes"),
            help: ArgumentHelp("Print forms for the codes in this file, one per line.", valueName: "file"))
        var codesFile: String?

        @Option(help: "Print this many sheets without a code, to copy the code from the person's card into.")
        var blank: Int?

        @Option(
            help: ArgumentHelp("One or two languages side by side, comma-separated, e.g. en,ar.", valueName: "list"))
        var languages: String?

        @Option(help: "pages (the slip on a page of its own) or tearoff (the slip above a cut line).")
        var layout: FormLayout = .pages

        @Option(help: "Paper: a4 or letter.")
        var paper: PaperSize = .a4

        @Flag(help: "A code card for the person to keep with every form.")
        var card = false

        @Flag(help: "For printing on both sides: blank backs so that a slip never backs a sheet.")
        var duplex = false

        @Flag(help: "Allow the free-text fields the template marks as allowed.")
        var allowFreeText = false

        var languageList: [String]? {
            languages.map(LanguageList.parse)
        }

        func validate() throws {
            let chosen = [count != nil, batch != nil, codesFile != nil, blank != nil].filter { $0 }.count
            if chosen != 1 {
                throw ValidationError("choose exactly one of --count N, --batch B, --codes FILE or --blank N")
            }
            if let count, !(1...CodeRegistry.maximumBatch).contains(count) {
                throw ValidationError("--count must be between 1 and \(CodeRegistry.maximumBatch.formatted())")
            }
            if let blank, !(1...PrintForms.maximumBlankForms).contains(blank) {
                throw ValidationError("--blank must be between 1 and \(PrintForms.maximumBlankForms.formatted())")
            }
            if blank != nil && card { throw ValidationError("--card needs a code: blank sheets have none") }
            if let list = languageList {
                if list.isEmpty || list.count > 2 {
                    throw ValidationError("--languages takes one or two languages, e.g. en,ar")
                }
                for language in list where FormWording.table[language] == nil {
                    throw ValidationError(
                        "no form wording for '\(language)': choose from \(FormWording.languages.joined(separator: ", "))"
                    )
                }
            }
        }

        func run() throws {
            let workspace = try options.locate()
            let store = try workspace.openStore()
            let selection: FormSelection
            if let count {
                selection = .codes(.new(count: count))
            } else if let batch {
                selection = .codes(.batch(BatchID(rawValue: batch)))
            } else if let codesFile {
                selection = .codes(.list(path: codesFile))
            } else {
                selection = .blank(count: blank!)
            }
            let bar = ProgressBar("forms", minimum: 100)
            let outcome = try PrintForms.run(
                workspace: workspace, store: store, template: template, selection: selection,
                options: FormPrintOptions(
                    languages: languageList, layout: layout, paper: paper, card: card, duplex: duplex,
                    allowFreeText: allowFreeText),
                progress: bar.update)
            for warning in outcome.warnings { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
            let what =
                blank != nil
                ? PrintReport.count(outcome.forms, "blank sheet") : PrintReport.count(outcome.forms, "form")
            var line =
                "Printed \(what) of \(outcome.template) v\(outcome.templateVersion) in \(outcome.languages.joined(separator: "+")), "
                + "\(PrintReport.count(outcome.pagesPerForm, "page")) each, \(PrintReport.count(outcome.pageCount, "page")) in all"
            if let batch = outcome.batch { line += " (batch \(batch))" }
            print(line + ".")
            if outcome.card != .none { print("Code card: \(outcome.card.rawValue).") }
            if outcome.skippedRevoked > 0 {
                print("Left out \(PrintReport.count(outcome.skippedRevoked, "revoked code")).")
            }
            if blank == nil { print("\(PrintReport.count(outcome.newlyPrinted, "code")) marked as printed.") }
            print("Output: \(Terminal.relative(outcome.output))")
        }
    }
}

extension FormLayout: ExpressibleByArgument {}
