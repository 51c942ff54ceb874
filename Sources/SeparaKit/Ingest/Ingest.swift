import Foundation
import GRDB

/// `separa ingest`: transcription CSV files into the store, every row ending in exactly one place.
///
/// Each file is one transaction: killed at any moment, the store is as it was before that file; run again,
/// the import completes (rows already stored are counted as present, not stored twice). A row that cannot be
/// stored goes to the rejects file with its original line number, the column, the reason and its original
/// cells, so that a clerk can fix it and import the rejects file again.
public enum Ingest {
    /// How to import.
    public struct Options: Sendable {
        /// All rows of a file or none.
        public var strict = false
        /// Take the new values when a different record for the same code and visit date is stored
        /// (audited); otherwise such a row is a conflict and goes to the rejects file.
        public var replace = false
        /// Accept free text in fields whose template allows it.
        public var allowFreeText = false
        /// Where to write the rejects of a single file (default: `output/rejects-TEMPLATE-TIME.csv`).
        public var rejectsURL: URL?
        /// The time recorded for the import.
        public var now = Date()

        public init(
            strict: Bool = false, replace: Bool = false, allowFreeText: Bool = false, rejectsURL: URL? = nil,
            now: Date = Date()
        ) {
            self.strict = strict
            self.replace = replace
            self.allowFreeText = allowFreeText
            self.rejectsURL = rejectsURL
            self.now = now
        }
    }

    /// What happened to one file.
    public struct Summary: Sendable {
        public let file: String
        public let encoding: CSVEncoding
        public let separator: CSVSeparator
        /// Data rows read (the header not counted).
        public var read = 0
        public var stored = 0
        public var alreadyPresent = 0
        public var replaced = 0
        public var rejected = 0
        /// The rejects file, when a row was rejected.
        public var rejectsURL: URL?
        /// The import batch the stored rows carry, when any were stored.
        public var importID: String?
        /// The first rejections (at most 50), for the terminal; all are in the rejects file.
        public var firstRejections: [RowRejection] = []
        /// Codes newly marked used.
        public var codesUsed = 0
    }

    /// Imports `files` as transcriptions of `template`, one transaction per file.
    ///
    /// - Throws: ``IngestError`` when a file is refused as a whole (unreadable, unknown or missing
    ///   columns): nothing of that file, or of the files after it, is stored.
    public static func run(
        workspace: Workspace, store: Store, template: Template, files: [URL], options: Options = Options()
    ) throws -> [Summary] {
        var seen: Set<String> = []
        for file in files where !seen.insert(file.standardizedFileURL.path).inserted {
            throw IngestError.sameFileTwice(file: file.lastPathComponent)
        }
        var summaries: [Summary] = []
        for (index, file) in files.enumerated() {
            var fileOptions = options
            if files.count > 1 { fileOptions.rejectsURL = nil }
            let rejects =
                try fileOptions.rejectsURL
                ?? workspace.outputFile(
                    "rejects-\(template.id.rawValue)-\(stamp(options.now))\(files.count > 1 ? "-\(index + 1)" : "").csv"
                )
            summaries.append(
                try FileImport(
                    workspace: workspace, store: store, template: template, url: file, rejectsURL: rejects,
                    options: fileOptions
                ).run())
        }
        return summaries
    }

    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d-%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}

/// One row read and checked, waiting for the store.
struct PendingRow {
    let line: Int
    /// The cells as read, for the rejects file.
    let cells: [String]
    var code: String = ""
    var visitDate: String = ""
    var json: String = ""
    var problem: RowRejection?
}

/// The import of one file.
struct FileImport {
    let workspace: Workspace
    let store: Store
    let template: Template
    let url: URL
    let rejectsURL: URL
    let options: Ingest.Options

    /// Rows checked against the store together, in key order.
    static let chunkSize = 4096
    static let maximumShownRejections = 50

    var fileName: String { url.lastPathComponent }

