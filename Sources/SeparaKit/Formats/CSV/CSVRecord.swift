/// One record read by ``CSVReader``: its fields, where it stands in the file, and its original text.
///
/// The fields and the raw text may be sensitive, so a record prints and dumps as
/// `CSVRecord(lines 4–5, 12 fields)` and never shows them: log the location, not the record.
public struct CSVRecord: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The fields, unquoted and unescaped; line breaks inside quoted fields are kept as they were
    /// (`\r\n`, `\n` or `\r`).
    public var fields: [String]
    /// The physical line (1-based) on which the record starts. CR, LF and CRLF each end one line, inside
    /// quotes too; a byte-order mark is not counted.
    public var line: Int
    /// The physical line on which the record ends (greater than ``line`` when a quoted field holds line
    /// breaks).
    public var endLine: Int
    /// The record exactly as it stands in the file, decoded to a string: quotes, separators and inner
    /// line breaks unchanged, without the line break that ends it. This is what a rejects file keeps.
    /// Bytes that could not be decoded (only in a record that failed with
    /// ``CSVError/invalidBytes(_:encoding:)``) show as U+FFFD. Empty when the reader was made with
    /// ``CSVReadOptions/keepsRawText`` false.
    public var raw: String

    public init(fields: [String], line: Int, endLine: Int, raw: String) {
        self.fields = fields
        self.line = line
        self.endLine = endLine
        self.raw = raw
    }

    /// The field at a 0-based index, or nil past the end (a short row).
    public subscript(safe index: Int) -> String? {
        fields.indices.contains(index) ? fields[index] : nil
    }

    /// Location and size only; never a value.
    public var description: String {
        let lines = line == endLine ? "line \(line)" : "lines \(line)–\(endLine)"
        return "CSVRecord(\(lines), \(fields.count) field\(fields.count == 1 ? "" : "s"))"
    }

    public var debugDescription: String { description }

    /// Reflection (`dump`, debuggers' summaries) shows the location and the field count, never a value.
    public var customMirror: Mirror {
        Mirror(self, children: ["line": line, "endLine": endLine, "fieldCount": fields.count])
    }
}
