/// The character encoding a CSV file was read in, as reported by ``CSVReader/encoding``.
///
/// Only what spreadsheets really write: UTF-8 (with or without a byte-order mark), Windows-1252
/// (Excel's "CSV (Comma delimited)" on Western-European Windows), and UTF-16 / UTF-32 with a
/// byte-order mark (Excel's "Unicode Text", LibreOffice's "Unicode"). Every encoding is turned into
/// UTF-8 before parsing, so a record's fields and raw text are ordinary Swift strings.
public enum CSVEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// UTF-8. Also reported for a file that has only ASCII bytes.
    case utf8 = "UTF-8"
    /// Windows-1252 (a superset of ISO 8859-1). The five bytes it leaves undefined (0x81, 0x8D, 0x8F,
    /// 0x90, 0x9D) are read as the C1 control characters of the same value, as web browsers do.
    case windows1252 = "Windows-1252"
    /// UTF-16, little-endian (byte-order mark FF FE).
    case utf16LittleEndian = "UTF-16LE"
    /// UTF-16, big-endian (byte-order mark FE FF).
    case utf16BigEndian = "UTF-16BE"
    /// UTF-32, little-endian (byte-order mark FF FE 00 00).
    case utf32LittleEndian = "UTF-32LE"
    /// UTF-32, big-endian (byte-order mark 00 00 FE FF).
    case utf32BigEndian = "UTF-32BE"

    /// The usual name, e.g. `UTF-8`, `Windows-1252`, `UTF-16LE`.
    public var description: String { rawValue }

    /// The byte-order mark of this encoding; empty for Windows-1252, which has none.
    public var byteOrderMark: [UInt8] {
        switch self {
        case .utf8: [0xEF, 0xBB, 0xBF]
        case .windows1252: []
        case .utf16LittleEndian: [0xFF, 0xFE]
        case .utf16BigEndian: [0xFE, 0xFF]
        case .utf32LittleEndian: [0xFF, 0xFE, 0x00, 0x00]
        case .utf32BigEndian: [0x00, 0x00, 0xFE, 0xFF]
        }
    }

    /// The encoding announced by a byte-order mark at the start of `prefix`, with the mark's length.
    ///
    /// UTF-32LE is tested before UTF-16LE because its mark begins with UTF-16LE's.
    static func fromByteOrderMark(_ prefix: some Collection<UInt8>) -> (CSVEncoding, Int)? {
        for encoding in [CSVEncoding.utf32LittleEndian, .utf32BigEndian, .utf8, .utf16LittleEndian, .utf16BigEndian]
        where prefix.starts(with: encoding.byteOrderMark) {
            return (encoding, encoding.byteOrderMark.count)
        }
        return nil
    }
}
