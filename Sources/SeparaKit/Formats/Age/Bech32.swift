/// Bech32 (BIP 173) as age uses it for keys: no length limit, all upper or all lower case, checksum computed
/// over the lower-case form.
///
/// Written here because neither swift-crypto nor Foundation has Bech32, and the whole algorithm is a
/// few dozen lines (the BIP's reference code, transcribed).
enum Bech32 {
    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]

    private static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, symbol) in charset.enumerated() { table[Int(symbol)] = Int8(index) }
        return table
    }()

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { checksum ^= generator[i] }
        }
        return checksum
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Regroups bits; when decoding (`pad == false`) leftover bits must be fewer than `from` and zero.
    private static func convert(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0
        var bits = 0
        var out: [UInt8] = []
        let maximum = (1 << to) - 1
        for value in data {
            if Int(value) >> from != 0 { return nil }
            accumulator = accumulator << from | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                out.append(UInt8((accumulator >> bits) & maximum))
            }
            accumulator &= (1 << bits) - 1
        }
        if pad {
            if bits > 0 { out.append(UInt8((accumulator << (to - bits)) & maximum)) }
        } else if bits >= from || accumulator != 0 {
            return nil
        }
        return out
    }

    /// Encodes `data` under `hrp` (given in the case wanted); the result is in the case of `hrp`.
    static func encode(hrp: String, data: [UInt8]) -> String {
        let upper = hrp.uppercased() == hrp && hrp.lowercased() != hrp
        let lowHRP = Array(hrp.lowercased().utf8)
        let values = convert(data, from: 8, to: 5, pad: true)!
        let check = polymod(expand(lowHRP) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        var out = lowHRP + [UInt8(ascii: "1")]
        out += values.map { charset[Int($0)] }
        out += (0..<6).map { charset[Int((check >> UInt32(5 * (5 - $0))) & 31)] }
        let text = String(decoding: out, as: UTF8.self)
        return upper ? text.uppercased() : text
    }

    /// Decodes a Bech32 string into its lower-case human-readable part and data; nil when the string is not
    /// valid Bech32 (mixed case, bad character, bad checksum) or its data does not regroup into bytes.
    static func decode(_ text: String) -> (hrp: String, data: [UInt8])? {
        guard let (hrp, values) = decodeValues(text),
            let data = convert(values, from: 5, to: 8, pad: false)
        else { return nil }
        return (hrp, data)
    }

    /// The checked Bech32 layer alone: the lower-case human-readable part and the 5-bit values before the
    /// checksum.
    static func decodeValues(_ text: String) -> (hrp: String, values: [UInt8])? {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { return nil }
        let lower = text.lowercased()
        guard text == lower || text == text.uppercased() else { return nil }
        let low = Array(lower.utf8)
        guard let separator = low.lastIndex(of: UInt8(ascii: "1")), separator >= 1, low.count - separator - 1 >= 6
        else { return nil }
        let hrp = Array(low[..<separator])
        var values: [UInt8] = []
        for symbol in low[(separator + 1)...] {
            let value = reverse[Int(symbol)]
            if value < 0 { return nil }
            values.append(UInt8(value))
        }
        guard polymod(expand(hrp) + values) == 1 else { return nil }
        return (String(decoding: hrp, as: UTF8.self), Array(values.dropLast(6)))
    }
}
