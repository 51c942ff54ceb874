/// Turns the input, whatever its encoding, into UTF-8 for the parser, block by block.
///
/// Written here rather than taken from Foundation because Foundation's decoders want the whole file in
/// memory, and because the reader must decide between UTF-8 and Windows-1252 while streaming and must
/// keep bad input visible to the parser: a byte sequence that is not valid in the file's encoding
/// (an unpaired UTF-16 surrogate, an odd byte at the end of a UTF-16 file) becomes the byte 0xFF,
/// which never occurs in UTF-8, so that the field holding it fails UTF-8 validation and the record is
/// reported at its own line and column.
final class CSVDecoder {
    /// The decided encoding; nil while only ASCII has been seen in a file without a byte-order mark.
    private(set) var decided: CSVEncoding?
    /// Whether the input started with a byte-order mark (which is not passed on).
    let hasByteOrderMark: Bool
    private let source: CSVByteSource
    /// Input bytes read but not yet passed on (the bytes after a byte-order mark, a partial code unit).
    private var carry: [UInt8]
    /// Whether the source has reported its end.
    private var sourceDone = false
    private let scratch: UnsafeMutablePointer<UInt8>
    private static let scratchCapacity = 1 << 16
    /// How many bytes, from the first non-ASCII byte on, decide between UTF-8 and Windows-1252.
    static let detectionWindow = 1 << 16

    /// The byte emitted for input that is not valid in its encoding; never valid UTF-8.
    static let invalidMarker: UInt8 = 0xFF

    /// The encoding to report: UTF-8 while undecided (the bytes so far are ASCII, the same in both).
    var encoding: CSVEncoding { decided ?? .utf8 }

    init(source: CSVByteSource, choice: CSVReadOptions.Encoding) throws(CSVError) {
        self.source = source
        scratch = .allocate(capacity: Self.scratchCapacity)
        var head = 0
        while head < 4 {
            let got: Int
            do { got = try source.readBytes(into: scratch + head, count: 4 - head) } catch {
                scratch.deallocate()
                throw error
            }
            if got == 0 {
                sourceDone = true
                break
            }
            head += got
        }
        let prefix = Array(UnsafeBufferPointer(start: scratch, count: head))
        switch choice {
        case .detect:
            if let (encoding, length) = CSVEncoding.fromByteOrderMark(prefix) {
                decided = encoding
                hasByteOrderMark = true
                carry = Array(prefix[length...])
            } else {
                decided = nil
                hasByteOrderMark = false
                carry = prefix
            }
        case .fixed(let encoding):
            decided = encoding
            let mark = encoding.byteOrderMark
            hasByteOrderMark = !mark.isEmpty && prefix.starts(with: mark)
            carry = Array(prefix[(hasByteOrderMark ? mark.count : 0)...])
        }
    }

    deinit { scratch.deallocate() }

