import Foundation

/// Valid codes one edit away from a mistyped one.
public enum CodeNeighbours {
    /// Every valid code of the workspace's length reachable from `values` by one substitution, one
    /// transposition (any distance), one twin error (`aa→bb` on neighbours), one inserted symbol (when one is
    /// missing) or one deleted symbol (when one is extra).
    public static func candidates(of values: [UInt8], randomLength: Int) -> Set<CaseCode> {
        let length = randomLength + 1
        var result = Set<CaseCode>()
        func consider(_ candidate: [UInt8]) {
            if let code = CaseCode(values: candidate) { result.insert(code) }
        }
        let alphabet = UInt8(CodeAlphabet.count)
        if values.count == length {
            for position in 0..<length {
                var candidate = values
                for symbol in 0..<alphabet where symbol != values[position] {
                    candidate[position] = symbol
                    consider(candidate)
                }
            }
            for i in 0..<length {
                for j in (i + 1)..<length where values[i] != values[j] {
                    var candidate = values
                    candidate.swapAt(i, j)
                    consider(candidate)
                }
            }
            for i in 0..<(length - 1) where values[i] == values[i + 1] {
                for symbol in 0..<alphabet where symbol != values[i] {
                    var candidate = values
                    candidate[i] = symbol
                    candidate[i + 1] = symbol
                    consider(candidate)
                }
            }
        } else if values.count == length - 1 {
            for position in 0...values.count {
                for symbol in 0..<alphabet {
                    var candidate = values
                    candidate.insert(symbol, at: position)
                    consider(candidate)
                }
            }
        } else if values.count == length + 1 {
            for position in 0..<values.count {
                var candidate = values
                candidate.remove(at: position)
                consider(candidate)
            }
        }
        return result
    }
}
