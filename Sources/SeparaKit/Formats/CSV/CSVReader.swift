import Foundation

/// Reads a CSV file record by record, in constant memory, as Excel and LibreOffice write it.
///
/// RFC 4180 (quoted fields with separators, line breaks and doubled quotes; CRLF, LF or CR line ends),
/// plus what spreadsheets really write: UTF-8 with or without a byte-order mark, UTF-16 and UTF-32 with
/// one, Windows-1252, and comma, semicolon or tab separators (see ``CSVReadOptions`` for how the
/// encoding and the separator are chosen, and ``encoding`` / ``separator`` for what was chosen).
///
/// The input is read in blocks into a 512 KiB buffer (the first 256 KiB at once, to sniff the
/// separator); memory stays bounded by the largest record (at most ``CSVReadOptions/maxRecordBytes``)
/// whatever the size of the file. Where the blocks end never changes what is read.
///
/// Lines are physical lines, 1-based: CR, LF and CRLF each end one, inside quoted fields too, so that
/// `file:line` points where a text editor shows the record. Quotes follow RFC 4180 strictly by default
/// (a misplaced quote fails its record); ``CSVReadOptions/Quoting/lenient`` reads them as Excel does.
///
/// Every record either comes back from ``next()`` or fails with a ``CSVError`` that carries its line,
/// the column and its raw text; after a record error the reader goes on with the next record:
///
/// ```swift
/// let reader = try CSVReader(url: sheets)
/// while let result = reader.nextResult() {
///     switch result {
///     case .success(let record): store(record)
///     case .failure(let error): reject(error.context?.raw, because: error)  // after a fatal one: nil
///     }
/// }
/// summary("read as \(reader.encoding), \(reader.separator)-separated")
/// ```
///
/// A reader is used from one task at a time; it is not `Sendable`.
public final class CSVReader {
    /// The name used in error messages (by default the file's last path component).
    public let name: String
    /// The options the reader was made with.
    public let options: CSVReadOptions
    /// The separator in use: the fixed one, or the one sniffed from the start of the file.
    public private(set) var separator: CSVSeparator
    /// The number of fields every record must have, once known (see ``CSVReadOptions/fieldCount``).
    public private(set) var expectedFieldCount: Int?

    /// The encoding the file is read in. Without a byte-order mark, a file is UTF-8 until its first
    /// non-ASCII byte decides between UTF-8 and Windows-1252, so read this after the last record for a
    /// summary. A pure-ASCII file reports UTF-8.
    public var encoding: CSVEncoding { decoder.encoding }
    /// Whether the file started with a byte-order mark (it is skipped, and is not part of line 1's raw text).
    public var hasByteOrderMark: Bool { decoder.hasByteOrderMark }

    private let source: CSVByteSource
    private let decoder: CSVDecoder
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Valid bytes are `buffer[0..<end]`; the next record starts at `position`.
    private var end = 0
    private var position = 0
    private var inputEnded = false
    /// The physical line of `position`.
    private var line = 1
    /// The previous record ended with CR: a LF right after it belongs to the same line break.
    private var pendingLineFeed = false
    /// Set after a fatal error or the end of the input.
    private var finished = false
    /// Stop tables: nonzero for the bytes that end a scan in each state.
    private let unquotedStops: UnsafeMutablePointer<UInt8>
    private let trailingStops: UnsafeMutablePointer<UInt8>
    private let quotedStops: UnsafeMutablePointer<UInt8>
    /// The same stops as broadcast words, for scanning eight bytes at a time.
    private var unquotedWords = CSVStopWords(0, 0, 0, 0)
    private var trailingWords = CSVStopWords(0, 0, 0, 0)
    private var quotedWords = CSVStopWords(0, 0, 0, 0)
    /// Where a field with doubled quotes is unescaped.
    private var unescaped: [UInt8] = []

    static let minimumFree = 1 << 16
    static let initialCapacity = 1 << 19
    static let sniffWindow = 1 << 18

    /// Opens the file at `url`. `name` is what error messages call it (default: its last path component).
    public convenience init(url: URL, name: String? = nil, options: CSVReadOptions = .init()) throws(CSVError) {
        let name = name ?? url.lastPathComponent
        try self.init(source: CSVByteSource(url: url, name: name), options: options)
    }

