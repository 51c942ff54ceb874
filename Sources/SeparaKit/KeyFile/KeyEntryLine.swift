import Foundation

/// Writes and reads one person's JSON line of the key file without Foundation's JSON coders.
///
/// Hand-written because `JSONEncoder`/`JSONDecoder`, called once per line, took most of the time of
/// unlocking, merging and re-encrypting a key file of 100,000 people (bench/keyfile.sh, perf): the line
/// format is fixed (five keys in sorted order, strings only), so a byte builder and a parser that accepts
/// exactly that layout do the same work several times faster. Both give up (return `nil`) on anything
/// outside the common case — an escape other than `\"` `\\` `\/`, a control character, a field name that
/// is not lowercase `a`–`z` and `_`, a hand-edited line with spaces or keys in another order — and the
/// caller then uses the Foundation coder, so the bytes written and the lines accepted stay exactly those of
/// `JSONEncoder` (`.sortedKeys`, `.withoutEscapingSlashes`) and `JSONDecoder`.
enum KeyEntryLine {
    // MARK: Writing

    /// Appends `entry` as `JSONEncoder` with sorted keys and unescaped slashes would write it, without the
    /// line feed; returns false (and appends nothing) when the entry is outside the fast path.
    static func append(_ entry: KeyEntry, to out: inout [UInt8]) -> Bool {
        guard isPlain(entry.addedAt), isPlain(entry.code), isPlain(entry.template) else { return false }
        for (name, value) in entry.fields where !isFieldName(name) || !isPlain(value) { return false }
        for event in entry.history
        where !isPlain(event.at) || !isPlain(event.from) || !isPlain(event.reason) || !isPlain(event.to) {
            return false
        }
        out.append(contentsOf: #"{"added_at":""#.utf8)
        out.append(contentsOf: entry.addedAt.utf8)
        out.append(contentsOf: #"","code":""#.utf8)
        out.append(contentsOf: entry.code.utf8)
        out.append(contentsOf: #"","fields":{"#.utf8)
        // Field names are lowercase ASCII letters and `_` here, so byte order is JSONEncoder's sorted order.
        var first = true
        for name in entry.fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: #"":""#.utf8)
            out.append(contentsOf: entry.fields[name]!.utf8)
            out.append(UInt8(ascii: "\""))
        }
        out.append(contentsOf: #"},"history":["#.utf8)
        for (index, event) in entry.history.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"at":""#.utf8)
            out.append(contentsOf: event.at.utf8)
            out.append(contentsOf: #"","from":""#.utf8)
            out.append(contentsOf: event.from.utf8)
            out.append(contentsOf: #"","reason":""#.utf8)
            out.append(contentsOf: event.reason.utf8)
            out.append(contentsOf: #"","to":""#.utf8)
            out.append(contentsOf: event.to.utf8)
            out.append(contentsOf: #""}"#.utf8)
        }
        out.append(contentsOf: #"],"template":""#.utf8)
        out.append(contentsOf: entry.template.utf8)
        out.append(contentsOf: #""}"#.utf8)
        return true
    }

    /// A string JSONEncoder writes as it is: no quote, backslash or control character.
    private static func isPlain(_ text: String) -> Bool {
        !text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }

    private static func isFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == 0x5F }
    }

    // MARK: Reading

    /// Parses a line in exactly the layout ``append(_:to:)`` writes (escapes `\"` `\\` `\/` allowed in
    /// strings); `nil` for anything else, which the caller then hands to `JSONDecoder`.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> KeyEntry? {
        var parser = Parser(bytes: line)
        return parser.entry()
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            let start = text.utf8Start
            for offset in 0..<count where bytes[position + offset] != start[offset] { return false }
            position += count
            return true
        }

        mutating func byte(_ value: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == value else { return false }
            position += 1
            return true
        }

        /// A JSON string after its opening quote, through the closing quote.
        mutating func string() -> String? {
            let start = position
            var escaped = false
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") { break }
                if byte < 0x20 { return nil }
                if byte == UInt8(ascii: "\\") {
                    guard position + 1 < bytes.count else { return nil }
                    let next = bytes[position + 1]
                    guard next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") || next == UInt8(ascii: "/")
                    else { return nil }
                    escaped = true
                    position += 2
                    continue
                }
                position += 1
            }
            guard position < bytes.count else { return nil }
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
            position += 1
            if !escaped { return String(validating: raw, as: UTF8.self) }
            var unescaped: [UInt8] = []
            unescaped.reserveCapacity(raw.count)
            var index = 0
            while index < raw.count {
                if raw[index] == UInt8(ascii: "\\") { index += 1 }
                unescaped.append(raw[index])
                index += 1
            }
            defer { unescaped.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
            return String(validating: unescaped, as: UTF8.self)
        }

        mutating func quoted() -> String? { byte(UInt8(ascii: "\"")) ? string() : nil }

        mutating func entry() -> KeyEntry? {
            guard literal(#"{"added_at":"#), let addedAt = quoted(),
                literal(#","code":"#), let code = quoted(),
                literal(#","fields":{"#)
            else { return nil }
            var fields: [String: String] = [:]
            if !byte(UInt8(ascii: "}")) {
                repeat {
                    guard let name = quoted(), byte(UInt8(ascii: ":")), let value = quoted(),
                        fields.updateValue(value, forKey: name) == nil
                    else { return nil }
                } while byte(UInt8(ascii: ","))
                guard byte(UInt8(ascii: "}")) else { return nil }
            }
            guard literal(#","history":["#) else { return nil }
            var history: [KeyHistoryEvent] = []
            if !byte(UInt8(ascii: "]")) {
                repeat {
                    guard literal(#"{"at":"#), let at = quoted(),
                        literal(#","from":"#), let from = quoted(),
                        literal(#","reason":"#), let reason = quoted(),
                        literal(#","to":"#), let to = quoted(),
                        byte(UInt8(ascii: "}"))
                    else { return nil }
                    history.append(KeyHistoryEvent(from: from, to: to, reason: reason, at: at))
                } while byte(UInt8(ascii: ","))
                guard byte(UInt8(ascii: "]")) else { return nil }
            }
            guard literal(#","template":"#), let template = quoted(), byte(UInt8(ascii: "}")),
                position == bytes.count
            else { return nil }
            return KeyEntry(code: code, template: template, fields: fields, addedAt: addedAt, history: history)
        }
    }
}
