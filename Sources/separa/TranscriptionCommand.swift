import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct TranscriptionCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transcription",
            abstract: "Write an empty transcription sheet (CSV, or an Excel workbook that checks what is typed).",
            discussion: """
                The sheet has one header row: the case code, the visit date, then every field of the sensitive
                sheet (one 1/0 column per choice of a multiple-choice question), headed in one language
                (default: the workspace's first language that the template has). 'separa ingest' reads
                the header back in any of the template's languages.

                CSV: output/TEMPLATE-transcription.csv, UTF-8 with BOM, comma-separated. Excel turns typed
                dates into its own date format and drops leading zeros in a CSV it opened, so prefer --xlsx.

                --xlsx: output/TEMPLATE-transcription.xlsx, with dropdown lists for choices, number ranges,
                ages and dates checked as they are typed, and the code, age and date columns formatted as
                text so that what is typed is what is saved. Type dates as DD/MM/YYYY (the template's format)
                with two-digit day and month. When done, save a copy as CSV: in Excel "CSV UTF-8 (Comma
                delimited)", in LibreOffice "Text CSV" with character set UTF-8; then run 'separa ingest'.

                An existing file is never replaced without --force: it may hold a morning's typing.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "The template the sheets were printed from (e.g. intake).")
        var template: String

        @Flag(help: "Write an Excel workbook (.xlsx) with checks instead of a CSV file.")
        var xlsx = false

        @Option(help: "The language of the header (default: the workspace's first language the template has).")
        var language: String?

        @Option(help: "Where to write (default: output/TEMPLATE-transcription.csv or .xlsx).")
        var output: String?

        @Flag(help: "Replace the file if it exists.")
        var force = false

        @Flag(help: "Accept a template that allows free text on its sensitive sheet.")
        var allowFreeText = false

        func validate() throws {
            if let output {
                let isXLSX = (output as NSString).pathExtension.lowercased() == "xlsx"
                if xlsx && !isXLSX { throw ValidationError("with --xlsx, --output must end in .xlsx") }
                if !xlsx && isXLSX { throw ValidationError("--output ends in .xlsx: add --xlsx") }
            }
        }

        func run() throws {
            let workspace = try options.locate()
            let library = try TemplateLibrary(workspace: workspace)
            let (template, warnings) = try library.usableTemplate(named: template, allowFreeText: allowFreeText)
            for warning in warnings { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
            if let language, !template.languages.contains(language) {
                throw ValidationError(
                    "template '\(template.id)' has no language '\(language)'; choose one of: "
                        + template.languages.joined(separator: ", "))
            }
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let written = try TranscriptionSheet.write(
                workspace: workspace, template: template,
                options: TranscriptionSheet.Options(
                    format: xlsx ? .xlsx : .csv, language: language,
                    outputURL: output.map { URL(fileURLWithPath: $0, relativeTo: cwd) }, overwrite: force))
            print(
                "\(Terminal.relative(written.url)): \(written.columns) columns, headed in '\(written.language)'")
            switch written.format {
            case .csv:
                print("Type one row per sensitive sheet, then: separa ingest \(template.id) FILE.csv")
            case .xlsx:
                print(
                    "Type one row per sensitive sheet, save a copy as CSV UTF-8, then: separa ingest \(template.id) FILE.csv"
                )
            }
        }
    }
}
