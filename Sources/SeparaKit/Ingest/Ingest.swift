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
    /// The record's JSON (``RowParser/parse(_:)``); ingest keeps it in its chunk's byte buffer instead, at
    /// `jsonStart..<jsonEnd` (``RowParser/parse(_:json:)``).
    var json: String = ""
    var jsonStart = 0
    var jsonEnd = 0
    /// Why the code is not a valid code (set by ``PendingChunk/prepare(randomLength:)``).
    var codeError: CodeError?
    var problem: RowRejection?
}

/// The rows of one chunk and their records' JSON texts, in one byte buffer reused from chunk to chunk.
struct PendingChunk {
    var rows: [PendingRow] = []
    var json: [UInt8] = []
    /// After ``prepare(randomLength:)``: the rows whose code is valid, in the store's key order.
    var order: [Int] = []

    init() {
        rows.reserveCapacity(FileImport.chunkSize)
        json.reserveCapacity(FileImport.chunkSize * 512)
        order.reserveCapacity(FileImport.chunkSize)
    }

    var count: Int { rows.count }

    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        json.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
    }

    /// The work that needs no store: each good row's code in canonical form (or the reason it is not a
    /// code, in `codeError`), and the rows with a valid code sorted in the store's key order.
    mutating func prepare(randomLength: Int) {
        order.removeAll(keepingCapacity: true)
        for index in rows.indices where rows[index].problem == nil {
            do {
                rows[index].code = try CaseCode.parse(rows[index].code, expectedRandomLength: randomLength).canonical
                order.append(index)
            } catch {
                rows[index].codeError = error
            }
        }
        rows.withUnsafeBufferPointer { rows in
            order.sort {
                (rows[$0].code, rows[$0].visitDate, rows[$0].line) < (rows[$1].code, rows[$1].visitDate, rows[$1].line)
            }
        }
    }
}

/// Reads and checks a file's rows on a thread of its own, a few chunks ahead of the store.
///
/// The store inserts one chunk while the next is read and checked, so that on two cores the import takes
/// about as long as the slower of the two halves rather than their sum. At most ``depth`` chunks wait:
/// memory stays bounded whatever the size of the file. Only the producing thread touches the reader and
/// the parser until ``stopAndWait()`` returns (or ``nextChunk()`` has returned nil).
final class RowPipeline: @unchecked Sendable {
    static let depth = 2

    private let reader: CSVReader
    private var parser: RowParser
    private let randomLength: Int
    private let condition = NSCondition()
    private var ready: [PendingChunk] = []
    private var spare: [PendingChunk] = []
    private var started = false
    private var stopping = false
    private var finished = false
    /// Data rows read; final once the producer has finished.
    private(set) var read = 0

    init(reader: CSVReader, parser: RowParser, randomLength: Int) {
        self.reader = reader
        self.parser = parser
        self.randomLength = randomLength
    }

    func start() {
        started = true
        let thread = Thread { [self] in produce() }
        thread.name = "separa.ingest.rows"
        thread.start()
    }

