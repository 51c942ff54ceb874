/// Where a CSV problem is: the file, the record's lines and the field, plus the record's raw text for a
/// rejects file.
///
/// The description names only the place (`sheets.csv:17: column 3`); ``raw`` is never shown by
/// `description`, `debugDescription` or `dump`.
public struct CSVErrorContext: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The name the reader was given for the input (by default the file's last path component).
    public var file: String
    /// The physical line (1-based) on which the failing record starts.
    public var line: Int
    /// The physical line on which the failing record ends (for an unclosed quote: the last line of the
    /// file).
    public var endLine: Int
    /// The 1-based index of the field where the problem is (the spreadsheet column number), when the
    /// problem belongs to one field.
    public var column: Int?
    /// The failing record's text, as ``CSVRecord/raw``, so that it can go to a rejects file unchanged;
    /// nil when the record was longer than ``CSVReadOptions/maxRecordBytes``.
    public var raw: String?

    public init(file: String, line: Int, endLine: Int, column: Int?, raw: String?) {
        self.file = file
        self.line = line
        self.endLine = endLine
        self.column = column
        self.raw = raw
    }

    /// `file:line` or `file:line: column N`.
    public var description: String {
        var text = "\(file):\(line)"
        if let column { text += ": column \(column)" }
        return text
    }

    public var debugDescription: String { "CSVErrorContext(\(description), lines \(line)–\(endLine))" }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "file": file, "line": line, "endLine": endLine, "column": column as Any,
                "rawKept": raw != nil,
            ])
    }
}

/// Why a CSV file, or one of its records, could not be read.
///
/// Record errors (all but ``cannotOpen(file:reason:)``, ``readFailed(file:reason:)`` and
/// ``unclosedQuote(_:openedOnLine:)``) leave the reader at the next record: call
/// ``CSVReader/next()`` again to go on, so that every record ends somewhere (the store or a rejects
/// file). After the others, `next()` returns nil.
///
/// Messages name the file, line and column and say what to do; they never contain a value from the file.
public enum CSVError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The file could not be opened; `reason` is the system's (e.g. "No such file or directory").
    case cannotOpen(file: String, reason: String)
    /// Reading failed part-way (an I/O error); `reason` is the system's.
    case readFailed(file: String, reason: String)
    /// A quoted field is never closed: everything from its opening quote (on `openedOnLine`) to the end
    /// of the file would be one field. Reported once; the reader stops.
    case unclosedQuote(CSVErrorContext, openedOnLine: Int)
    /// ``CSVReadOptions/Quoting/strict`` only: a double quote inside a field that does not start with
    /// one (`5'3"`). The field should have been quoted and the quote doubled (`"5'3"""`).
    case quoteInUnquotedField(CSVErrorContext)
    /// ``CSVReadOptions/Quoting/strict`` only: something other than a separator or a line break follows
    /// the quote that closes a field (`"abc"d` or `"abc" `).
    case textAfterClosingQuote(CSVErrorContext)
    /// A NUL byte (or NUL character) in the record: the file is binary, or UTF-16 without a byte-order mark.
    case nulByte(CSVErrorContext)
    /// Bytes that are not valid in `encoding` (UTF-8 not well formed, or an unpaired UTF-16 surrogate,
    /// or an odd byte at the end of a UTF-16 file).
    case invalidBytes(CSVErrorContext, encoding: CSVEncoding)
    /// A field longer than `limit` bytes (``CSVReadOptions/maxFieldBytes``); its content was not kept.
    case fieldTooLarge(CSVErrorContext, limit: Int)
    /// A record longer than `limit` bytes (``CSVReadOptions/maxRecordBytes``); its raw text was not kept.
    case recordTooLarge(CSVErrorContext, limit: Int)
    /// A record with more than `limit` fields (``CSVReadOptions/maxFields``).
    case tooManyFields(CSVErrorContext, limit: Int)
    /// A record with a different number of fields than ``CSVReadOptions/fieldCount`` asks for. It was read
    /// cleanly otherwise: `fields` holds its fields so that the caller may still accept it (for
    /// instance a short row padded with empty fields).
    case fieldCountMismatch(CSVErrorContext, expected: Int, fields: [String])

    /// The location, for record errors; nil for ``cannotOpen(file:reason:)`` and ``readFailed(file:reason:)``.
    public var context: CSVErrorContext? {
        switch self {
        case .cannotOpen, .readFailed: nil
        case .unclosedQuote(let context, _), .quoteInUnquotedField(let context), .textAfterClosingQuote(let context),
            .nulByte(let context), .invalidBytes(let context, _), .fieldTooLarge(let context, _),
            .recordTooLarge(let context, _), .tooManyFields(let context, _),
            .fieldCountMismatch(let context, _, _):
            context
        }
    }

    /// Whether the reader can go on with the next record after this error.
    public var isRecoverable: Bool {
        switch self {
        case .cannotOpen, .readFailed, .unclosedQuote: false
        default: true
        }
    }

    /// `file:line: column N: problem; what to do`. Never a value from the file.
    public var description: String {
        switch self {
        case .cannotOpen(let file, let reason):
            return "\(file): cannot open: \(reason)"
        case .readFailed(let file, let reason):
            return "\(file): reading failed: \(reason); copy the file to local storage and try again"
        case .unclosedQuote(let context, let openedOnLine):
            let opened = openedOnLine == context.line ? "" : " (opened on line \(openedOnLine))"
            return "\(context): a quoted field\(opened) is never closed, so lines \(context.line)–"
                + "\(context.endLine) would be one field; find the missing closing quote (\") or re-save the "
                + "file from the spreadsheet"
        case .quoteInUnquotedField(let context):
            return "\(context): double quote inside a field that is not quoted; quote the whole field and "
                + "double the quote (\"\"), or re-save the file from the spreadsheet"
        case .textAfterClosingQuote(let context):
            return "\(context): text after the quote that closes the field; a quote inside a quoted field "
                + "must be doubled (\"\"), or re-save the file from the spreadsheet"
        case .nulByte(let context):
            return "\(context): NUL byte; the file is not text, or is UTF-16 without a byte-order mark: "
                + "save it as \"CSV UTF-8\""
        case .invalidBytes(let context, let encoding):
            return "\(context): bytes that are not valid \(encoding); the file mixes encodings: "
                + "save it again as \"CSV UTF-8\""
        case .fieldTooLarge(let context, let limit):
            return "\(context): field longer than \(Self.bytes(limit)); check for a missing closing quote"
        case .recordTooLarge(let context, let limit):
            return "\(context): record longer than \(Self.bytes(limit)), not copied; check for a missing "
                + "closing quote"
        case .tooManyFields(let context, let limit):
            return "\(context): more than \(limit) fields; check the separator"
        case .fieldCountMismatch(let context, let expected, let fields):
            let found = fields.count
            return "\(context): \(found) field\(found == 1 ? "" : "s") where \(expected) are expected; "
                + "check for a missing or extra separator"
        }
    }

    public var debugDescription: String { "CSVError(\(description))" }

    /// Reflection (`dump`, debuggers) shows the message only, never the fields or raw text carried.
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }

    /// `1 MiB`, `512 KiB` or `300 bytes`.
    static func bytes(_ count: Int) -> String {
        if count >= 1 << 20, count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count >= 1 << 10, count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return "\(count) bytes"
    }
}
