import Foundation

/// `separa compare`: double-entry verification of two independent transcriptions of the same sheets, in the
/// manner of EpiData.
///
/// Rows are matched on the case code (normalised with ``CaseCode/parse(_:expectedRandomLength:)``) and the
/// visit date. Cells are compared as ingest would store them (``CellParser``: `Female` and `female`, `1` and
/// `x`, `05/03/2024` and `5/3/2024` agree), but differences show the cells as typed, because this report goes
/// to the clerk with the paper — the one place where values are shown. The two files may head their columns
/// in different languages or orders.
///
/// A row is agreed when it is readable on both sides, its key appears once on each side, and every field
/// agrees. Everything else is reported: rows only in one file, keys that appear twice, rows that cannot be
/// read (with line, column and reason, as ingest gives them), and for each matched row every field that
/// differs. The agreed rows can be written, with the first file's header and cells, ready for `separa ingest`.
///
/// The registry is not consulted: an unregistered code agrees with itself here and is refused at ingest.
public enum DoubleEntry {
    /// Which of the two files.
    public enum Side: String, Sendable, Hashable, CaseIterable {
        case first, second
    }

    /// What to write besides the returned report.
    public struct Options: Sendable {
        /// Accept free text in the fields whose template allows it (as `separa ingest --allow-free-text`).
        public var allowFreeText: Bool
        /// Write the agreed rows here (header included; the first file's cells).
        public var agreedURL: URL?
        /// Write the report as CSV here (formula-neutralised, for a spreadsheet).
        public var reportURL: URL?

        public init(allowFreeText: Bool = false, agreedURL: URL? = nil, reportURL: URL? = nil) {
            self.allowFreeText = allowFreeText
            self.agreedURL = agreedURL
            self.reportURL = reportURL
        }
    }

    /// What a row is matched on: its code and its visit date.
    public struct Key: Hashable, Sendable {
        public let code: CaseCode
        /// ISO 8601 (`YYYY-MM-DD`), as the store keeps it.
        public let visitDate: String
    }

    /// One field that differs in a matched row: the column and both cells as typed.
    public struct Difference: Hashable, Sendable {
        /// The column's name: `sex`, or `needs/food` for one choice of a multiple-choice field.
        public let column: String
        /// The first file's cell (the whole multiple-choice cell when that file has one column for the field).
        public let first: String
        /// The second file's cell.
        public let second: String
    }

    /// A key found once on each side.
    public struct Pair: Hashable, Sendable {
        public let key: Key
        public let firstLine: Int
        public let secondLine: Int
        /// Empty when the row agrees.
        public let differences: [Difference]
    }

    /// A row whose key the other file lacks.
    public struct Unmatched: Hashable, Sendable {
        public let side: Side
        public let line: Int
        public let key: Key
    }

    /// A key that appears more than once in a file; none of its rows is agreed.
    public struct Duplicate: Hashable, Sendable {
        public let key: Key
        public let firstLines: [Int]
        public let secondLines: [Int]
    }

    /// A row that cannot be read: it cannot be agreed.
    public struct Unreadable: Hashable, Sendable {
        public let side: Side
        public let line: Int
        /// The 1-based column of the file, when the problem is in one cell.
        public let column: Int?
        /// The column's name, when known.
        public let columnName: String?
        /// Why, as ingest says it; never a value.
        public let reason: String
        /// The row's key, when its code and visit date could be read.
        public let key: Key?
        /// The line of the other file's row with the same key, if any (it is left out as well).
        public var otherLine: Int?
    }

    /// What the comparison found.
    public struct Report: Sendable {
        public let template: TemplateID
        /// File names as given in messages.
        public let firstFile: String
        public let secondFile: String
        /// Data rows read from each file (the header and blank rows not counted).
        public var firstRows = 0
        public var secondRows = 0
        /// Rows whose cells are all empty (spreadsheets leave them behind); skipped.
        public var blankRows = 0
        /// Matched rows in first-file order, agreeing or not.
        public var pairs: [Pair] = []
        public var unmatched: [Unmatched] = []
        public var duplicates: [Duplicate] = []
        public var unreadable: [Unreadable] = []
        /// Where the agreed rows were written, with how many rows.
        public var agreedURL: URL?
        public var reportURL: URL?

