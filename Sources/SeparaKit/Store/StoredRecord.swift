import Foundation

// The stored record: one row of the `record` table, and the one encoding of its fields (canonical JSON: keys
// sorted, no spaces, empty fields left out), written by ingest and read by reports, rejoin, purge and reissue.

/// One record of the store: a sensitive sheet's answers for one code, template and visit date. Never identity.
public struct StoredRecord: Hashable, Sendable {
    /// The key: canonical code, template id, visit date (`YYYY-MM-DD`).
    public var code: String
    public var template: TemplateID
    public var visitDate: String
    public var templateVersion: String
    /// The answers by field name.
    public var fields: [String: StoredValue]
    /// The import batch that stored it (``ImportBatch``), the line of its source file, and when.
    public var importID: String
    public var sourceLine: Int
    public var importedAt: String

    public init(
        code: String, template: TemplateID, visitDate: String, templateVersion: String,
        fields: [String: StoredValue], importID: String = "", sourceLine: Int = 0, importedAt: String = ""
    ) {
        self.code = code
        self.template = template
        self.visitDate = visitDate
        self.templateVersion = templateVersion
        self.fields = fields
        self.importID = importID
        self.sourceLine = sourceLine
        self.importedAt = importedAt
    }

    /// The fields as the store keeps them (``RecordJSON``).
    public var fieldsJSON: String {
        var builder = RecordJSON()
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) { builder.add(key: key, value) }
        return builder.finish()
    }

    /// Reads fields as the store keeps them; nil when the text is not such a JSON object (a damaged record).
    public static func fields(fromJSON text: String) -> [String: StoredValue]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
            let dictionary = object as? [String: Any]
        else { return nil }
        var fields: [String: StoredValue] = [:]
        for (key, value) in dictionary {
            switch value {
            case let text as String: fields[key] = .text(text)
            case let list as [Any]:
                guard let items = list as? [String] else { return nil }
                fields[key] = .list(items)
            case let number as NSNumber: fields[key] = .number(number.stringValue)
            default: return nil
            }
        }
        return fields
    }
}

/// A record's key: what identifies it in the store.
public struct RecordKey: Hashable, Sendable {
    public var code: String
    public var template: TemplateID
    public var visitDate: String

    public init(code: String, template: TemplateID, visitDate: String) {
        self.code = code
        self.template = template
        self.visitDate = visitDate
    }
}

/// A value as the store keeps it in a record's fields.
public enum StoredValue: Hashable, Sendable {
    /// A JSON string: a choice name, an ISO date, an age (`34` or `0-4`), free text.
    case text(String)
    /// A JSON number, already in canonical form.
    case number(String)
    /// A JSON array of choice names, in the choice list's order.
    case list([String])
}

extension StoredValue {
    /// The value as one cell of a table: a list's items separated by spaces.
    public var cellText: String {
        switch self {
        case .text(let text): return text
        case .number(let number): return number
        case .list(let items): return items.joined(separator: " ")
        }
    }
}

/// Builds a record's JSON text as bytes: keys added in sorted order, no spaces, so that equal records have
/// equal text.
struct RecordJSON {
    private var bytes: [UInt8]

    init() {
        bytes = [UInt8(ascii: "{")]
        bytes.reserveCapacity(512)
    }

    mutating func add(key: String, _ value: StoredValue) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        Self.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.append(value, to: &bytes)
    }

    mutating func finish() -> String {
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as JSON text.
    static func append(_ value: StoredValue, to bytes: inout [UInt8]) {
        switch value {
        case .text(let text): appendString(text, to: &bytes)
        case .number(let number): bytes.append(contentsOf: number.utf8)
        case .list(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(item, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }

    /// Appends `text` as a JSON string, quoted and escaped.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text.utf8)  // the common case: nothing to escape
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: Array("\\n".utf8))
            case 0x0D: bytes.append(contentsOf: Array("\\r".utf8))
            case 0x09: bytes.append(contentsOf: Array("\\t".utf8))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
