import ArgumentParser
import Foundation
import SeparaKit

extension ReissueReason: ExpressibleByArgument {}

extension Separa.Key {
    struct Reissue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a person a new code in place of a lost or exposed one (passphrase).",
            discussion: """
                Draws a new code, links it to the same person in the key file (the old → new step is kept
                there, and only there), moves every record in the store from the old code to the new one in
                one transaction, and marks the old code revoked, with no pointer to the new one. Sheets that
                still carry the old code are refused at ingest; `separa key resolve REJECTS.csv` rewrites
                them. The reissue is recorded in the audit log with the old code and the reason.

                Writes a replacement code card, output/card-NEW-CODE.pdf (needs the controller in
                separa.json; --no-card to skip), and with --label SHEET a label sheet carrying the new code
                on its first label.

                If the command is stopped after saving the key file but before changing the store, run it
                again: it completes the reissue with the same new code.

                Exit status: 0 done; 1 nothing changed (code not registered, already revoked, or not linked
                to anyone) or the card could not be written (the reissue itself is then complete); 3 wrong
                passphrase (nothing changed).
                """)

        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var passphrase: KeyPassphraseOptions

        @Argument(help: "The code to replace (hyphens and spaces optional).")
        var code: String

        @Option(help: "Why the code is replaced (never a name).")
        var reason: ReissueReason

        @Flag(help: "Do not write a replacement code card.")
        var noCard = false

        @Option(
            help: ArgumentHelp(
                "Card languages, comma-separated, at most \(CodeCards.maximumLanguages), e.g. en,ar.", valueName: "list"
            ))
        var languages: String?

        @Option(help: ArgumentHelp("Also write a label sheet for the new code.", valueName: "sheet"))
        var label: LabelSheet?

        func validate() throws {
            if noCard && languages != nil { throw ValidationError("--languages goes with the card: drop --no-card") }
        }

        func run() throws {
            let keyFile = try KeyCLI.keyFile(options)
            try keyFile.requireExisting()
            let parsed = try CaseCode.parse(code, expectedRandomLength: keyFile.workspace.config.codes.randomLength)
            let languageList = languages.map(LanguageList.parse)
            let printing = ReplacementPrinting(card: !noCard, cardLanguages: languageList, labelSheet: label)
            var failed = false
            try KeyCLI.run {
                let outcome = try keyFile.reissue(
                    parsed.canonical, reason: reason, passphrase: try passphrase.current(), printing: printing)
                print(
                    "\(outcome.resumed ? "Completed the interrupted reissue: " : "Reissued ")\(outcome.old.display) → \(outcome.new.display) (\(outcome.reason.rawValue)); \(outcome.movedRecords) record(s) moved."
                )
                print(
                    "\(outcome.old.display) is revoked: sheets carrying it are refused at ingest (separa key resolve).")
                if let card = outcome.card { print("Replacement card: \(Terminal.relative(card))") }
                if let labels = outcome.labels { print("Label sheet: \(Terminal.relative(labels))") }
                if let problem = outcome.printFailure {
                    FileHandle.standardError.write(
                        Data(
                            "Error: the card could not be written (\(problem)); print it with: separa card --codes FILE (a file holding \(outcome.new.display))\n"
                                .utf8))
                    failed = true
                }
            }
            if failed { throw ExitStatus.failure.exit }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite revoked codes in an ingest rejects file to the current codes (passphrase).",
            discussion: """
                Reads a rejects file written by `separa ingest` and, in every row whose code was revoked by a
                reissue, puts the person's current code in place of the old one (and says so in
                rejected_reason); other rows are copied unchanged. Import the file again with `separa ingest`.
                The old codes do not appear in the result. Written atomically over the file, or to --output.
                Audited with counts only.

                Exit status: 0 done; 2 some revoked codes are linked to no one (purged, or never added) and
                were left as they were; 3 wrong passphrase (nothing written).
                """)

        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var passphrase: KeyPassphraseOptions

        @Argument(help: ArgumentHelp("The rejects file of an ingest.", valueName: "rejects.csv"))
        var rejects: String

        @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of over the file.", valueName: "file"))
        var output: String?

        func run() throws {
            let keyFile = try KeyCLI.keyFile(options)
            try keyFile.requireExisting()
            let input = URL(fileURLWithPath: rejects)
            guard FileManager.default.fileExists(atPath: input.path) else {
                throw ValidationError("\(rejects): no such file")
            }
            var partial = false
            try KeyCLI.run {
                let summary = try keyFile.resolve(
                    rejects: input, output: output.map { URL(fileURLWithPath: $0) },
                    passphrase: try passphrase.current())
                print(
                    "Resolved \(summary.resolved) of \(summary.rows) row(s) to the current code; wrote \(Terminal.relative(summary.output))."
                )
                if summary.unresolvable > 0 {
                    print(
                        "\(summary.unresolvable) row(s) carry a revoked code linked to no one (purged or never added): left unchanged."
                    )
                    partial = true
                }
                if summary.resolved > 0 {
                    print("Import it again: separa ingest TEMPLATE \(Terminal.relative(summary.output))")
                }
            }
            if partial { throw ExitStatus.partial.exit }
        }
    }
}
