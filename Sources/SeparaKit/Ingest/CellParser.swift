import Foundation

/// Reads the cells of one column, with a bounded cache: transcriptions repeat the same few choices,
/// dates and ages thousands of times, and folding text for matching is costly.
///
/// A cached cell is kept parsed once with its JSON text, so that a row's JSON is built by copying bytes
/// (ingest's hot path, see ``RowParser``).
struct CellParser {
    /// A parsed cell: its stored value (nil for an empty cell or an unticked choice) or why it is refused,
    /// and the value as JSON text.
    struct Entry {
        var value: StoredValue?
        var problem: RowProblem?
        /// The value as JSON text; empty when there is no value or for the code column.
        var json: [UInt8] = []

        init(_ result: Result<StoredValue?, RowProblem>, json wanted: Bool) {
            switch result {
            case .success(let value):
                self.value = value
                if wanted, let value { RecordJSON.append(value, to: &json) }
            case .failure(let problem):
                self.problem = problem
            }
        }

        var result: Result<StoredValue?, RowProblem> {
            if let problem { return .failure(problem) }
            return .success(value)
        }
    }

    let column: TranscriptionColumn
    let template: Template
    let allowFreeText: Bool
    /// Parsed cells; `entries[0]` holds the last cell that was not cached (valid until the next call).
    private(set) var entries: [Entry] = [Entry(.success(nil), json: false)]
    private var cache: [String: Int] = [:]
    private static let cacheLimit = 4096
    private let wantsJSON: Bool
    private let cachesCells: Bool

    init(column: TranscriptionColumn, template: Template, allowFreeText: Bool) {
        self.column = column
        self.template = template
        self.allowFreeText = allowFreeText
        switch column {
        case .code:
            wantsJSON = false
            cachesCells = false  // unique per row: caching would only cost
        case .choice:
            wantsJSON = false  // ticks become one list per field, built by the row parser
            cachesCells = true
        case .field(let field):
            wantsJSON = true
            cachesCells = !field.kind.isText  // free text is not cached: values rarely repeat
        }
    }

    /// The stored value of `cell` (nil for an empty cell or an unticked choice), or why it is refused.
    /// Emptiness of required fields is checked by the caller.
    mutating func parse(_ cell: String) -> Result<StoredValue?, RowProblem> {
        entries[entry(for: cell)].result
    }

    /// Parses `cell` and returns its index in ``entries``; index 0 (a cell not cached) is valid until the
    /// next call.
    mutating func entry(for cell: String) -> Int {
        if case .code = column {
            let trimmed = Self.trim(cell)
            entries[0] = Entry(.success(trimmed.isEmpty ? nil : .text(trimmed)), json: false)
            return 0
        }
        if let cached = cache[cell] { return cached }
        let entry = Entry(
            Self.parseUncached(cell, column: column, template: template, allowFreeText: allowFreeText),
            json: wantsJSON)
        guard cachesCells, cache.count < Self.cacheLimit else {
            entries[0] = entry
            return 0
        }
        entries.append(entry)
        cache[cell] = entries.count - 1
        return entries.count - 1
    }

    static func parseUncached(_ cell: String, column: TranscriptionColumn, template: Template, allowFreeText: Bool)
        -> Result<StoredValue?, RowProblem>
    {
        let trimmed = trim(cell)
        if trimmed.isEmpty { return .success(nil) }
        if trimmed.hasPrefix("=") { return .failure(.formula) }
        switch column {
        case .code:
            return .success(.text(trimmed))
        case .choice:
            switch trimmed.lowercased() {
            case "1", "x", "✓", "✔", "yes", "true", "oui", "sí", "si", "نعم": return .success(.text("1"))
            case "0", "no", "false", "non", "لا": return .success(nil)
            default: return .failure(.notTick)
            }
        case .field(let field):
            return parseField(trimmed, field: field, template: template, allowFreeText: allowFreeText)
        }
    }

    /// `text` without leading and trailing white space; ASCII fast path, Foundation for the rest.
    static func trim(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        if first < 0x80 && last < 0x80 {
            if !isSpace(first) && !isSpace(last) { return text }
            guard let start = utf8.firstIndex(where: { !isSpace($0) }) else { return "" }
            let end = utf8.lastIndex(where: { !isSpace($0) })!
            let trimmed = String(text[start...end])
            if let f = trimmed.utf8.first, let l = trimmed.utf8.last, f < 0x80, l < 0x80 { return trimmed }
            return trimmed.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func parseField(_ text: String, field: Field, template: Template, allowFreeText: Bool)
        -> Result<StoredValue?, RowProblem>
    {
        switch field.kind {
        case .selectOne, .yesNo:
            guard let list = template.choices(for: field) else { return .failure(.unknownChoice) }
            switch list.choice(matching: text) {
            case .found(let choice): return .success(.text(choice.name))
            case .notFound: return .failure(.unknownChoice)
            case .ambiguous: return .failure(.ambiguousChoice)
            }
        case .selectMultiple:
            // One column for the whole field: choice names or labels separated by spaces, commas or semicolons.
            guard let list = template.choices(for: field) else { return .failure(.unknownChoice) }
            var names: Set<String> = []
            let parts = text.split { $0 == " " || $0 == "," || $0 == ";" }.map(String.init)
            for part in parts {
                switch list.choice(matching: part) {
                case .found(let choice): names.insert(choice.name)
                case .notFound:
                    // A label with spaces ("Drinking water") cannot be split: try the whole text as one choice.
                    if case .found(let whole) = list.choice(matching: text) { return .success(.list([whole.name])) }
                    return .failure(.unknownChoice)
                case .ambiguous: return .failure(.ambiguousChoice)
                }
            }
            return .success(.list(list.choices.map(\.name).filter(names.contains)))
        case .integer(let min, let max):
            var digits = text
            if digits.hasSuffix(".0") { digits.removeLast(2) }  // a spreadsheet's rendering of a whole number
            guard let value = Int(digits), digits.count <= 12 else {
                return .failure(.notWholeNumber(min: min, max: max))
            }
            if let min, value < min { return .failure(.notWholeNumber(min: min, max: max)) }
            if let max, value > max { return .failure(.notWholeNumber(min: min, max: max)) }
            return .success(.number(String(value)))
        case .decimal(let min, let max):
            let normalized = text.replacingOccurrences(of: ",", with: ".")
            guard normalized.count <= 24, let value = Double(normalized), value.isFinite,
                normalized.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") })
            else { return .failure(.notNumber(min: min, max: max)) }
            if let min, value < min { return .failure(.notNumber(min: min, max: max)) }
            if let max, value > max { return .failure(.notNumber(min: min, max: max)) }
            return .success(.number(value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)))
        case .date(let format):
            switch format.parse(text) {
            case .success(let date): return .success(.text(date.iso))
            case .failure(let problem): return .failure(.badDate(problem, pattern: format.pattern))
            }
        case .age:
            guard let age = AgeValue.parse(text) else { return .failure(.badAge) }
            return .success(.text(age.description))
        case .text(let maxLength):
            if field.sheet == .sensitive && !(field.allowFreeText && allowFreeText) {
                return .failure(.freeTextNotAllowed)
            }
            if let first = text.first, "+-@".contains(first), !text.dropFirst().allSatisfy({ $0.isNumber }) {
                return .failure(.formula)
            }
            if let maxLength, text.count > maxLength { return .failure(.tooLong(max: maxLength)) }
            if let what = IdentityLookalike.detect(text) { return .failure(.looksLikeIdentity(what)) }
            return .success(.text(text))
        case .note:
            return .success(nil)
        }
    }
}
