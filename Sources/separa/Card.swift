import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct Card: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print code cards for people to keep: the code as a QR and in large text, and whom to contact.",
            discussion: """
                A card is bank-card size (85.6 × 54 mm). It carries the code, a few plain words in the chosen \
                languages (what the code is for; that it holds no name or information about the person; whom to \
                ask about their information) and the data controller's name and contact from separa.json, which \
                must be set first. Nothing on it identifies the person.

                Cards in: \(CardWording.languages.joined(separator: ", ")). Default: the workspace's languages \
                that have card wording, at most two.

                Writes output/cards-BATCH.pdf (cards-DATE-TIME.pdf for --codes; -single before .pdf with --one-per-page) \
                and marks issued codes as \
                printed. With --count, the new codes are registered first; if printing then fails they stay \
                registered, and --batch prints them.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Option(help: "Issue this many new codes and print a card for each.")
        var count: Int?

        @Option(help: "Print cards for every code of this batch (revoked codes are left out).")
        var batch: String?

        @Option(
            name: .customLong("codes"),
            help: ArgumentHelp("Print cards for the codes in this file, one per line.", valueName: "file"))
        var codesFile: String?

        @Option(
            help: ArgumentHelp(
                "Card languages, comma-separated, at most \(CodeCards.maximumLanguages), e.g. en,ar.", valueName: "list"
            ))
        var languages: String?

        @Option(help: "Paper: a4 (10 cards a page) or letter (8 cards a page).")
        var paper: PaperSize = .a4

        @Flag(help: "One card per page, the page the size of the card (for card printers).")
        var onePerPage = false

        var languageList: [String]? {
            languages.map(LanguageList.parse)
        }

        func validate() throws {
            let chosen = [count != nil, batch != nil, codesFile != nil].filter { $0 }.count
            if chosen != 1 { throw ValidationError("choose exactly one of --count N, --batch B or --codes FILE") }
            if let count, !(1...CodeRegistry.maximumBatch).contains(count) {
                throw ValidationError("--count must be between 1 and \(CodeRegistry.maximumBatch.formatted())")
            }
            if let list = languageList {
                if list.isEmpty || list.count > CodeCards.maximumLanguages {
                    throw ValidationError("--languages takes 1 to \(CodeCards.maximumLanguages) languages, e.g. en,ar")
                }
                for language in list where CardWording.table[language] == nil {
                    throw ValidationError(
                        "no card wording for '\(language)': choose from \(CardWording.languages.joined(separator: ", "))"
                    )
                }
            }
        }

        func run() throws {
            let workspace = try options.locate()
            let store = try workspace.openStore()
            let selection: CodeSelection
            if let count {
                selection = .new(count: count)
            } else if let batch {
                selection = .batch(BatchID(rawValue: batch))
            } else {
                selection = .list(path: codesFile!)
            }
            let bar = ProgressBar("cards")
            let outcome = try CodeCards.run(
                workspace: workspace, store: store, selection: selection, languages: languageList,
                layout: onePerPage ? .single : .sheet(paper), progress: bar.update)
            PrintReport.show(
                outcome,
                headline:
                    "Printed \(PrintReport.count(outcome.codeCount, "card")) on \(PrintReport.count(outcome.pageCount, "page"))"
            )
        }
    }
}

extension PaperSize: ExpressibleByArgument {}

/// What the printing commands say when they finish.
enum PrintReport {
    /// `count` and `noun`, with an s when the count is not one: "1 card", "12 cards".
    static func count(_ count: Int, _ noun: String) -> String {
        "\(count.formatted()) \(noun)\(count == 1 ? "" : "s")"
    }

    /// Prints `headline`, the batch, what was left out and marked, and the output path.
    static func show(_ outcome: PrintOutcome, headline: String) {
        var line = headline
        if let batch = outcome.batch { line += " (batch \(batch))" }
        print(line + ".")
        if outcome.skippedRevoked > 0 {
            print("Left out \(count(outcome.skippedRevoked, "revoked code")).")
        }
        print("\(count(outcome.newlyPrinted, "code")) marked as printed.")
        print("Output: \(Terminal.relative(outcome.output))")
    }
}
