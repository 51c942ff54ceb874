/// How a ``CSVWriter`` writes.
public struct CSVWriteOptions: Sendable, Hashable {
    /// The line break after each record.
    public enum LineEnding: String, Sendable, Hashable {
        /// `\r\n`, as RFC 4180 asks and Excel writes.
        case crlf = "\r\n"
        /// `\n`.
        case lf = "\n"
    }

    /// The separator between fields; default comma.
    public var separator: CSVSeparator
    /// The line ending; default CRLF.
    public var lineEnding: LineEnding
    /// Put an apostrophe before a cell that a spreadsheet would run as a formula: one that starts with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return (the OWASP rule against CSV injection). Off by
    /// default, because it changes values (`-3` becomes `'-3`): turn it on for files meant to be opened
    /// in a spreadsheet, leave it off for files that must read back exactly (a rejects file).
    public var neutralizesFormulas: Bool
    /// Start the file with a UTF-8 byte-order mark (``CSVWriter/preamble``), so that Excel opens it as
    /// UTF-8 rather than in the system's code page; default off.
    public var byteOrderMark: Bool

    public init(
        separator: CSVSeparator = .comma, lineEnding: LineEnding = .crlf, neutralizesFormulas: Bool = false,
        byteOrderMark: Bool = false
    ) {
        self.separator = separator
        self.lineEnding = lineEnding
        self.neutralizesFormulas = neutralizesFormulas
        self.byteOrderMark = byteOrderMark
    }
}

/// Encodes records as RFC 4180 CSV text in UTF-8: fields separated by the separator, a field quoted only
/// when it holds the separator, a double quote, a CR or a LF (quotes inside doubled) or starts with
/// U+FEFF, and each record ended by the line ending.
///
/// A record of one empty field is written as `""`, so that it does not read back as an empty line.
/// Whatever ``CSVReader`` reads from this output (same separator) gives back the same fields, unless
/// ``CSVWriteOptions/neutralizesFormulas`` changed them.
///
/// The writer only encodes; the caller writes the bytes where they belong, e.g. through
/// ``AtomicFileWriter`` (``AtomicFileWriter/writeCSVRecord(_:with:)``) for a file that appears whole or
/// not at all:
///
/// ```swift
/// let writer = CSVWriter(options: .init(neutralizesFormulas: true))
/// var output = writer.preamble
/// writer.append(["code", "age"], to: &output)
/// ```
public struct CSVWriter: Sendable {
    /// The options this writer encodes with.
    public let options: CSVWriteOptions

    public init(options: CSVWriteOptions = .init()) {
        self.options = options
    }

    /// What goes before the first record: the UTF-8 byte-order mark when asked for, else nothing.
    public var preamble: [UInt8] { options.byteOrderMark ? [0xEF, 0xBB, 0xBF] : [] }

    /// Appends one record, line ending included, to `output`.
    public func append(_ fields: some Sequence<String>, to output: inout [UInt8]) {
        let separator = options.separator.byte
        var first = true
        var onlyEmptyField = true
        for field in fields {
            if !first {
                output.append(separator)
                onlyEmptyField = false
            }
            first = false
            var field = field
            if !field.isEmpty { onlyEmptyField = false }
            field.withUTF8 { appendField($0, to: &output, separator: separator) }
        }
        if !first, onlyEmptyField { output.append(contentsOf: [0x22, 0x22]) }
        output.append(contentsOf: options.lineEnding.rawValue.utf8)
    }

    /// One record, line ending included, as a string.
    public func line(_ fields: some Sequence<String>) -> String {
        var output: [UInt8] = []
        append(fields, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether a cell starting with this byte would run as a formula in a spreadsheet (OWASP).
    static func startsFormula(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
    }

    private func appendField(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], separator: UInt8) {
        let apostrophe = options.neutralizesFormulas && bytes.first.map(Self.startsFormula) == true
        // A leading U+FEFF is quoted too, or it would read back as a byte-order mark at the start of a file.
        let needsQuotes =
            bytes.contains { (byte: UInt8) -> Bool in
                byte == separator || byte == 0x22 || byte == 0x0A || byte == 0x0D
            } || bytes.starts(with: [0xEF, 0xBB, 0xBF])
        if needsQuotes { output.append(0x22) }
        if apostrophe { output.append(UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in bytes {
                output.append(byte)
                if byte == 0x22 { output.append(0x22) }
            }
            output.append(0x22)
        } else {
            output.append(contentsOf: bytes)
        }
    }
}