    /// Reads from an open file handle (a file, a pipe or standard input) from its current offset. The
    /// handle is not closed.
    public convenience init(fileHandle: FileHandle, name: String, options: CSVReadOptions = .init()) throws(CSVError) {
        try self.init(source: CSVByteSource(descriptor: fileHandle.fileDescriptor, name: name), options: options)
    }

    /// Reads bytes in memory (small inputs and tests).
    public convenience init(bytes: some Sequence<UInt8>, name: String = "input", options: CSVReadOptions = .init())
        throws(CSVError)
    {
        try self.init(source: CSVByteSource(bytes: Array(bytes), name: name), options: options)
    }

    /// Reads `source`; reads the first blocks at once (up to `sniffWindow` bytes) to find the encoding
    /// and sniff the separator. Tests pass a small `sniffWindow` to make every block boundary fall
    /// inside records.
    init(source: CSVByteSource, options: CSVReadOptions, sniffWindow: Int = CSVReader.sniffWindow)
        throws(CSVError)
    {
        self.source = source
        self.name = source.name
        self.options = options
        decoder = try CSVDecoder(source: source, choice: options.encoding)
        capacity = Self.initialCapacity
        buffer = .allocate(capacity: capacity)
        unquotedStops = .allocate(capacity: 256)
        trailingStops = .allocate(capacity: 256)
        quotedStops = .allocate(capacity: 256)
        switch options.separator {
        case .fixed(let separator):
            self.separator = separator
        case .sniff:
            self.separator = .comma  // replaced below, once the first block is in
        }
        while !inputEnded, end < sniffWindow {
            _ = try refill(keepingFrom: 0)
        }
        if case .sniff = options.separator {
            self.separator = CSVSeparatorSniffer.sniff(
                UnsafeBufferPointer(start: buffer, count: min(end, sniffWindow)),
                complete: inputEnded && end <= sniffWindow, comments: options.comments != .none)
        }
        if case .exactly(let count) = options.fieldCount { expectedFieldCount = count }
        for table in [unquotedStops, trailingStops, quotedStops] { table.initialize(repeating: 0, count: 256) }
        for byte in [separator.byte, Byte.cr, Byte.lf, 0] {
            unquotedStops[Int(byte)] = 1
            trailingStops[Int(byte)] = 1
        }
        if options.quoting == .strict { unquotedStops[Int(Byte.quote)] = 1 }
        for byte in [Byte.quote, Byte.cr, Byte.lf, 0] { quotedStops[Int(byte)] = 1 }
        let separatorByte = separator.byte
        unquotedWords = CSVStopWords(
            separatorByte, Byte.cr, Byte.lf, options.quoting == .strict ? Byte.quote : separatorByte)
        trailingWords = CSVStopWords(separatorByte, Byte.cr, Byte.lf, separatorByte)
        quotedWords = CSVStopWords(Byte.quote, Byte.cr, Byte.lf, Byte.quote)
    }

    /// The bytes the reader holds for its buffer now (tests check that it stays bounded).
    var bufferCapacity: Int { capacity }

    deinit {
        buffer.deallocate()
        unquotedStops.deallocate()
        trailingStops.deallocate()
        quotedStops.deallocate()
    }

    /// The next record, or nil at the end of the input (and after a fatal error).
    ///
    /// Throws a ``CSVError`` for a record that cannot be read cleanly; if
    /// ``CSVError/isRecoverable``, the next call goes on with the following record.
    public func next() throws(CSVError) -> CSVRecord? {
        if finished { return nil }
        let parsed: ParsedRecord
        do {
            guard let record = try parseRecord() else {
                finished = true
                source.closeDescriptor()
                return nil
            }
            parsed = record
        } catch {
            finished = true
            throw error
        }
        let rule = options.fieldCount
        if !parsed.isComment, rule != .any, expectedFieldCount == nil { expectedFieldCount = parsed.fieldCount }
        if let problem = parsed.problem {
            if case .unclosedQuote = problem { finished = true }
            throw error(problem, parsed)
        }
        if !parsed.isComment, rule != .any, let expected = expectedFieldCount, parsed.fieldCount != expected {
            let context = CSVErrorContext(
                file: name, line: parsed.line, endLine: parsed.endLine, column: min(parsed.fieldCount, expected) + 1,
                raw: rawText(parsed))
            throw .fieldCountMismatch(context, expected: expected, fields: parsed.fields)
        }
        let raw = options.keepsRawText || parsed.isComment ? rawText(parsed) ?? "" : ""
        return CSVRecord(fields: parsed.fields, line: parsed.line, endLine: parsed.endLine, raw: raw)
    }