        /// Matched rows on which every field agrees.
        public var agreed: [Pair] { pairs.filter { $0.differences.isEmpty } }
        /// Matched rows with at least one difference.
        public var differing: [Pair] { pairs.filter { !$0.differences.isEmpty } }

        /// Whether the two files agree completely: every row matched, readable and equal.
        public var agreesCompletely: Bool {
            differing.isEmpty && unmatched.isEmpty && duplicates.isEmpty && unreadable.isEmpty
        }

        /// The report as a table: a header, then one row per difference, unmatched row, duplicate key and
        /// unreadable row.
        public func records(visitDateFormat: DateFormat) -> [[String]] {
            func date(_ key: Key?) -> String { key.map { DoubleEntry.display($0.visitDate, visitDateFormat) } ?? "" }
            func line(_ value: Int?) -> String { value.map(String.init) ?? "" }
            var rows: [[String]] = [
                [
                    "finding", "code", "visit_date", "first_line", "second_line", "column", "first_value",
                    "second_value", "reason",
                ]
            ]
            for pair in differing {
                for difference in pair.differences {
                    rows.append([
                        "differs", pair.key.code.display, date(pair.key), String(pair.firstLine),
                        String(pair.secondLine), difference.column, difference.first, difference.second, "",
                    ])
                }
            }
            for row in unmatched {
                rows.append([
                    "only_in_\(row.side.rawValue)", row.key.code.display, date(row.key),
                    row.side == .first ? String(row.line) : "", row.side == .second ? String(row.line) : "", "", "",
                    "", "",
                ])
            }
            for duplicate in duplicates {
                rows.append([
                    "duplicate_key", duplicate.key.code.display, date(duplicate.key),
                    duplicate.firstLines.map(String.init).joined(separator: " "),
                    duplicate.secondLines.map(String.init).joined(separator: " "), "", "", "",
                    "the same code and visit date on several lines: keep one row per sheet",
                ])
            }
            for row in unreadable {
                let (first, second) = row.side == .first ? (row.line, row.otherLine) : (row.otherLine, row.line)
                rows.append([
                    "unreadable_in_\(row.side.rawValue)", row.key?.code.display ?? "", date(row.key), line(first),
                    line(second), row.columnName ?? row.column.map { "column \($0)" } ?? "", "", "", row.reason,
                ])
            }
            return rows
        }
    }

