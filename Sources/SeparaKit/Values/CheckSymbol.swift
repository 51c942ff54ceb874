/// The check symbol: a pure ISO 7064-style system modulo 29.
///
/// Position `i` counted from the right (the check symbol is position 0) has weight `2^i mod 29`.
/// A code is valid when the weighted sum of its symbol values is 0 modulo 29. Because 29 is prime and
/// 2 generates all 28 non-zero residues, for every code of at most 28 symbols:
/// - every single substitution changes the sum by `(b−a)·w`, never 0 mod 29: detected;
/// - every transposition of two symbols at any distance changes it by `(b−a)(w_i−w_j)`, and all weights
///   differ: detected;
/// - every twin error `aa→bb` on neighbouring positions changes it by `(b−a)(w_i+w_{i+1}) = (b−a)·3·w_i`: detected.
/// The tests check all three claims exhaustively for every allowed length.
public enum CheckSymbol {
    /// Weights indexed from the right: `weights[i] = 2^i mod 29`, for i in 0..<28.
    public static let weights: [Int] = {
        var result: [Int] = []
        var weight = 1
        for _ in 0..<28 {
            result.append(weight)
            weight = weight * 2 % CodeAlphabet.count
        }
        return result
    }()

    /// The check value for random symbol values (appended last).
    public static func compute(for random: some Collection<UInt8>) -> UInt8 {
        var weight = random.count
        var sum = 0
        for value in random {
            sum += Int(value) * weights[weight]
            weight -= 1
        }
        let remainder = sum % CodeAlphabet.count
        return UInt8((CodeAlphabet.count - remainder) % CodeAlphabet.count)
    }

    /// Whether the whole code (check symbol last) has a weighted sum of 0 modulo 29.
    public static func isValid(_ values: [UInt8]) -> Bool {
        guard values.count <= weights.count else { return false }
        let last = values.count - 1
        var sum = 0
        for (index, value) in values.enumerated() {
            sum += Int(value) * weights[last - index]
        }
        return sum % CodeAlphabet.count == 0
    }
}