    /// ``next()`` as a value: nil at the end, `.failure` for an error (after a fatal one, the next call
    /// returns nil), so that `while let result = reader.nextResult()` visits every record once.
    public func nextResult() -> Result<CSVRecord, CSVError>? {
        do {
            guard let record = try next() else { return nil }
            return .success(record)
        } catch {
            return .failure(error)
        }
    }

    // MARK: - Parsing

    private enum Byte {
        static let lf: UInt8 = 0x0A
        static let cr: UInt8 = 0x0D
        static let quote: UInt8 = 0x22
        static let hash: UInt8 = 0x23
    }

    /// What went wrong in a record (the first problem only).
    private enum Problem {
        case unclosedQuote(openedOnLine: Int, column: Int)
        case quoteInUnquotedField(column: Int)
        case textAfterClosingQuote(column: Int)
        case nulByte(column: Int)
        case invalidBytes(column: Int)
        case fieldTooLarge(column: Int)
        case recordTooLarge
        case tooManyFields
    }

    private struct ParsedRecord {
        var fields: [String]
        var fieldCount: Int
        var line: Int
        var endLine: Int
        var raw: String?
        var problem: Problem?
        var isComment = false
        /// Where the raw text stands in the buffer, when it is kept but not yet decoded (valid until the
        /// next record is parsed): decoded only if the caller needs it.
        var rawStart = 0
        var rawCount = -1
    }

    /// The raw text of the record just parsed: decoded now from the buffer if it was not yet.
    private func rawText(_ parsed: ParsedRecord) -> String? {
        if let raw = parsed.raw { return raw }
        guard parsed.rawCount >= 0 else { return nil }
        return String(
            decoding: UnsafeBufferPointer(start: buffer + parsed.rawStart, count: parsed.rawCount), as: UTF8.self)
    }

    private func error(_ problem: Problem, _ parsed: ParsedRecord) -> CSVError {
        func context(_ column: Int?) -> CSVErrorContext {
            CSVErrorContext(
                file: name, line: parsed.line, endLine: parsed.endLine, column: column, raw: rawText(parsed))
        }
        switch problem {
        case .unclosedQuote(let openedOnLine, let column):
            return .unclosedQuote(context(column), openedOnLine: openedOnLine)
        case .quoteInUnquotedField(let column): return .quoteInUnquotedField(context(column))
        case .textAfterClosingQuote(let column): return .textAfterClosingQuote(context(column))
        case .nulByte(let column): return .nulByte(context(column))
        case .invalidBytes(let column): return .invalidBytes(context(column), encoding: encoding)
        case .fieldTooLarge(let column): return .fieldTooLarge(context(column), limit: options.maxFieldBytes)
        case .recordTooLarge: return .recordTooLarge(context(nil), limit: recordLimit)
        case .tooManyFields: return .tooManyFields(context(options.maxFields + 1), limit: options.maxFields)
        }
    }

    private var recordLimit: Int { max(options.maxRecordBytes, options.maxFieldBytes) }

    private enum Phase {
        /// Before the first byte of a field.
        case fieldStart
        /// Inside a field that did not start with a quote.
        case unquoted
        /// Inside a quoted field.
        case quoted
        /// Just after a quote inside a quoted field: a second quote escapes it, anything else closes the field.
        case quoteInQuoted
        /// After the closing quote, before the separator or line break (only with misplaced quotes).
        case trailing
    }

