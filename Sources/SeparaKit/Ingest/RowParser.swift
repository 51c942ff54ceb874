import Foundation

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
    /// The day of the import (ISO, local): no visit is dated after it.
    private let today: String

    init(template: Template, mapping: HeaderMapping, options: Ingest.Options, file: String) {
        self.template = template
        today = Timestamp.localDay(options.now)
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
            RecordJSON.appendString(slot.field.name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
        choiceJSON = slots.map { slot in
            slot.choiceNames.map { name in
                var text: [UInt8] = []
                RecordJSON.appendString(name, to: &text)
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
        if visitDate > today {
            return .failure(rejection(record.line, column: visitIndex, .visitDateInFuture(today: today)))
        }
        for (slot, info) in slots.enumerated() where info.ticks && info.field.required && !ticked[slot].contains(true) {
            return .failure(rejection(record.line, column: info.column, .required))
        }
        return .success((code, visitDate))
    }
}
