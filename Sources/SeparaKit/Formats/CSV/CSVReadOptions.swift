/// A field separator: the three that spreadsheets write.
///
/// Excel and LibreOffice write a comma, or a semicolon where the comma is the decimal mark (most of
/// continental Europe), and a tab for "Unicode Text" / "Text (Tab delimited)".
public enum CSVSeparator: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case comma = 0x2C
    case semicolon = 0x3B
    case tab = 0x09

    /// The separator as a byte (it is ASCII, so it is the same byte in every encoding after decoding).
    public var byte: UInt8 { rawValue }

    /// `comma`, `semicolon` or `tab`, for a summary line.
    public var description: String {
        switch self {
        case .comma: "comma"
        case .semicolon: "semicolon"
        case .tab: "tab"
        }
    }
}

/// How a ``CSVReader`` reads: separator, encoding, strictness and limits.
///
/// The defaults suit a transcription made in Excel or LibreOffice and imported by `separa ingest`:
/// sniffed separator, detected encoding, RFC 4180 quoting, empty lines skipped, every record expected
/// to have as many fields as the first (the header), and a 1 MiB limit per field.
public struct CSVReadOptions: Sendable, Hashable {
    /// Which separator to use.
    public enum Separator: Sendable, Hashable {
        /// Choose among comma, semicolon and tab by looking at the start of the file.
        ///
        /// The rule: take the first 20 records that are in the first 256 KiB (empty and comment
        /// lines left out), count each candidate outside double quotes in each record, and choose
        /// the candidate that appears at least once and the same number of times in every one of
        /// those records; if several do, the one that appears most often; on a tie, comma before
        /// semicolon before tab. If no candidate is consistent, the one that appears most often in
        /// the first record (the header) wins; if none appears at all (a one-column file), comma.
        case sniff
        /// Always this separator.
        case fixed(CSVSeparator)
    }

    /// Which encoding to decode the bytes with.
    public enum Encoding: Sendable, Hashable {
        /// A byte-order mark decides (UTF-8, UTF-16LE/BE, UTF-32LE/BE). Without one, the 64 KiB that
        /// start at the first non-ASCII byte decide: UTF-8 if well-formed UTF-8 sequences outnumber
        /// ill-formed ones there, else Windows-1252 (whose accented letters are ill-formed UTF-8). Bytes
        /// that are not valid UTF-8 later in a file read as UTF-8 make their record fail with
        /// ``CSVError/invalidBytes(_:encoding:)``, so a file of mixed encodings is never turned into
        /// wrong letters silently.
        case detect
        /// Always this encoding; a byte-order mark of this encoding at the start is skipped.
        case fixed(CSVEncoding)
    }

    /// What to do with a double quote that RFC 4180 does not allow where it stands.
    public enum Quoting: Sendable, Hashable {
        /// RFC 4180: a quote inside an unquoted field (`ab"c`) fails the record with
        /// ``CSVError/quoteInUnquotedField(_:)``, and text after a closing quote (`"ab"c`) fails it with
        /// ``CSVError/textAfterClosingQuote(_:)``. The record still ends where ``lenient`` would end it,
        /// so the next record is read normally. Excel and LibreOffice never write such files; a
        /// hand-edited file that does is better sent back than guessed at.
        case strict
        /// As Excel reads them: a quote inside an unquoted field is an ordinary character, and text after
        /// a closing quote is appended to the field as it stands (`"ab"c` reads `abc`, `"D" ` reads `D `).
        case lenient
    }

    /// What to do with an empty line (no character at all between two line breaks, outside quotes).
    public enum EmptyLines: Sendable, Hashable {
        /// Skip it (it still counts for line numbers).
        case skip
        /// Return it as a record with one empty field, as RFC 4180 reads it.
        case keep
    }

    /// Whether a line that starts with `#` is a comment (RFC 4180-bis §3.11). Off by default: in a
    /// transcription `#` may well start a real value.
    public enum Comments: Sendable, Hashable {
        /// `#` is an ordinary character.
        case none
        /// A record that starts with `#` runs to the end of its line and is skipped, quotes and all.
        case skip
        /// A record that starts with `#` is returned as one field holding the rest of the line; it is
        /// left out of the field-count rule.
        case read
    }

    /// How many fields each record must have.
    public enum FieldCount: Sendable, Hashable {
        /// Any number.
        case any
        /// As many as the first record (the header, if there is one).
        case sameAsFirstRecord
        /// Exactly this many.
        case exactly(Int)
    }

    /// Separator choice; default ``Separator/sniff``.
    public var separator: Separator
    /// Encoding choice; default ``Encoding/detect``.
    public var encoding: Encoding
    /// Quote handling; default ``Quoting/strict``.
    public var quoting: Quoting
    /// Empty-line handling; default ``EmptyLines/skip``.
    public var emptyLines: EmptyLines
    /// Comment handling; default ``Comments/none``.
    public var comments: Comments
    /// Field-count rule; default ``FieldCount/sameAsFirstRecord``. A record that breaks it fails with
    /// ``CSVError/fieldCountMismatch(_:expected:fields:)``, which carries its fields so that the caller
    /// can still accept it.
    public var fieldCount: FieldCount
    /// The largest field, in bytes of UTF-8, before the record fails with
    /// ``CSVError/fieldTooLarge(_:limit:)``; default 1 MiB.
    public var maxFieldBytes: Int
    /// The largest record, in bytes of UTF-8, whose raw text is kept; a longer record fails with
    /// ``CSVError/recordTooLarge(_:limit:)`` and its raw text is not kept. Default 8 MiB; never less
    /// than ``maxFieldBytes``. With the field limit, it bounds the reader's memory.
    public var maxRecordBytes: Int
    /// The most fields in one record before it fails with ``CSVError/tooManyFields(_:limit:)``;
    /// default 16,384 (Excel's column limit).
    public var maxFields: Int
    /// Whether a record read cleanly keeps its raw text in ``CSVRecord/raw``; default true. A caller that
    /// never looks at the raw text of good records (ingest keeps the cells of a rejected row) sets it to
    /// false and saves decoding every record twice: ``CSVRecord/raw`` is then empty. A record that fails
    /// still carries its raw text in ``CSVError/context``.
    public var keepsRawText: Bool

    public init(
        separator: Separator = .sniff,
        encoding: Encoding = .detect,
        quoting: Quoting = .strict,
        emptyLines: EmptyLines = .skip,
        comments: Comments = .none,
        fieldCount: FieldCount = .sameAsFirstRecord,
        maxFieldBytes: Int = 1 << 20,
        maxRecordBytes: Int = 8 << 20,
        maxFields: Int = 16_384,
        keepsRawText: Bool = true
    ) {
        self.separator = separator
        self.encoding = encoding
        self.quoting = quoting
        self.emptyLines = emptyLines
        self.comments = comments
        self.fieldCount = fieldCount
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
        self.keepsRawText = keepsRawText
    }
}