    /// Parses the next record from the buffer, reading more input as needed. Returns nil at the end of
    /// the input; throws only when reading fails.
    ///
    /// The hot loops work on bytes through local copies of the buffer pointer and positions; each field is
    /// decoded from UTF-8 once, when it ends.
    private func parseRecord() throws(CSVError) -> ParsedRecord? {
        let separator = self.separator.byte
        let strict = options.quoting == .strict
        let maxField = options.maxFieldBytes
        let maxRecord = recordLimit
        let maxFields = options.maxFields
        let unquotedStops = self.unquotedStops
        let trailingStops = self.trailingStops
        let quotedStops = self.quotedStops
        let unquotedWords = self.unquotedWords
        let trailingWords = self.trailingWords
        let quotedWords = self.quotedWords

        var bytes = buffer
        var end = self.end
        var p = position
        var line = self.line
        defer {
            position = p
            self.line = line
        }

        // Find where the record starts: skip the LF of a CRLF, empty lines and comments.
        findStart: while true {
            if p == end {
                let shift = try refill(keepingFrom: p)
                p -= shift
                bytes = buffer
                end = self.end
                if p == end { return nil }
                continue
            }
            let byte = bytes[p]
            if pendingLineFeed {
                pendingLineFeed = false
                if byte == Byte.lf {
                    p += 1
                    continue
                }
            }
            if byte == Byte.cr || byte == Byte.lf {
                p += 1
                pendingLineFeed = byte == Byte.cr
                line += 1
                if options.emptyLines == .keep {
                    return ParsedRecord(fields: [""], fieldCount: 1, line: line - 1, endLine: line - 1, raw: "")
                }
                continue
            }
            if byte == Byte.hash, options.comments != .none {
                let read = options.comments == .read
                var start = p
                var kept = true
                p += 1
                while true {
                    while p < end, bytes[p] != Byte.cr, bytes[p] != Byte.lf { p += 1 }
                    if p < end { break }
                    if kept, p - start > maxRecord { kept = false }
                    let shift = try refill(keepingFrom: read && kept ? start : p)
                    p -= shift
                    start -= shift
                    bytes = buffer
                    end = self.end
                    if p == end { break }
                }
                let lineEnd = p
                let commentLine = line
                if p < end {
                    pendingLineFeed = bytes[p] == Byte.cr
                    p += 1
                    line += 1
                }
                if !read { continue findStart }
                var parsed = ParsedRecord(fields: [], fieldCount: 1, line: commentLine, endLine: commentLine, raw: nil)
                parsed.isComment = true
                if !kept || lineEnd - start > maxRecord {
                    parsed.problem = .recordTooLarge
                } else {
                    parsed.raw = String(
                        decoding: UnsafeBufferPointer(start: bytes + start, count: lineEnd - start), as: UTF8.self)
                    if lineEnd - start - 1 > maxField {
                        parsed.problem = .fieldTooLarge(column: 1)
                    } else if UnsafeBufferPointer(start: bytes + start, count: lineEnd - start).contains(0) {
                        parsed.problem = .nulByte(column: 1)
                    } else if let text = Self.string(bytes + start + 1, count: lineEnd - start - 1) {
                        parsed.fields = [text]
                    } else {
                        parsed.problem = .invalidBytes(column: 1)
                    }
                }
                return parsed
            }
            break
        }

        // The record.
        let startLine = line
        var recordStart = p
        var rawKept = true
        var fields: [String] = []
        fields.reserveCapacity(min(expectedFieldCount ?? 8, 1024))
        var fieldCount = 0
        var problem: Problem?
        var phase = Phase.fieldStart
        var fieldStart = p
        var contentStart = p
        var quoteEnd = p
        var quoteLine = line
        var hasEscapes = false
        var fieldKept = true
        var afterCR = -1  // index just after the last CR inside a quoted field

        /// Ends the current field at `p` and decodes it; quoted fields end at `quoteEnd`.
        func endField(quoted: Bool) {
            fieldCount += 1
            let column = fieldCount
            if fieldCount > maxFields {
                if problem == nil { problem = .tooManyFields }
                return
            }
            guard problem == nil else { return }
            guard fieldKept else {
                problem = .fieldTooLarge(column: column)  // its bytes were dropped while reading
                return
            }
            let start: UnsafePointer<UInt8>
            let count: Int
            if !quoted {
                start = UnsafePointer(bytes + fieldStart)
                count = p - fieldStart
            } else if !hasEscapes, quoteEnd == p - 1 {
                start = UnsafePointer(bytes + contentStart)
                count = quoteEnd - contentStart
            } else {
                unescape(
                    from: bytes + contentStart, count: quoteEnd - contentStart, trailing: bytes + quoteEnd + 1,
                    trailingCount: p - quoteEnd - 1)
                if unescaped.count > maxField {
                    problem = .fieldTooLarge(column: column)
                    return
                }
                if let text = unescaped.withUnsafeBufferPointer({ Self.string($0.baseAddress!, count: $0.count) }) {
                    fields.append(text)
                } else {
                    problem = .invalidBytes(column: column)
                }
                return
            }
            if count > maxField {
                problem = .fieldTooLarge(column: column)
                return
            }
            if let text = Self.string(start, count: count) {
                fields.append(text)
            } else {
                problem = .invalidBytes(column: column)
            }
        }

        /// Builds the record that ends at `recordEnd` on `endLine`.
        func finish(recordEnd: Int, endLine: Int) -> ParsedRecord {
            var rawCount = -1
            if rawKept, recordEnd - recordStart <= maxRecord {
                rawCount = recordEnd - recordStart
            } else if problem == nil {
                problem = .recordTooLarge
            }
            return ParsedRecord(
                fields: problem == nil ? fields : [], fieldCount: fieldCount, line: startLine, endLine: endLine,
                raw: nil, problem: problem, rawStart: recordStart, rawCount: rawCount)
        }

        while true {
            if p == end {
                // Out of bytes: drop what the limits say need not be kept, then read more.
                // (The problems are noted where the field and the record end, as when no refill happens,
                // so that which problem a record reports never depends on where the blocks end.)
                let inField = phase != .fieldStart
                if rawKept, p - recordStart > maxRecord { rawKept = false }
                if inField, fieldKept, p - fieldStart > 2 * maxField + 2 { fieldKept = false }
                let keep = rawKept ? recordStart : (inField && fieldKept ? fieldStart : p)
                let shift = try refill(keepingFrom: keep)
                p -= shift
                recordStart -= shift
                fieldStart -= shift
                contentStart -= shift
                quoteEnd -= shift
                afterCR -= shift
                bytes = buffer
                end = self.end
                if p < end { continue }
                // The end of the input ends the record.
                switch phase {
                case .quoted:
                    var parsed = finish(recordEnd: p, endLine: line)
                    parsed.problem = .unclosedQuote(openedOnLine: quoteLine, column: fieldCount + 1)
                    return parsed
                case .quoteInQuoted:
                    quoteEnd = p - 1
                    endField(quoted: true)
                case .trailing:
                    endField(quoted: true)
                case .fieldStart:
                    fieldStart = p  // an empty last field, after a separator
                    endField(quoted: false)
                case .unquoted:
                    endField(quoted: false)
                }
                return finish(recordEnd: p, endLine: line)
            }

            switch phase {
            case .fieldStart:
                fieldStart = p
                fieldKept = true
                hasEscapes = false
                if bytes[p] == Byte.quote {
                    p += 1
                    contentStart = p
                    quoteLine = line
                    phase = .quoted
                } else {
                    phase = .unquoted
                }

            case .unquoted:
                p = unquotedWords.scan(bytes, from: p, to: end, stops: unquotedStops)
                if p == end { continue }
                let byte = bytes[p]
                if byte == separator {
                    endField(quoted: false)
                    p += 1
                    phase = .fieldStart
                } else if byte == Byte.cr || byte == Byte.lf {
                    endField(quoted: false)
                    let parsed = finish(recordEnd: p, endLine: line)
                    pendingLineFeed = byte == Byte.cr
                    p += 1
                    line += 1
                    return parsed
                } else {
                    if problem == nil {
                        problem =
                            byte == Byte.quote
                            ? .quoteInUnquotedField(column: fieldCount + 1) : .nulByte(column: fieldCount + 1)
                    }
                    p += 1
                }

            case .quoted:
                p = quotedWords.scan(bytes, from: p, to: end, stops: quotedStops)
                if p == end { continue }
                let byte = bytes[p]
                p += 1
                switch byte {
                case Byte.quote:
                    phase = .quoteInQuoted
                case Byte.cr:
                    line += 1
                    afterCR = p
                case Byte.lf:
                    if p - 1 != afterCR { line += 1 }
                default:
                    if problem == nil { problem = .nulByte(column: fieldCount + 1) }
                }

            case .quoteInQuoted:
                let byte = bytes[p]
                if byte == Byte.quote {
                    hasEscapes = true
                    p += 1
                    phase = .quoted
                    continue
                }
                quoteEnd = p - 1
                if byte == separator {
                    endField(quoted: true)
                    p += 1
                    phase = .fieldStart
                } else if byte == Byte.cr || byte == Byte.lf {
                    endField(quoted: true)
                    let parsed = finish(recordEnd: p, endLine: line)
                    pendingLineFeed = byte == Byte.cr
                    p += 1
                    line += 1
                    return parsed
                } else {
                    if strict, problem == nil { problem = .textAfterClosingQuote(column: fieldCount + 1) }
                    phase = .trailing
                }

            case .trailing:
                p = trailingWords.scan(bytes, from: p, to: end, stops: trailingStops)
                if p == end { continue }
                let byte = bytes[p]
                if byte == separator {
                    endField(quoted: true)
                    p += 1
                    phase = .fieldStart
                } else if byte == Byte.cr || byte == Byte.lf {
                    endField(quoted: true)
                    let parsed = finish(recordEnd: p, endLine: line)
                    pendingLineFeed = byte == Byte.cr
                    p += 1
                    line += 1
                    return parsed
                } else {
                    if problem == nil { problem = .nulByte(column: fieldCount + 1) }
                    p += 1
                }
            }
        }
    }