    /// Compares two transcriptions of `template`; writes the agreed rows and the report CSV when asked.
    ///
    /// - Parameter randomLength: the workspace's code length (`codes.randomLength`); other lengths are
    ///   unreadable codes.
    /// - Throws: ``SheetError`` when a file is refused as a whole (unreadable, unknown or missing columns,
    ///   the same file twice); a ``WorkspaceError`` when an output cannot be written.
    public static func compare(
        template: Template, first: URL, second: URL, randomLength: Int, options: Options = Options()
    ) throws -> Report {
        if first.standardizedFileURL.path == second.standardizedFileURL.path {
            throw SheetError.sameFileTwice(file: first.lastPathComponent)
        }
        var firstName = first.lastPathComponent
        var secondName = second.lastPathComponent
        if firstName == secondName {
            firstName = first.standardizedFileURL.path
            secondName = second.standardizedFileURL.path
        }
        let a = try Transcription(
            url: first, name: firstName, side: .first, template: template, randomLength: randomLength,
            allowFreeText: options.allowFreeText)
        let b = try Transcription(
            url: second, name: secondName, side: .second, template: template, randomLength: randomLength,
            allowFreeText: options.allowFreeText)
        var report = Report(template: template.id, firstFile: firstName, secondFile: secondName)
        report.firstRows = a.read
        report.secondRows = b.read
        report.blankRows = a.blank + b.blank
        var unreadable = a.unreadable + b.unreadable

        let groupsA = Dictionary(grouping: a.rows, by: \.key)
        let groupsB = Dictionary(grouping: b.rows, by: \.key)
        // Keys in first-file order, then the second file's new keys in its order.
        var keys: [Key] = []
        var seen: Set<Key> = []
        for row in a.rows + b.rows where seen.insert(row.key).inserted { keys.append(row.key) }
        var unreadableKeys: [Key: [Int]] = [:]
        for (index, row) in unreadable.enumerated() {
            if let key = row.key { unreadableKeys[key, default: []].append(index) }
        }
        var agreedCells: [[String]] = []
        for key in keys {
            let rowsA = groupsA[key] ?? []
            let rowsB = groupsB[key] ?? []
            // An unreadable row with the same key counts as a second row of that sheet.
            let brokenA = (unreadableKeys[key] ?? []).filter { unreadable[$0].side == .first }.map {
                unreadable[$0].line
            }
            let brokenB = (unreadableKeys[key] ?? []).filter { unreadable[$0].side == .second }.map {
                unreadable[$0].line
            }
            if rowsA.count + brokenA.count > 1 || rowsB.count + brokenB.count > 1 {
                report.duplicates.append(
                    Duplicate(
                        key: key, firstLines: (rowsA.map(\.line) + brokenA).sorted(),
                        secondLines: (rowsB.map(\.line) + brokenB).sorted()))
                continue
            }
            if let indexes = unreadableKeys[key] {
                // The other entry of this sheet cannot be read: nothing to compare with.
                for index in indexes where unreadable[index].otherLine == nil {
                    unreadable[index].otherLine = (unreadable[index].side == .first ? rowsB : rowsA).first?.line
                }
                continue
            }
            switch (rowsA.first, rowsB.first) {
            case (let rowA?, let rowB?):
                let differences = compare(rowA, in: a, with: rowB, in: b, template: template)
                report.pairs.append(
                    Pair(key: key, firstLine: rowA.line, secondLine: rowB.line, differences: differences))
                if differences.isEmpty { agreedCells.append(Array(rowA.cells.dropFirst(a.mapping.rejectsPrefix))) }
            case (let rowA?, nil):
                report.unmatched.append(Unmatched(side: .first, line: rowA.line, key: key))
            case (nil, let rowB?):
                report.unmatched.append(Unmatched(side: .second, line: rowB.line, key: key))
            case (nil, nil):
                break
            }
        }
        // Two unreadable rows with the same key point at each other.
        for (_, indexes) in unreadableKeys {
            for index in indexes where unreadable[index].otherLine == nil {
                unreadable[index].otherLine =
                    indexes.first { unreadable[$0].side != unreadable[index].side }.map { unreadable[$0].line }
            }
        }
        report.unreadable = unreadable
        report.pairs.sort { $0.firstLine < $1.firstLine }

        if let url = options.agreedURL {
            let writer = CSVWriter(options: CSVWriteOptions(byteOrderMark: true))
            var bytes = writer.preamble
            writer.append(a.header.dropFirst(a.mapping.rejectsPrefix), to: &bytes)
            for cells in agreedCells { writer.append(cells, to: &bytes) }
            try FileSystem.writeAtomically(Data(bytes), to: url, mode: 0o600)
            report.agreedURL = url
        }
        if let url = options.reportURL {
            let writer = CSVWriter(options: CSVWriteOptions(neutralizesFormulas: true, byteOrderMark: true))
            var bytes = writer.preamble
            for record in report.records(visitDateFormat: visitDateFormat(template)) {
                writer.append(record, to: &bytes)
            }
            try FileSystem.writeAtomically(Data(bytes), to: url, mode: 0o600)
            report.reportURL = url
        }
        return report
    }

    /// The visit date's declared format (`DD/MM/YYYY` when the template declares none).
    public static func visitDateFormat(_ template: Template) -> DateFormat {
        if case .date(let format)? = template.field(named: TemplateChecker.visitDateField)?.kind { return format }
        return .dayMonthYear
    }

    /// An ISO date written in `format`, as on the paper.
    static func display(_ iso: String, _ format: DateFormat) -> String {
        guard case .success(let date) = DateFormat.iso.parse(iso) else { return iso }
        return format.format(date)
    }

    /// Every field of the template that differs between two rows, in column order.
    static func compare(_ rowA: Row, in a: Transcription, with rowB: Row, in b: Transcription, template: Template)
        -> [Difference]
    {
        var differences: [Difference] = []
        for column in template.transcriptionColumns {
            guard let field = column.field, field.name != TemplateChecker.visitDateField else { continue }
            let same: Bool
            switch column {
            case .code:
                continue
            case .field:
                same = rowA.fields[field.name] == rowB.fields[field.name]
            case .choice(_, let choice):
                same = rowA.ticks(choice.name, of: field.name) == rowB.ticks(choice.name, of: field.name)
            }
            if !same {
                differences.append(
                    Difference(column: column.name, first: a.cell(column, of: rowA), second: b.cell(column, of: rowB)))
            }
        }
        return differences
    }

