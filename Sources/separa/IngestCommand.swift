import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct IngestCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest",
            abstract: "Import transcribed sensitive sheets (CSV) into the store; bad rows go to a rejects file.",
            discussion: """
                Reads CSV as Excel and LibreOffice write it: UTF-8 with or without BOM, UTF-16, Windows-1252,
                comma, semicolon or tab separated. The header names the template's columns by field name or
                label in any of its languages; an unknown column stops the import before any row is read.

                Every row ends in exactly one place: the store, or the rejects file (default
                output/rejects-TEMPLATE-TIME.csv; -2, -3… when that name is taken, never over another file)
                with its line, column, reason and original cells. Fix the rejects file and import it again. Importing the same file twice stores nothing new. Each file
                is one transaction: interrupted, nothing of it is stored; run the same command again.

                Exit status: 0 every row stored (or already present); 2 some rows rejected; 3 no row stored
                and some rejected; 1 the file was refused as a whole.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "The template the sheets were printed from (e.g. intake).")
        var template: String

        @Argument(help: "Transcription CSV files.")
        var files: [String]

        @Flag(help: "All rows of a file or none.")
        var strict = false

        @Flag(help: "Take the new values when a different record for the same code and visit date is stored (audited).")
        var replace = false

        @Flag(help: "Accept free text in the fields whose template allows it.")
        var allowFreeText = false

        @Option(help: "Where to write the rejects (only with one file).")
        var rejects: String?

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one CSV file") }
            if rejects != nil && files.count > 1 { throw ValidationError("--rejects goes with one file only") }
        }

        func run() throws {
            let workspace = try options.locate()
            let library = try TemplateLibrary(workspace: workspace)
            let (template, warnings) = try library.usableTemplate(named: template, allowFreeText: allowFreeText)
            for warning in warnings { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
            let store = try workspace.openStore()
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            var ingestOptions = Ingest.Options(strict: strict, replace: replace, allowFreeText: allowFreeText)
            ingestOptions.rejectsURL = rejects.map { URL(fileURLWithPath: $0, relativeTo: cwd) }
            let summaries = try Ingest.run(
                workspace: workspace, store: store, template: template,
                files: files.map { URL(fileURLWithPath: $0, relativeTo: cwd) }, options: ingestOptions)
            var anyStored = false
            var anyRejected = false
            for summary in summaries {
                print(Self.describe(summary))
                anyStored = anyStored || summary.stored + summary.alreadyPresent + summary.replaced > 0
                anyRejected = anyRejected || summary.rejected > 0
            }
            if anyRejected { throw (anyStored ? ExitStatus.partial : ExitStatus.noneAccepted).exit }
        }

        static func describe(_ summary: Ingest.Summary) -> String {
            var lines: [String] = []
            var encoding = "\(summary.encoding)"
            if summary.encoding == .windows1252 { encoding += " (the file is not UTF-8: check accents in the store)" }
            lines.append("\(summary.file): \(encoding), \(summary.separator)-separated")
            lines.append(
                "  read \(summary.read), stored \(summary.stored), already present \(summary.alreadyPresent)"
                    + (summary.replaced > 0 ? ", replaced \(summary.replaced)" : "") + ", rejected \(summary.rejected)")
            for rejection in summary.firstRejections {
                lines.append("  \(rejection.diagnostic(file: summary.file))")
            }
            if summary.rejected > summary.firstRejections.count {
                lines.append("  … \(summary.rejected - summary.firstRejections.count) more in the rejects file")
            }
            if let url = summary.rejectsURL {
                lines.append("  rejects: \(Terminal.relative(url)) (fix the rows and import it again)")
            }
            return lines.joined(separator: "\n")
        }
    }
}