    func run() throws -> Ingest.Summary {
        let reader: CSVReader
        do {
            reader = try CSVReader(url: url, name: fileName)
        } catch {
            throw IngestError.unreadable(error)
        }
        let header: CSVRecord
        do {
            guard let first = try reader.next() else { throw IngestError.noHeader(file: fileName) }
            header = first
        } catch let error as CSVError {
            throw IngestError.unreadableHeader(error)
        }
        let mapping = try HeaderMapping.map(header.fields, template: template, file: fileName)
        var summary = Ingest.Summary(file: fileName, encoding: reader.encoding, separator: reader.separator)

        let rejects = try RejectsWriter(url: rejectsURL, header: header.fields, prefix: mapping.rejectsPrefix)
        var rejectedLines: [Int: RowRejection] = [:]
        do {
            try store.database.inTransaction(.immediate) { db in
                var session = try StoreSession(
                    db: db, template: template, options: options, workspace: workspace)
                var parser = RowParser(template: template, mapping: mapping, options: options, file: fileName)
                var chunk: [PendingRow] = []
                chunk.reserveCapacity(FileImport.chunkSize)
                func flush() throws {
                    try session.store(&chunk)
                    for row in chunk {
                        if let problem = row.problem {
                            summary.rejected += 1
                            if options.strict { rejectedLines[row.line] = problem }
                            if summary.firstRejections.count < FileImport.maximumShownRejections {
                                summary.firstRejections.append(problem)
                            }
                            try rejects.write(row: row.cells, rejection: problem, prefix: mapping.rejectsPrefix)
                        }
                    }
                    chunk.removeAll(keepingCapacity: true)
                }
                while let result = reader.nextResult() {
                    summary.read += 1
                    switch result {
                    case .success(let record):
                        chunk.append(parser.parse(record))
                    case .failure(let error):
                        // After an error it cannot recover from (an unclosed quote), the reader returns nil.
                        chunk.append(parser.malformed(error))
                    }
                    if chunk.count >= FileImport.chunkSize { try flush() }
                }
                try flush()
                summary.stored = session.stored
                summary.alreadyPresent = session.present
                summary.replaced = session.replaced
                summary.codesUsed = session.codesUsed
                if options.strict && summary.rejected > 0 { return .rollback }
                if session.stored + session.replaced > 0 {
                    summary.importID = try session.finish(summary: summary, encoding: reader.encoding)
                }
                return .commit
            }
        } catch {
            rejects.abandon()
            if let error = error as? IngestError { throw error }
            throw StoreError.wrap("importing \(fileName)", error)
        }
        if options.strict && summary.rejected > 0 {
            // Nothing was stored: every row goes to the rejects file, the bad ones with their reasons.
            rejects.abandon()
            let all = try RejectsWriter(url: rejectsURL, header: header.fields, prefix: mapping.rejectsPrefix)
            try rewriteAllRows(into: all, rejected: rejectedLines, mapping: mapping)
            try all.commit()
            summary.rejectsURL = rejectsURL
            summary.rejected = summary.read
            summary.stored = 0
            summary.alreadyPresent = 0
            summary.replaced = 0
            summary.codesUsed = 0
            summary.importID = nil
        } else if summary.rejected > 0 {
            try rejects.commit()
            summary.rejectsURL = rejectsURL
        } else {
            rejects.abandon()
        }
        return summary
    }

    /// For `--strict`: reads the file again and writes every row to the rejects file.
    func rewriteAllRows(into writer: RejectsWriter, rejected: [Int: RowRejection], mapping: HeaderMapping) throws {
        let reader = try CSVReader(url: url, name: fileName)
        _ = reader.nextResult()  // header
        var parser = RowParser(template: template, mapping: mapping, options: options, file: fileName)
        while let result = reader.nextResult() {
            let row: PendingRow
            switch result {
            case .success(let record): row = PendingRow(line: record.line, cells: record.fields)
            case .failure(let error): row = parser.malformed(error)
            }
            let rejection =
                rejected[row.line]
                ?? RowRejection(line: row.line, column: nil, columnName: nil, problem: .strictRollback)
            try writer.write(row: row.cells, rejection: rejection, prefix: mapping.rejectsPrefix)
        }
    }
}

/// Turns CSV records into pending rows: code syntax, required fields, types, ranges, choices, dates.
struct RowParser {
    let template: Template
    let mapping: HeaderMapping
    let options: Ingest.Options
    let file: String
    var parsers: [CellParser?]
    let codeIndex: Int
    let visitIndex: Int?

    init(template: Template, mapping: HeaderMapping, options: Ingest.Options, file: String) {
        self.template = template
        self.mapping = mapping
        self.options = options
        self.file = file
        parsers = mapping.columns.map { column in
            column.map { CellParser(column: $0, template: template, allowFreeText: options.allowFreeText) }
        }
        codeIndex = mapping.columns.firstIndex { $0 == .code }!
        visitIndex = mapping.columns.firstIndex { $0?.field?.name == TemplateChecker.visitDateField }
    }

