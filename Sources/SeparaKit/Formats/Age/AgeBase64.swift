/// Strict base64 (RFC 4648 §4) as age needs it: unpadded and canonical in the header, padded and canonical in
/// the armor.
///
/// Written here rather than taken from Foundation because `Data(base64Encoded:)` neither rejects
/// non-canonical encodings (non-zero trailing bits) nor lets the caller forbid or require `=` padding, and
/// age requires both to keep files non-malleable.
enum AgeBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0xFF for bytes outside the alphabet.
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(index) }
        return table
    }()

    /// Whether `byte` is one of the 64 base64 symbols.
    static func isSymbol(_ byte: UInt8) -> Bool { table[Int(byte)] != 0xFF }

    /// Encodes without `=` padding.
    static func encodeUnpadded(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = b1 == nil ? nil : iterator.next()
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            guard let b1 else { break }
            out.append(alphabet[Int((b1 & 0x0F) << 2 | (b2 ?? 0) >> 6)])
            guard let b2 else { break }
            out.append(alphabet[Int(b2 & 0x3F)])
        }
        return out
    }

    /// Encodes with `=` padding to a multiple of four characters.
    static func encodePadded(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out = encodeUnpadded(bytes)
        while out.count % 4 != 0 { out.append(UInt8(ascii: "=")) }
        return out
    }

    /// Decodes unpadded, canonical base64; nil for any other byte, `=`, an impossible length or
    /// non-zero trailing bits.
    static func decodeUnpadded(_ text: some Collection<UInt8>) -> [UInt8]? {
        if text.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for symbol in text {
            let value = table[Int(symbol)]
            if value == 0xFF { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Canonical: the 2 or 4 leftover bits must be zero.
        return accumulator == 0 ? out : nil
    }

    /// Decodes padded, canonical base64 (length a multiple of four, `=` only as the final one or two
    /// characters); nil otherwise.
    static func decodePadded(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        let padding = text.reversed().prefix(2).prefix { $0 == UInt8(ascii: "=") }.count
        return decodeUnpadded(text.dropLast(padding))
    }
}
