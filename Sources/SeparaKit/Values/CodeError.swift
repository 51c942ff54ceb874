/// Why typed input is not a case code. Messages never repeat the input.
public enum CodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Nothing but separators was given.
    case empty
    /// The character at this 1-based position is not in the alphabet and not a known look-alike.
    case invalidCharacter(position: Int)
    /// The code has `found` symbols; `expected` is the workspace's length (random + check) when known.
    case wrongLength(found: Int, expected: Int?)
    /// The check symbol does not match: a symbol was misread or miswritten.
    case checkSymbolMismatch

    public var description: String {
        switch self {
        case .empty:
            return "empty code"
        case .invalidCharacter(let position):
            return "character \(position) is not a code symbol (codes use \(CodeAlphabet.symbols))"
        case .wrongLength(let found, let expected?):
            return "\(found) symbols where codes here have \(expected)"
        case .wrongLength(let found, nil):
            return "\(found) symbols; codes have \(CodeFormat.minimumLength + 1) to \(CodeFormat.maximumLength + 1)"
        case .checkSymbolMismatch:
            return "check symbol does not match: a symbol was misread; compare with the paper"
        }
    }
}
