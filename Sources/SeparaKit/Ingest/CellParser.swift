import Foundation

/// A value as the store keeps it in a record's JSON.
enum StoredValue: Hashable, Sendable {
    /// A JSON string: a choice name, an ISO date, an age (`34` or `0-4`), free text.
    case text(String)
    /// A JSON number, already in canonical form.
    case number(String)
    /// A JSON array of choice names, in the choice list's order.
    case list([String])
}

/// Reads the cells of one column, with a bounded cache: transcriptions repeat the same few choices,
/// dates and ages thousands of times, and folding text for matching is costly.
struct CellParser {
    let column: TranscriptionColumn
    let template: Template
    let allowFreeText: Bool
    private var cache: [String: Result<StoredValue?, RowProblem>] = [:]
    private static let cacheLimit = 4096

    init(column: TranscriptionColumn, template: Template, allowFreeText: Bool) {
        self.column = column
        self.template = template
        self.allowFreeText = allowFreeText
    }

    /// The stored value of `cell` (nil for an empty cell or an unticked choice), or why it is refused.
    /// Emptiness of required fields is checked by the caller.
    mutating func parse(_ cell: String) -> Result<StoredValue?, RowProblem> {
        if let cached = cache[cell] { return cached }
        let result = Self.parseUncached(cell, column: column, template: template, allowFreeText: allowFreeText)
        if case .field(let field) = column, field.kind.isText {
            return result  // free text is not cached: values rarely repeat
        }
        if cache.count < Self.cacheLimit { cache[cell] = result }
        return result
    }

    static func parseUncached(_ cell: String, column: TranscriptionColumn, template: Template, allowFreeText: Bool)
        -> Result<StoredValue?, RowProblem>
    {
        let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines)
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

/// Spots free text that looks like identity: a phone number, an e-mail address, a "name:" label.
enum IdentityLookalike {
    static let nameLabels = [
        "name", "names", "nom", "prénom", "prenom", "nombre", "apellido", "اسم", "الاسم", "phone", "tel", "tél",
        "téléphone", "telefono", "teléfono", "هاتف",
    ]

    /// What the text looks like (for the message), or nil.
    static func detect(_ text: String) -> String? {
        var digits = 0
        var run = 0
        for character in text {
            if character.isNumber {
                digits += 1
                run += 1
            } else if " -.()/+".contains(character) {
                continue
            } else {
                run = 0
            }
            if run >= 7 { return "a phone number" }
        }
        if digits >= 9 { return "a phone number" }
        if let at = text.firstIndex(of: "@"), text[at...].contains("."), at > text.startIndex {
            return "an e-mail address"
        }
        let lowered = text.lowercased()
        for label in nameLabels {
            for separator in [":", "=", " :"] where lowered.contains(label + separator) {
                return "a name or contact"
            }
        }
        return nil
    }
}

/// Builds a record's JSON: keys sorted, no spaces, so that equal records have equal text.
enum RecordJSON {
    static func encode(_ values: [String: StoredValue]) -> String {
        var out = "{"
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            appendString(key, to: &out)
            out += ":"
            switch values[key]! {
            case .text(let text): appendString(text, to: &out)
            case .number(let number): out += number
            case .list(let items):
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += "," }
                    appendString(item, to: &out)
                }
                out += "]"
            }
        }
        return out + "}"
    }

    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
