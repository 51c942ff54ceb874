import Foundation

/// Finds the values of a few top-level keys in a record's JSON without building any object.
///
/// Hand-written rather than `JSONSerialization` or `JSONDecoder`, because a report reads a million records
/// and needs only a handful of short values from each: one pass over the bytes, no allocation. Values are
/// matched against the template's choice names byte by byte. A value with a backslash escape never matches
/// (choice names have none); malformed JSON yields what was read before the fault.
struct RecordFields: Sendable {
    /// What a key's value is turned into.
    enum Kind: Sendable {
        /// A choice name, as its index in `choices` (−1 when not one of them).
        case choice
        /// An age: whole years or a paper band, as a report band index (−1 when unknown).
        case age
        /// A list of choice names, as their indices.
        case choices
    }

    struct Key: Sendable {
        let name: [UInt8]
        let kind: Kind
        let choices: [[UInt8]]
    }

    let keys: [Key]
    /// Report band per age in years (0…120).
    let bandOfYears: [Int32]
    /// Report band per paper band (`AgeBand.allCases` order), −1 when it straddles two report bands.
    let bandOfPaperBand: [Int32]
    let paperBands: [[UInt8]]

    init(keys: [(name: String, kind: Kind, choices: [String])], ageBands: ReportAgeBands) {
        self.keys = keys.map {
            Key(name: Array($0.name.utf8), kind: $0.kind, choices: $0.choices.map { Array($0.utf8) })
        }
        bandOfYears = (0...AgeValue.maximumYears).map { Int32(ageBands.index(years: $0) ?? -1) }
        bandOfPaperBand = AgeBand.allCases.map { Int32(ageBands.index(of: $0) ?? -1) }
        paperBands = AgeBand.allCases.map { Array($0.rawValue.utf8) }
    }

    /// Reads `json`; for every wanted key found, sets `values[key]` (choice and age keys) or appends to
    /// `lists[key]` (list keys). Unfound keys leave `values` as they were (callers reset them to −1).
    func read(_ json: UnsafeRawBufferPointer, values: inout [Int32], lists: inout [[Int32]]) {
        guard let base = json.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var cursor = JSONCursor(base: base, end: json.count)
        cursor.skipSpace()
        guard cursor.take(UInt8(ascii: "{")) else { return }
        while true {
            cursor.skipSpace()
            guard cursor.more, cursor.peek != UInt8(ascii: "}") else { return }
            guard let key = cursor.string() else { return }
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: ":")) else { return }
            cursor.skipSpace()
            guard cursor.more else { return }
            let wanted = key.escaped ? -1 : index(ofKey: key, in: cursor)
            if wanted >= 0 {
                let spec = keys[wanted]
                switch spec.kind {
                case .choice, .age:
                    if cursor.peek == UInt8(ascii: "\"") {
                        guard let value = cursor.string() else { return }
                        if !value.escaped {
                            values[wanted] =
                                spec.kind == .age ? age(value, cursor) : choice(value, in: spec.choices, cursor)
                        }
                    } else {
                        let start = cursor.i
                        cursor.skipValue()
                        if spec.kind == .age {
                            values[wanted] = age(JSONCursor.Span(start: start, end: cursor.i, escaped: false), cursor)
                        }
                    }
                case .choices:
                    guard cursor.take(UInt8(ascii: "[")) else {
                        cursor.skipValue()
                        break
                    }
                    while true {
                        cursor.skipSpace()
                        guard cursor.more else { return }
                        if cursor.take(UInt8(ascii: "]")) { break }
                        if cursor.take(UInt8(ascii: ",")) { continue }
                        if cursor.peek == UInt8(ascii: "\"") {
                            guard let value = cursor.string() else { return }
                            if !value.escaped {
                                let index = choice(value, in: spec.choices, cursor)
                                if index >= 0 { lists[wanted].append(index) }
                            }
                        } else {
                            cursor.skipValue()
                        }
                    }
                }
            } else {
                cursor.skipValue()
            }
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: ",")) else { return }
        }
    }

    private func index(ofKey key: JSONCursor.Span, in cursor: JSONCursor) -> Int {
        for index in keys.indices where cursor.equals(key, keys[index].name) { return index }
        return -1
    }

    private func choice(_ value: JSONCursor.Span, in choices: [[UInt8]], _ cursor: JSONCursor) -> Int32 {
        for index in choices.indices where cursor.equals(value, choices[index]) { return Int32(index) }
        return -1
    }

    private func age(_ value: JSONCursor.Span, _ cursor: JSONCursor) -> Int32 {
        var end = value.end
        while end > value.start, cursor.base[end - 1] == 0x20 || cursor.base[end - 1] == 0x0A { end -= 1 }
        var years = 0
        var position = value.start
        while position < end, position - value.start < 4, cursor.base[position] >= 48, cursor.base[position] <= 57 {
            years = years * 10 + Int(cursor.base[position]) - 48
            position += 1
        }
        if position > value.start && position == end {
            return years <= AgeValue.maximumYears ? bandOfYears[years] : -1
        }
        let span = JSONCursor.Span(start: value.start, end: end, escaped: false)
        for index in paperBands.indices where cursor.equals(span, paperBands[index]) { return bandOfPaperBand[index] }
        return -1
    }
}

/// A position in JSON bytes. A struct with mutating methods, so that every access is checked at compile time
/// (closures capturing a position would be checked at run time, on every byte).
private struct JSONCursor {
    /// A string's content (between its quotes), or a bare value's bytes.
    struct Span {
        let start: Int
        let end: Int
        let escaped: Bool
    }

    let base: UnsafePointer<UInt8>
    let end: Int
    var i = 0

    init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    var more: Bool { i < end }
    var peek: UInt8 { base[i] }

    mutating func skipSpace() {
        while i < end {
            let c = base[i]
            guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return }
            i += 1
        }
    }

    /// Consumes `byte` if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard i < end, base[i] == byte else { return false }
        i += 1
        return true
    }

    /// At a `"`: the string's content; afterwards `i` is past the closing quote.
    mutating func string() -> Span? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        var escaped = false
        while i < end {
            let c = base[i]
            if c == UInt8(ascii: "\\") {
                escaped = true
                i += 2
                continue
            }
            i += 1
            if c == UInt8(ascii: "\"") { return Span(start: start, end: i - 1, escaped: escaped) }
        }
        return nil
    }

    /// Skips one value of any kind (nested objects and arrays included), stopping before a `,` or the
    /// closing bracket of the enclosing object.
    mutating func skipValue() {
        var depth = 0
        while i < end {
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                if string() == nil { return }
                if depth == 0 { return }
                continue
            }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                if depth == 0 { return }
                depth -= 1
                if depth == 0 {
                    i += 1
                    return
                }
            } else if depth == 0 && c == UInt8(ascii: ",") {
                return
            }
            i += 1
        }
    }

    /// Whether the span holds exactly `name`. A byte loop: names are short, and most differ in length or in
    /// their first byte, which a call to `memcmp` would cost more to find out.
    @inline(__always) func equals(_ span: Span, _ name: [UInt8]) -> Bool {
        let count = span.end - span.start
        guard count == name.count else { return false }
        return name.withUnsafeBufferPointer { bytes in
            var offset = 0
            while offset < count {
                if base[span.start + offset] != bytes[offset] { return false }
                offset += 1
            }
            return true
        }
    }
}
