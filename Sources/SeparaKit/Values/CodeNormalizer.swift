/// Turns what a person typed or a scanner sent into symbol values, forgivingly but never guessing.
///
/// Accepted: lower case; spaces, hyphens, en/em dashes and underscores between symbols; look-alike letters mapped as
/// `O→0`, `I→1`, `L→1`, `Z→2`, `S→5`, `B→8`, `U→V`. Anything else is an error naming its position.
/// A code with a wrong check symbol is reported, never corrected.
public enum CodeNormalizer {
    /// Letters outside the alphabet that are read as the symbol they look like.
    public static let lookAlikes: [(Character, Character)] = [
        ("O", "0"), ("I", "1"), ("L", "1"), ("Z", "2"), ("S", "5"), ("B", "8"), ("U", "V"),
    ]

    /// Characters skipped between symbols.
    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "-", "_", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}", "\u{00A0}":
            return true
        default:
            return false
        }
    }

    /// Symbol values of `input`, separators dropped and look-alikes mapped.
    ///
    /// - Throws: ``CodeError/empty`` or ``CodeError/invalidCharacter(position:)`` with the 1-based position
    ///   of the offending character in the input.
    public static func values(of input: String) throws(CodeError) -> [UInt8] {
        var values: [UInt8] = []
        values.reserveCapacity(16)
        var position = 0
        for scalar in input.unicodeScalars {
            position += 1
            if isSeparator(scalar) { continue }
            guard scalar.isASCII, let value = CodeAlphabet.valueOfByte[Int(scalar.value)] else {
                throw .invalidCharacter(position: position)
            }
            values.append(value)
        }
        if values.isEmpty { throw .empty }
        return values
    }

    /// The canonical spelling of `input` (upper case, no separators, look-alikes mapped), whether or not its
    /// check symbol is right.
    public static func canonical(_ input: String) throws(CodeError) -> String {
        String(decoding: try values(of: input).map { CodeAlphabet.asciiSymbols[Int($0)] }, as: UTF8.self)
    }
}