    func reject(_ line: Int, _ cells: [String], column: Int?, _ problem: RowProblem) -> PendingRow {
        var row = PendingRow(line: line, cells: cells)
        row.problem = rejection(line, column: column, problem)
        return row
    }

    /// A rejection at 0-based `column` of the file (nil: the whole row).
    func rejection(_ line: Int, column: Int?, _ problem: RowProblem) -> RowRejection {
        let name = column.flatMap { mapping.columns.indices.contains($0) ? mapping.columns[$0]?.name : nil }
        return RowRejection(line: line, column: column.map { $0 + 1 }, columnName: name, problem: problem)
    }

    /// A record the CSV reader could not read cleanly.
    mutating func malformed(_ error: CSVError) -> PendingRow {
        let context = error.context
        let line = context?.line ?? 0
        var cells: [String]
        if case .fieldCountMismatch(_, _, let fields) = error {
            cells = fields
        } else {
            cells = [context?.raw ?? ""]
        }
        if cells.isEmpty { cells = [""] }
        return reject(line, cells, column: context?.column.map { $0 - 1 }, .malformed(Self.reason(error)))
    }

    /// The CSV error's message without the `file:line: column N:` prefix (the rejects file has its own columns).
    static func reason(_ error: CSVError) -> String {
        let text = error.description
        guard let context = error.context else { return text }
        let prefix = context.description
        if text.hasPrefix(prefix) {
            return String(text.dropFirst(prefix.count)).trimmingCharacters(in: CharacterSet(charactersIn: ": "))
        }
        return text
    }

    /// A record's values, checked: the code as typed, the visit date and every other field's stored value.
    struct Values {
        var code: String
        var visitDate: String
        /// Stored values by field name, the visit date excluded; a `select_multiple` field as one list.
        var fields: [String: StoredValue]
    }

    /// A record checked: its values, or why it is rejected.
    enum Outcome {
        case success(Values)
        case failure(RowRejection)
    }

    mutating func parse(_ record: CSVRecord) -> PendingRow {
        switch values(of: record) {
        case .failure(let rejection):
            var row = PendingRow(line: record.line, cells: record.fields)
            row.problem = rejection
            return row
        case .success(let values):
            var row = PendingRow(line: record.line, cells: record.fields)
            row.code = values.code
            row.visitDate = values.visitDate
            row.json = RecordJSON.encode(values.fields)
            return row
        }
    }

    /// Checks a record's cells (code present, required fields, types, ranges, choices, dates) without the
    /// store; the code is not yet checked as a code.
    mutating func values(of record: CSVRecord) -> Outcome {
        let cells = record.fields
        var values: [String: StoredValue] = [:]
        var ticked: [String: [String]] = [:]
        var code = ""
        for index in cells.indices where index >= mapping.rejectsPrefix && index < parsers.count {
            guard var parser = parsers[index] else { continue }
            let result = parser.parse(cells[index])
            parsers[index] = parser
            let column = parser.column
            switch result {
            case .failure(let problem):
                return .failure(rejection(record.line, column: index, problem))
            case .success(let value):
                switch column {
                case .code:
                    guard case .text(let text)? = value else {
                        return .failure(rejection(record.line, column: index, .missingCode))
                    }
                    code = text
                case .choice(let field, let choice):
                    if value != nil { ticked[field.name, default: []].append(choice.name) }
                    if ticked[field.name] == nil { ticked[field.name] = [] }
                case .field(let field):
                    if let value {
                        values[field.name] = value
                    } else if field.required {
                        return .failure(rejection(record.line, column: index, .required))
                    }
                }
            }
        }
        for (fieldName, names) in ticked {
            guard let field = template.field(named: fieldName), let list = template.choices(for: field) else {
                continue
            }
            if names.isEmpty {
                if field.required {
                    let index = mapping.columns.firstIndex { $0?.field?.name == fieldName } ?? 0
                    return .failure(rejection(record.line, column: index, .required))
                }
                continue
            }
            let set = Set(names)
            values[fieldName] = .list(list.choices.map(\.name).filter(set.contains))
        }
        guard case .text(let date)? = values[TemplateChecker.visitDateField] else {
            return .failure(rejection(record.line, column: visitIndex, .required))
        }
        values.removeValue(forKey: TemplateChecker.visitDateField)
        return .success(Values(code: code, visitDate: date, fields: values))
    }
}
