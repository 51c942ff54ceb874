import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct CompareCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Compare two independent transcriptions of the same sheets (double entry).",
            discussion: """
                Rows are matched on the case code and the visit date. Values are compared as 'separa ingest'
                would store them ("Female" and "female", "1" and "x", 05/03/2024 and 5/3/2024 agree); the
                report shows the cells as typed, so that the clerk can check them against the paper. It lists
                rows only in one file, codes and dates that appear twice, rows that cannot be read (line,
                column, reason), and for each matched row every field that differs.

                The report shows values from the sheets: keep it with the paper, and delete it when done.

                --agreed writes the rows on which both files agree (the first file's cells, with its header),
                ready for 'separa ingest'. --report writes the report as CSV for a spreadsheet.

                Exit status: 0 the files agree completely; 2 they differ (or some rows cannot be read);
                1 a file was refused as a whole.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "The template the sheets were printed from (e.g. intake).")
        var template: String

        @Argument(help: "The first transcription (CSV).")
        var first: String

        @Argument(help: "The second transcription of the same sheets (CSV).")
        var second: String

        @Option(help: "Write the rows both files agree on here (CSV, ready to ingest).")
        var agreed: String?

        @Option(help: "Write the report here as CSV.")
        var report: String?

        @Flag(help: "Accept free text in the fields whose template allows it.")
        var allowFreeText = false

        func validate() throws {
            let paths = [first, second] + [agreed, report].compactMap { $0 }
            let resolved = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            if Set(resolved).count != resolved.count {
                throw ValidationError("the two transcriptions, --agreed and --report must be four different files")
            }
        }

        func run() throws {
            let workspace = try options.locate()
            let library = try TemplateLibrary(workspace: workspace)
            let (template, warnings) = try library.usableTemplate(named: template, allowFreeText: allowFreeText)
            for warning in warnings { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            func url(_ path: String) -> URL { URL(fileURLWithPath: path, relativeTo: cwd) }
            let result = try DoubleEntry.compare(
                template: template, first: url(first), second: url(second),
                randomLength: workspace.config.codes.randomLength,
                options: DoubleEntry.Options(
                    allowFreeText: allowFreeText, agreedURL: agreed.map(url), reportURL: report.map(url)))
            var out = StandardOutput()
            out.write(CompareText.render(result, visitDateFormat: DoubleEntry.visitDateFormat(template)))
            out.flush()
            if !result.agreesCompletely { throw ExitStatus.partial.exit }
        }
    }
}

/// The text of `separa compare`.
enum CompareText {
    static func render(_ report: DoubleEntry.Report, visitDateFormat: DateFormat) -> String {
        let first = report.firstFile
        let second = report.secondFile
        func name(_ side: DoubleEntry.Side) -> String { side == .first ? first : second }
        func key(_ key: DoubleEntry.Key) -> String {
            let iso = key.visitDate
            let date: String
            if case .success(let parsed) = DateFormat.iso.parse(iso) {
                date = visitDateFormat.format(parsed)
            } else {
                date = iso
            }
            return "\(key.code.display) \(date)"
        }
        func quoted(_ cell: String) -> String {
            cell.isEmpty ? "(empty)" : "\"\(cell.replacingOccurrences(of: "\n", with: " "))\""
        }
        var lines: [String] = []
        lines.append("\(first): \(report.firstRows) rows; \(second): \(report.secondRows) rows")
        let agreed = report.agreed.count
        let differing = report.differing.count
        lines.append(
            "  matched \(report.pairs.count): \(agreed) agree, \(differing) differ; only in \(first): "
                + "\(report.unmatched.filter { $0.side == .first }.count), only in \(second): "
                + "\(report.unmatched.filter { $0.side == .second }.count); duplicate keys: \(report.duplicates.count); "
                + "unreadable rows: \(report.unreadable.count)"
                + (report.blankRows > 0 ? "; blank rows skipped: \(report.blankRows)" : ""))
        if !report.differing.isEmpty {
            lines.append("")
            lines.append("Differences (check each against the paper, correct the wrong file, compare again):")
            for pair in report.differing {
                lines.append("  \(key(pair.key))  (\(first):\(pair.firstLine), \(second):\(pair.secondLine))")
                for difference in pair.differences {
                    lines.append(
                        "    \(difference.column): \(quoted(difference.first)) | \(quoted(difference.second))")
                }
            }
        }
        for side in DoubleEntry.Side.allCases {
            let rows = report.unmatched.filter { $0.side == side }
            if rows.isEmpty { continue }
            lines.append("")
            lines.append("Only in \(name(side)) (type it in the other file too):")
            for row in rows { lines.append("  \(name(side)):\(row.line): \(key(row.key))") }
        }
        if !report.duplicates.isEmpty {
            lines.append("")
            lines.append("Same code and visit date on several rows (keep one row per sheet):")
            for duplicate in report.duplicates {
                var places: [String] = []
                if !duplicate.firstLines.isEmpty {
                    places.append("\(first) lines \(duplicate.firstLines.map(String.init).joined(separator: ", "))")
                }
                if !duplicate.secondLines.isEmpty {
                    places.append("\(second) lines \(duplicate.secondLines.map(String.init).joined(separator: ", "))")
                }
                lines.append("  \(key(duplicate.key)): \(places.joined(separator: "; "))")
            }
        }
        if !report.unreadable.isEmpty {
            lines.append("")
            lines.append("Rows that cannot be compared (fix them, then compare again):")
            for row in report.unreadable {
                let column = row.columnName.map { " column '\($0)':" } ?? row.column.map { " column \($0):" } ?? ""
                var line = "  \(name(row.side)):\(row.line):\(column) \(row.reason)"
                if let other = row.otherLine {
                    line +=
                        " (its other entry, \(name(row.side == .first ? .second : .first)):\(other), is left out too)"
                }
                lines.append(line)
            }
        }
        lines.append("")
        if report.agreesCompletely {
            lines.append("The two files agree on all \(agreed) rows.")
        } else {
            lines.append("The files do not agree yet: \(agreed) of the matched rows agree.")
        }
        if let url = report.agreedURL {
            lines.append(
                "Agreed rows: \(Terminal.relative(url)) (\(agreed) rows; ingest with 'separa ingest \(report.template) FILE')"
            )
        }
        if let url = report.reportURL {
            lines.append("Report: \(Terminal.relative(url)) (it holds values from the sheets: keep it with the paper)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