    /// The string of `count` UTF-8 bytes, or nil if they are not well-formed UTF-8.
    @inline(__always)
    static func string(_ start: UnsafePointer<UInt8>, count: Int) -> String? {
        let bytes = UnsafeBufferPointer(start: start, count: count)
        if let first = CSVDecoder.firstNonASCII(start, count: count),
            CSVDecoder.utf8Verdict(start + first, count: count - first, atEnd: true) != .valid
        {
            return nil
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Copies a quoted field's content into `unescaped`, one quote for each doubled quote, followed by the
    /// text after the closing quote (lenient reading of misplaced quotes).
    private func unescape(
        from content: UnsafePointer<UInt8>, count: Int, trailing: UnsafePointer<UInt8>, trailingCount: Int
    ) {
        unescaped.removeAll(keepingCapacity: true)
        var index = 0
        while index < count {
            let byte = content[index]
            unescaped.append(byte)
            index += byte == Byte.quote ? 2 : 1
        }
        if trailingCount > 0 {
            unescaped.append(contentsOf: UnsafeBufferPointer(start: trailing, count: trailingCount))
        }
    }

    // MARK: - Buffer

    /// Moves `buffer[keep..<end]` to the front, makes room, and decodes more input after it. Returns how
    /// far the kept bytes moved (to be subtracted from every index); at the end of the input nothing moves
    /// and `end` does not grow.
    private func refill(keepingFrom keep: Int) throws(CSVError) -> Int {
        if inputEnded { return 0 }
        let kept = end - keep
        if keep > 0, kept > 0 { memmove(buffer, buffer + keep, kept) }
        end = kept
        if capacity - end < Self.minimumFree {
            // A record longer than the buffer: grow (the limits bound how far).
            let newCapacity = max(capacity * 2, end + Self.minimumFree)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity = newCapacity
        } else if capacity > 4 * Self.initialCapacity, end < Self.initialCapacity / 2 {
            // Give back the room a long record needed.
            let shrunk = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.initialCapacity)
            shrunk.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = shrunk
            capacity = Self.initialCapacity
        }
        let got = try decoder.fill(buffer + end, capacity: capacity - end)
        if got == 0 { inputEnded = true }
        end += got
        return keep
    }
}

/// Four stop bytes (and NUL) broadcast to 64-bit words, to find the next stop eight bytes at a time.
///
/// `hasByte` is the classic SWAR zero-byte test on `word ^ broadcast`: it may also flag a byte above a
/// real match (a borrow), never one below, so the lowest flagged byte is exactly the first stop.
struct CSVStopWords {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        (self.a, self.b, self.c, self.d) = (ones &* UInt64(a), ones &* UInt64(b), ones &* UInt64(c), ones &* UInt64(d))
    }

    @inline(__always)
    static func hasByte(_ word: UInt64, _ broadcast: UInt64) -> UInt64 {
        let x = word ^ broadcast
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// The index of the first byte in `bytes[start..<end]` that is a stop, or `end`.
    @inline(__always)
    func scan(_ bytes: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int, stops: UnsafeMutablePointer<UInt8>)
        -> Int
    {
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
            let hits =
                Self.hasByte(word, a) | Self.hasByte(word, b) | Self.hasByte(word, c) | Self.hasByte(word, d)
                | Self.hasByte(word, 0)
            if hits != 0 { return index + hits.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < end, stops[Int(bytes[index])] == 0 { index += 1 }
        return index
    }
}