    /// Writes the next UTF-8 bytes into `destination` (`capacity` must be at least 16) and returns how many;
    /// 0 only at the end of the input.
    func fill(_ destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(CSVError) -> Int {
        precondition(capacity >= 16, "decoder needs room for at least one expanded block")
        while true {
            switch decided {
            case .utf8:
                return try readRaw(into: destination, max: capacity)
            case nil:
                // Undecided: pass ASCII through; at the first non-ASCII byte, decide for good on the
                // detection window that starts there (whatever the sizes of the reads).
                let count = try readRaw(into: destination, max: (capacity - 4) / 3)
                if count == 0 { return 0 }
                guard let first = Self.firstNonASCII(destination, count: count) else { return count }
                carry.insert(contentsOf: UnsafeBufferPointer(start: destination + first, count: count - first), at: 0)
                while carry.count < Self.detectionWindow, !sourceDone {
                    let want = min(Self.scratchCapacity, Self.detectionWindow - carry.count)
                    let got = try source.readBytes(into: scratch, count: want)
                    if got == 0 { sourceDone = true }
                    carry.append(contentsOf: UnsafeBufferPointer(start: scratch, count: got))
                }
                let window = min(carry.count, Self.detectionWindow)
                let census = carry.withUnsafeBufferPointer {
                    Self.utf8Census($0.baseAddress!, count: window, atEnd: carry.count <= Self.detectionWindow)
                }
                decided = census.wellFormed > census.illFormed ? .utf8 : .windows1252
                if first > 0 { return first }
            case .windows1252:
                let count = try readRaw(into: scratch, max: min(Self.scratchCapacity, (capacity - 4) / 3))
                return Self.windows1252ToUTF8(scratch, count: count, into: destination)
            case .utf16LittleEndian, .utf16BigEndian:
                let count = try readRaw(into: scratch, max: min(Self.scratchCapacity, (capacity - 4) / 3 * 2))
                if count == 0 { return 0 }
                let produced = transcodeUTF16(count: count, bigEndian: decided == .utf16BigEndian, into: destination)
                if produced > 0 { return produced }
            case .utf32LittleEndian, .utf32BigEndian:
                let count = try readRaw(into: scratch, max: min(Self.scratchCapacity, capacity - 4))
                if count == 0 { return 0 }
                let produced = transcodeUTF32(count: count, bigEndian: decided == .utf32BigEndian, into: destination)
                if produced > 0 { return produced }
            }
        }
    }

    /// Takes bytes from `carry` first, then at most one read from the source; 0 only at the end.
    private func readRaw(into destination: UnsafeMutablePointer<UInt8>, max: Int) throws(CSVError) -> Int {
        var count = 0
        if !carry.isEmpty {
            count = min(carry.count, max)
            carry.withUnsafeBufferPointer { destination.update(from: $0.baseAddress!, count: count) }
            carry.removeFirst(count)
        }
        if count < max, !sourceDone {
            let got = try source.readBytes(into: destination + count, count: max - count)
            if got == 0 { sourceDone = true }
            count += got
        }
        return count
    }

    // MARK: UTF-8 detection

    enum Verdict { case valid, invalid, needMore }

    /// Counts the well-formed multi-byte UTF-8 sequences and the ill-formed ones (each byte that cannot
    /// start or continue a sequence counts once) in a block. A sequence cut off by the end of the block
    /// is left out unless `atEnd`.
    ///
    /// The rule for a file without a byte-order mark: UTF-8 if, in the 64 KiB that start at the first
    /// non-ASCII byte, well-formed sequences outnumber ill-formed ones; Windows-1252 otherwise. A real
    /// Windows-1252 text almost never forms a UTF-8 sequence (an accented capital followed by a symbol
    /// such as `Ã©`), and a UTF-8 file with one stray byte stays UTF-8, so that only the record holding
    /// the stray byte fails instead of every accent in the file being misread.
    static func utf8Census(_ bytes: UnsafePointer<UInt8>, count: Int, atEnd: Bool) -> (wellFormed: Int, illFormed: Int)
    {
        var index = 0
        var wellFormed = 0
        var illFormed = 0
        while index < count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            let rest = count - index
            switch utf8Verdict(bytes + index, count: min(rest, 4), atEnd: atEnd || rest >= 4, single: true) {
            case .valid:
                wellFormed += 1
                index += utf8Length(bytes[index])
            case .invalid:
                illFormed += 1
                index += 1
            case .needMore:
                return (wellFormed, illFormed)
            }
        }
        return (wellFormed, illFormed)
    }