    /// One readable row of a transcription.
    struct Row {
        let line: Int
        let cells: [String]
        let key: Key
        /// Stored values by field name, the visit date excluded.
        let fields: [String: StoredValue]

        /// Whether the choice `choice` of the multiple-choice field `field` is ticked.
        func ticks(_ choice: String, of field: String) -> Bool {
            if case .list(let names)? = fields[field] { return names.contains(choice) }
            return false
        }
    }

    /// One file read and checked as ingest checks it, without the store.
    struct Transcription {
        let name: String
        let header: [String]
        let mapping: HeaderMapping
        var rows: [Row] = []
        var unreadable: [Unreadable] = []
        var read = 0
        var blank = 0

        init(url: URL, name: String, side: Side, template: Template, randomLength: Int, allowFreeText: Bool)
            throws
        {
            self.name = name
            let reader: CSVReader
            do {
                reader = try CSVReader(url: url, name: name)
            } catch {
                throw SheetError.unreadable(error)
            }
            do {
                guard let first = try reader.next() else { throw SheetError.noHeader(file: name) }
                header = first.fields
            } catch let error as CSVError {
                throw SheetError.unreadableHeader(error)
            }
            mapping = try HeaderMapping.map(header, template: template, file: name)
            var parser = RowParser(
                template: template, mapping: mapping, options: Ingest.Options(allowFreeText: allowFreeText),
                file: name)
            while let result = reader.nextResult() {
                switch result {
                case .failure(let error):
                    read += 1
                    let context = error.context
                    unreadable.append(
                        Unreadable(
                            side: side, line: context?.line ?? 0, column: context?.column, columnName: nil,
                            reason: RowParser.reason(error), key: nil))
                case .success(let record):
                    if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
                        blank += 1
                        continue
                    }
                    read += 1
                    switch parser.values(of: record) {
                    case .failure(let rejection):
                        unreadable.append(
                            Unreadable(
                                side: side, line: record.line, column: rejection.column,
                                columnName: rejection.columnName, reason: rejection.problem.description,
                                key: Self.key(record, parser: parser, template: template, randomLength: randomLength)))
                    case .success(let values):
                        do {
                            let code = try CaseCode.parse(values.code, expectedRandomLength: randomLength)
                            rows.append(
                                Row(
                                    line: record.line, cells: record.fields,
                                    key: Key(code: code, visitDate: values.visitDate), fields: values.fields))
                        } catch {
                            unreadable.append(
                                Unreadable(
                                    side: side, line: record.line, column: parser.codeIndex + 1, columnName: "code",
                                    reason: "invalid code: \(error); check the paper", key: nil))
                        }
                    }
                }
            }
        }

        /// The key of a row that failed elsewhere, when its code and visit date can be read.
        static func key(_ record: CSVRecord, parser: RowParser, template: Template, randomLength: Int) -> Key? {
            guard let typed = record[safe: parser.codeIndex],
                let code = try? CaseCode.parse(typed, expectedRandomLength: randomLength),
                let visitIndex = parser.visitIndex, let cell = record[safe: visitIndex],
                let field = template.field(named: TemplateChecker.visitDateField),
                case .success(.text(let date)?) = CellParser.parseUncached(
                    cell, column: .field(field), template: template, allowFreeText: false)
            else { return nil }
            return Key(code: code, visitDate: date)
        }

        /// The cell as typed for `column`: its own column, or the one column holding the whole
        /// multiple-choice field; empty when the file has neither.
        func cell(_ column: TranscriptionColumn, of row: Row) -> String {
            if let index = mapping.columns.firstIndex(of: column), row.cells.indices.contains(index) {
                return row.cells[index]
            }
            if case .choice(let field, _) = column,
                let index = mapping.columns.firstIndex(of: .field(field)), row.cells.indices.contains(index)
            {
                return row.cells[index]
            }
            return ""
        }
    }
}