    /// The next chunk in file order, or nil after the last one.
    func nextChunk() -> PendingChunk? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        if ready.isEmpty { return nil }
        let chunk = ready.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Gives a chunk's buffers back for reuse (the producer empties them, off the store's thread).
    func recycle(_ chunk: PendingChunk) {
        condition.lock()
        if spare.count < Self.depth + 1 { spare.append(chunk) }
        condition.unlock()
    }

    /// Stops the producer (if it is still reading) and waits until it no longer touches the reader.
    func stopAndWait() {
        guard started else { return }
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func produce() {
        var chunk = takeSpare()
        var going = true
        while going, let result = reader.nextResult() {
            read += 1
            switch result {
            case .success(let record):
                chunk.rows.append(parser.parse(record, json: &chunk.json))
            case .failure(let error):
                // After an error it cannot recover from (an unclosed quote), the reader returns nil.
                chunk.rows.append(parser.malformed(error))
            }
            if chunk.count >= FileImport.chunkSize {
                going = hand(&chunk)
                if going { chunk = takeSpare() }
            }
        }
        if going, chunk.count > 0 { _ = hand(&chunk) }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Queues a full chunk, waiting while ``depth`` are waiting; false when the import stopped.
    private func hand(_ chunk: inout PendingChunk) -> Bool {
        chunk.prepare(randomLength: randomLength)
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= Self.depth && !stopping { condition.wait() }
        if stopping { return false }
        ready.append(chunk)
        condition.broadcast()
        return true
    }

    private func takeSpare() -> PendingChunk {
        condition.lock()
        let chunk = spare.popLast()
        condition.unlock()
        guard var chunk else { return PendingChunk() }
        chunk.removeAll()
        return chunk
    }
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
            // Good rows are never copied whole (a rejected row keeps its cells): no raw text for them.
            reader = try CSVReader(url: url, name: fileName, options: CSVReadOptions(keepsRawText: false))
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
                // Rows are read and checked on a second thread while this one stores the previous chunk.
                let pipeline = RowPipeline(
                    reader: reader,
                    parser: RowParser(template: template, mapping: mapping, options: options, file: fileName),
                    randomLength: workspace.config.codes.randomLength)
                pipeline.start()
                defer { pipeline.stopAndWait() }
                while var chunk = pipeline.nextChunk() {
                    try session.store(&chunk)
                    for index in chunk.rows.indices {
                        if let problem = chunk.rows[index].problem {
                            summary.rejected += 1
                            if options.strict { rejectedLines[problem.line] = problem }
                            if summary.firstRejections.count < FileImport.maximumShownRejections {
                                summary.firstRejections.append(problem)
                            }
                            try rejects.write(
                                row: chunk.rows[index].cells, rejection: problem, prefix: mapping.rejectsPrefix)
                        }
                    }
                    pipeline.recycle(chunk)
                }
                pipeline.stopAndWait()
                summary.read = pipeline.read
                summary.stored = session.stored
                summary.alreadyPresent = session.present
                summary.replaced = session.replaced
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
///
/// Built once per file: each file column knows its slot in the record's JSON (fields in key order), so a row
/// costs no dictionary and no sorting.
struct RowParser {
    /// What a file column feeds.
    enum Target {
        case skip
        case code
        case visitDate
        /// A single-value field, by slot.
        case value(slot: Int)
        /// One choice column of a `select_multiple` field: slot and the choice's position in its list.
        case tick(slot: Int, choice: Int)
    }

    /// A field of the record's JSON.
    struct Slot {
        let field: Field
        /// For `select_multiple`: the list's choice names, in order.
        let choiceNames: [String]
        /// The first file column feeding it (for messages).
        let column: Int
        /// Whether it is fed by per-choice columns.
        let ticks: Bool
    }

    let template: Template
    let mapping: HeaderMapping
    let file: String
    /// One parser per file column (a column that feeds nothing has one that is never called).
    var parsers: [CellParser]
    let targets: [Target]
    let slots: [Slot]
    let codeIndex: Int
    let visitIndex: Int?
    /// Per slot: `"name":` as JSON; for per-choice columns, each choice name as a JSON string.
    private let slotKeys: [[UInt8]]
    private let choiceJSON: [[[UInt8]]]
    /// Per-row buffers, reused: per slot, the column and the parser entry holding its value (-1: none).
    private var slotColumn: [Int]
    private var slotEntry: [Int]
    private var ticked: [[Bool]]

    init(template: Template, mapping: HeaderMapping, options: Ingest.Options, file: String) {
        self.template = template
        self.mapping = mapping
        self.file = file
        parsers = mapping.columns.map { column in
            CellParser(column: column ?? .code, template: template, allowFreeText: options.allowFreeText)
        }
        codeIndex = mapping.columns.firstIndex { $0 == .code }!
        visitIndex = mapping.columns.firstIndex { $0?.field?.name == TemplateChecker.visitDateField }
        // Slots: every field the file feeds, except the visit date (a key column), sorted by name.
        var firstColumn: [String: Int] = [:]
        for (index, column) in mapping.columns.enumerated() {
            if let field = column?.field, field.name != TemplateChecker.visitDateField, firstColumn[field.name] == nil {
                firstColumn[field.name] = index
            }
        }
        var slots: [Slot] = []
        for name in firstColumn.keys.sorted() {
            let field = template.field(named: name)!
            let column = mapping.columns[firstColumn[name]!]!
            var ticks = false
            if case .choice = column { ticks = true }
            slots.append(
                Slot(
                    field: field, choiceNames: template.choices(for: field)?.choices.map(\.name) ?? [],
                    column: firstColumn[name]!, ticks: ticks))
        }
        let slotOf = Dictionary(uniqueKeysWithValues: slots.enumerated().map { ($1.field.name, $0) })
        targets = mapping.columns.map { column in
            switch column {
            case nil: return .skip
            case .code?: return .code
            case .field(let field)?:
                return field.name == TemplateChecker.visitDateField ? .visitDate : .value(slot: slotOf[field.name]!)
            case .choice(let field, let choice)?:
                let slot = slotOf[field.name]!
                return .tick(slot: slot, choice: slots[slot].choiceNames.firstIndex(of: choice.name) ?? 0)
            }
        }
        self.slots = slots
        slotKeys = slots.map { slot in
            var key: [UInt8] = []
            JSONBuilder.appendString(slot.field.name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        choiceJSON = slots.map { slot in
            slot.choiceNames.map { name in
                var text: [UInt8] = []
                JSONBuilder.appendString(name, to: &text)
                return text
            }
        }
        slotColumn = Array(repeating: -1, count: slots.count)
        slotEntry = Array(repeating: -1, count: slots.count)
        ticked = slots.map { Array(repeating: false, count: $0.ticks ? $0.choiceNames.count : 0) }
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

    /// A record checked and ready for the store: code as typed, visit date, the record's JSON.
    mutating func parse(_ record: CSVRecord) -> PendingRow {
        var json: [UInt8] = []
        var row = parse(record, json: &json)
        if row.problem == nil { row.json = String(decoding: json[row.jsonStart..<row.jsonEnd], as: UTF8.self) }
        return row
    }

    /// ``parse(_:)`` for ingest's hot path: the record's JSON is appended to `json` (at
    /// `row.jsonStart..<row.jsonEnd`) rather than made into a string.
    mutating func parse(_ record: CSVRecord, json: inout [UInt8]) -> PendingRow {
        var row = PendingRow(line: record.line, cells: record.fields)
        switch check(record) {
        case .failure(let rejection):
            row.problem = rejection
        case .success(let key):
            row.code = key.code
            row.visitDate = key.visitDate
            row.jsonStart = json.count
            appendJSON(to: &json)
            row.jsonEnd = json.count
        }
        return row
    }

    /// Checks a record's cells (code present, required fields, types, ranges, choices, dates) without the
    /// store; the code is not yet checked as a code.
    mutating func values(of record: CSVRecord) -> Outcome {
        switch check(record) {
        case .failure(let rejection): return .failure(rejection)
        case .success(let key):
            var fields: [String: StoredValue] = [:]
            for (slot, info) in slots.enumerated() {
                if info.ticks {
                    let names = info.choiceNames.indices.filter { ticked[slot][$0] }.map { info.choiceNames[$0] }
                    if !names.isEmpty { fields[info.field.name] = .list(names) }
                } else if slotEntry[slot] >= 0, let value = parsers[slotColumn[slot]].entries[slotEntry[slot]].value {
                    fields[info.field.name] = value
                }
            }
            return .success(Values(code: key.code, visitDate: key.visitDate, fields: fields))
        }
    }

    /// Appends the JSON of the record last checked: slot by slot (key order), empty fields left out, each
    /// value's text copied from its parser's cache.
    private func appendJSON(to json: inout [UInt8]) {
        json.append(UInt8(ascii: "{"))
        var first = true
        for slot in slots.indices {
            if slots[slot].ticks {
                var opened = false
                for choice in ticked[slot].indices where ticked[slot][choice] {
                    if !opened {
                        if !first { json.append(UInt8(ascii: ",")) }
                        first = false
                        json.append(contentsOf: slotKeys[slot])
                        json.append(UInt8(ascii: "["))
                        opened = true
                    } else {
                        json.append(UInt8(ascii: ","))
                    }
                    json.append(contentsOf: choiceJSON[slot][choice])
                }
                if opened { json.append(UInt8(ascii: "]")) }
            } else if slotEntry[slot] >= 0 {
                if !first { json.append(UInt8(ascii: ",")) }
                first = false
                json.append(contentsOf: slotKeys[slot])
                json.append(contentsOf: parsers[slotColumn[slot]].entries[slotEntry[slot]].json)
            }
        }
        json.append(UInt8(ascii: "}"))
    }

    /// Reads every cell of `record` into the per-row buffers; returns the code as typed and the visit date.
    private mutating func check(_ record: CSVRecord) -> Result<(code: String, visitDate: String), RowRejection> {
        let cells = record.fields
        for slot in slotEntry.indices { slotEntry[slot] = -1 }
        for slot in ticked.indices where !ticked[slot].isEmpty {
            for choice in ticked[slot].indices { ticked[slot][choice] = false }
        }
        var code = ""
        var visitDate: String?
        for index in 0..<min(cells.count, parsers.count) {
            let target = targets[index]
            if case .skip = target { continue }
            let entry = parsers[index].entry(for: cells[index])  // in place: the parser's cache is not copied
            if let problem = parsers[index].entries[entry].problem {
                return .failure(rejection(record.line, column: index, problem))
            }
            let hasValue = parsers[index].entries[entry].value != nil
            switch target {
            case .skip: break
            case .code, .visitDate:
                guard case .text(let text)? = parsers[index].entries[entry].value else {
                    let isCode: Bool
                    if case .code = target { isCode = true } else { isCode = false }
                    return .failure(rejection(record.line, column: index, isCode ? .missingCode : .required))
                }
                if case .code = target { code = text } else { visitDate = text }
            case .value(let slot):
                if !hasValue && slots[slot].field.required {
                    return .failure(rejection(record.line, column: index, .required))
                }
                slotColumn[slot] = index
                slotEntry[slot] = hasValue ? entry : -1
            case .tick(let slot, let choice):
                if hasValue { ticked[slot][choice] = true }
            }
        }
        guard let visitDate else { return .failure(rejection(record.line, column: visitIndex, .required)) }
        for (slot, info) in slots.enumerated() where info.ticks && info.field.required && !ticked[slot].contains(true) {
            return .failure(rejection(record.line, column: info.column, .required))
        }
        return .success((code, visitDate))
    }
}