    /// The length of the sequence a valid lead byte starts.
    static func utf8Length(_ lead: UInt8) -> Int {
        lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    static func firstNonASCII(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int? {
        var index = 0
        // Eight bytes at a time while they are all ASCII.
        while index + 8 <= count {
            let word = UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count {
            if bytes[index] >= 0x80 { return index }
            index += 1
        }
        return nil
    }

    /// Whether `bytes` is well-formed UTF-8 (Unicode 15, table 3-7). A sequence cut off by the end of the
    /// block is `needMore` when it is the first non-ASCII sequence and more input may follow, and does not
    /// count against the block when an earlier sequence was already complete and valid. With `single`,
    /// only the first sequence (which must start at `bytes`) is judged.
    static func utf8Verdict(_ bytes: UnsafePointer<UInt8>, count: Int, atEnd: Bool, single: Bool = false) -> Verdict {
        var index = 0
        var sawSequence = false
        while index < count {
            if single, sawSequence { return .valid }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default: return .invalid
            }
            for offset in 1..<length {
                if index + offset >= count {
                    if atEnd { return .invalid }
                    return sawSequence ? .valid : .needMore
                }
                let byte = bytes[index + offset]
                if offset == 1 ? (byte < low || byte > high) : (byte & 0xC0 != 0x80) { return .invalid }
            }
            sawSequence = true
            index += length
        }
        return .valid
    }

    // MARK: Transcoders

    /// Windows-1252 0x80–0x9F; 0xA0–0xFF are the same code points as the bytes.
    static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func windows1252ToUTF8(
        _ bytes: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var written = 0
        for index in 0..<count {
            let byte = bytes[index]
            if byte < 0x80 {
                output[written] = byte
                written += 1
            } else {
                let scalar = byte < 0xA0 ? UInt32(windows1252High[Int(byte) - 0x80]) : UInt32(byte)
                written += encodeUTF8(scalar, into: output + written)
            }
        }
        return written
    }

    private func transcodeUTF16(count: Int, bigEndian: Bool, into output: UnsafeMutablePointer<UInt8>) -> Int {
        let bytes = scratch
        func unit(_ index: Int) -> UInt32 {
            bigEndian
                ? UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
                : UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index])
        }
        let atEnd = sourceDone && carry.isEmpty
        var index = 0
        var written = 0
        units: while index + 1 < count {
            let first = unit(index)
            if (0xD800...0xDBFF).contains(first) {
                guard index + 3 < count else {
                    if !atEnd { break units }  // the low surrogate is in the next block
                    output[written] = Self.invalidMarker
                    written += 1
                    index += 2
                    continue units
                }
                let second = unit(index + 2)
                if (0xDC00...0xDFFF).contains(second) {
                    let scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    written += Self.encodeUTF8(scalar, into: output + written)
                    index += 4
                } else {
                    output[written] = Self.invalidMarker
                    written += 1
                    index += 2
                }
            } else if (0xDC00...0xDFFF).contains(first) {
                output[written] = Self.invalidMarker
                written += 1
                index += 2
            } else {
                written += Self.encodeUTF8(first, into: output + written)
                index += 2
            }
        }
        written += keepOrMark(from: index, count: count, output: output + written)
        return written
    }

    private func transcodeUTF32(count: Int, bigEndian: Bool, into output: UnsafeMutablePointer<UInt8>) -> Int {
        let bytes = scratch
        var index = 0
        var written = 0
        while index + 3 < count {
            let b0 = UInt32(bytes[index])
            let b1 = UInt32(bytes[index + 1])
            let b2 = UInt32(bytes[index + 2])
            let b3 = UInt32(bytes[index + 3])
            let scalar = bigEndian ? b0 << 24 | b1 << 16 | b2 << 8 | b3 : b3 << 24 | b2 << 16 | b1 << 8 | b0
            if scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                output[written] = Self.invalidMarker
                written += 1
            } else {
                written += Self.encodeUTF8(scalar, into: output + written)
            }
            index += 4
        }
        written += keepOrMark(from: index, count: count, output: output + written)
        return written
    }

    /// Keeps an incomplete code unit at the end of the block for the next read, or, at the end of the
    /// input, marks it invalid. Returns the bytes written.
    private func keepOrMark(from index: Int, count: Int, output: UnsafeMutablePointer<UInt8>) -> Int {
        guard index < count else { return 0 }
        if sourceDone && carry.isEmpty {
            output[0] = Self.invalidMarker
            return 1
        }
        carry.insert(contentsOf: UnsafeBufferPointer(start: scratch + index, count: count - index), at: 0)
        return 0
    }

    /// Writes `scalar` as UTF-8; returns its length (1 to 4).
    @inline(__always)
    static func encodeUTF8(_ scalar: UInt32, into output: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            output[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            output[0] = UInt8(0xC0 | scalar >> 6)
            output[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            output[0] = UInt8(0xE0 | scalar >> 12)
            output[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            output[0] = UInt8(0xF0 | scalar >> 18)
            output[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            output[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
