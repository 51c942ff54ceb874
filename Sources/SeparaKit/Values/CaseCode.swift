/// A pseudonymous case code: random symbols from ``CodeAlphabet`` followed by one check symbol.
///
/// The code is stored in its canonical form (upper case, no separators, e.g. `K7M29QX4HT3C`) and shown
/// to people in groups of four (`K7M2-9QX4-HT3C`). A `CaseCode` value always has a valid check symbol;
/// build one from typed input with ``CaseCode/parse(_:)``.
public struct CaseCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Symbol values (0..<29), check symbol last.
    public let values: [UInt8]

    /// Creates a code from symbol values whose last value is a correct check symbol.
    ///
    /// Returns nil when a value is out of range or the check symbol does not match.
    public init?(values: [UInt8]) {
        guard values.count >= CodeFormat.minimumLength + 1, values.count <= CodeFormat.maximumLength + 1,
            values.allSatisfy({ Int($0) < CodeAlphabet.count }),
            CheckSymbol.isValid(values)
        else { return nil }
        self.values = values
    }

    /// Wraps values already known to be a valid code (the generator's fast path).
    init(uncheckedValues: [UInt8]) {
        self.values = uncheckedValues
    }

    /// Creates a code from random symbol values by appending their check symbol.
    public init(randomValues: [UInt8]) {
        precondition(randomValues.count >= CodeFormat.minimumLength && randomValues.count <= CodeFormat.maximumLength)
        self.values = randomValues + [CheckSymbol.compute(for: randomValues)]
    }

    /// The canonical form: upper-case symbols, no separators. This is what the store keeps.
    public var canonical: String {
        String(unsafeUninitializedCapacity: values.count) { buffer in
            for (index, value) in values.enumerated() { buffer[index] = CodeAlphabet.asciiSymbols[Int(value)] }
            return values.count
        }
    }

    /// The printed form: groups of four separated by hyphens, e.g. `K7M2-9QX4-HT3C`.
    public var display: String { CodeFormat.group(canonical) }

    public var description: String { display }

    /// The number of random symbols (the length without the check symbol).
    public var randomLength: Int { values.count - 1 }

    /// Canonical order: the alphabet is in ASCII order, so comparing values compares canonical text.
    public static func < (lhs: CaseCode, rhs: CaseCode) -> Bool { lhs.values.lexicographicallyPrecedes(rhs.values) }

    /// Normalises and validates typed input (see ``CodeNormalizer``).
    ///
    /// - Parameter expectedRandomLength: when given, a code of another length is refused.
    /// - Throws: ``CodeError`` naming the position of a bad character, a wrong length or a wrong check symbol.
    public static func parse(_ input: String, expectedRandomLength: Int? = nil) throws(CodeError) -> CaseCode {
        let values = try CodeNormalizer.values(of: input)
        if let expected = expectedRandomLength, values.count != expected + 1 {
            throw .wrongLength(found: values.count, expected: expected + 1)
        }
        guard values.count >= CodeFormat.minimumLength + 1, values.count <= CodeFormat.maximumLength + 1 else {
            throw .wrongLength(found: values.count, expected: nil)
        }
        guard let code = CaseCode(values: values) else { throw .checkSymbolMismatch }
        return code
    }
}

/// The 29 symbols a code is written with: digits and upper-case letters without look-alikes (no B I L O S U Z).
public enum CodeAlphabet {
    /// The symbols in value order: `0123456789ACDEFGHJKMNPQRTVWXY`.
    public static let symbols = "0123456789ACDEFGHJKMNPQRTVWXY"
    /// The symbols as ASCII bytes, indexed by value.
    public static let asciiSymbols: [UInt8] = Array(symbols.utf8)
    /// 29: a prime, so a weighted sum modulo 29 needs no extra check symbol.
    public static let count = 29

    /// Value of each ASCII byte after normalisation, or nil; indexed by byte.
    static let valueOfByte: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 256)
        for (value, byte) in asciiSymbols.enumerated() {
            table[Int(byte)] = UInt8(value)
            table[Int(Character(String(UnicodeScalar(byte))).lowercased().utf8.first!)] = UInt8(value)
        }
        for (from, to) in CodeNormalizer.lookAlikes {
            let value = table[Int(to.asciiValue!)]!
            table[Int(from.asciiValue!)] = value
            table[Int(Character(from.lowercased()).asciiValue!)] = value
        }
        return table
    }()
}

/// Code lengths and their printed shape.
public enum CodeFormat {
    /// Default number of random symbols: 11 (53 bits), plus one check symbol.
    public static let defaultRandomLength = 11
    /// Fewest random symbols a workspace may choose.
    public static let minimumLength = 6
    /// Most random symbols: the check needs distinct weights for every position, and 2 has order 28 modulo 29,
    /// so a whole code (random symbols plus check) has at most 28 symbols.
    public static let maximumLength = 27

    /// Inserts a hyphen after every four symbols.
    public static func group(_ canonical: String) -> String {
        let bytes = Array(canonical.utf8)
        let count = bytes.count + max(0, (bytes.count - 1) / 4)
        return String(unsafeUninitializedCapacity: count) { buffer in
            var out = 0
            for (index, byte) in bytes.enumerated() {
                if index > 0 && index % 4 == 0 {
                    buffer[out] = UInt8(ascii: "-")
                    out += 1
                }
                buffer[out] = byte
                out += 1
            }
            return out
        }
    }

    /// The pattern shown in help texts, e.g. `XXXX-XXXX-XXXX` for 11 random symbols.
    public static func pattern(randomLength: Int) -> String {
        group(String(repeating: "X", count: randomLength + 1))
    }
}
