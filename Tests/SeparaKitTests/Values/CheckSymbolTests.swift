import Testing

@testable import SeparaKit

/// The check symbol's guarantees, proved exhaustively: the check is linear, so whether an error is caught
/// depends only on the positions and the symbol values involved, not on the rest of the code. Each test
/// below enumerates every position (pair) and every symbol (pair) for every allowed code length, and then
/// also applies the same errors to real generated codes through the validator.
@Suite("Check symbol")
struct CheckSymbolTests {
    static let lengths = Array(CodeFormat.minimumLength...CodeFormat.maximumLength)
    static let n = CodeAlphabet.count

    /// Weights are all different and non-zero for every position a code can have.
    @Test func weightsAreDistinctAndNonZero() {
        let weights = CheckSymbol.weights.prefix(CodeFormat.maximumLength + 1)
        #expect(Set(weights).count == CodeFormat.maximumLength + 1)
        #expect(!weights.contains(0))
    }

    @Test("every single substitution is caught", arguments: lengths)
    func everySubstitution(randomLength: Int) {
        let total = randomLength + 1
        for position in 0..<total {
            let weight = CheckSymbol.weights[total - 1 - position]
            for a in 0..<Self.n {
                for b in 0..<Self.n where a != b {
                    #expect(((b - a) * weight % Self.n + Self.n) % Self.n != 0)
                }
            }
        }
    }

    @Test("every transposition at any distance is caught", arguments: lengths)
    func everyTransposition(randomLength: Int) {
        let total = randomLength + 1
        for i in 0..<total {
            for j in (i + 1)..<total {
                let wi = CheckSymbol.weights[total - 1 - i]
                let wj = CheckSymbol.weights[total - 1 - j]
                for a in 0..<Self.n {
                    for b in 0..<Self.n where a != b {
                        // a at i, b at j  →  b at i, a at j
                        let change = (b - a) * wi + (a - b) * wj
                        #expect((change % Self.n + Self.n) % Self.n != 0)
                    }
                }
            }
        }
    }

    @Test("every twin error aa→bb is caught", arguments: lengths)
    func everyTwinError(randomLength: Int) {
        let total = randomLength + 1
        for i in 0..<(total - 1) {
            let wi = CheckSymbol.weights[total - 1 - i]
            let wj = CheckSymbol.weights[total - 2 - i]
            for a in 0..<Self.n {
                for b in 0..<Self.n where a != b {
                    let change = (b - a) * (wi + wj)
                    #expect((change % Self.n + Self.n) % Self.n != 0)
                }
            }
        }
    }

    /// The same errors applied to generated codes, through the real validator: every mutation is rejected,
    /// every generated code passes.
    @Test("generated codes pass; every single error on them fails", arguments: [6, 11, 16, 27])
    func mutatedGeneratedCodes(randomLength: Int) {
        var rng = SeededGenerator(seed: UInt64(randomLength))
        let generator = CodeGenerator(randomLength: randomLength)
        var rejected = 0
        for _ in 0..<200 {
            let code = generator.next(using: &rng)
            #expect(CheckSymbol.isValid(code.values))
            let values = code.values
            let total = values.count
            for i in 0..<total {
                for symbol in 0..<UInt8(Self.n) where symbol != values[i] {
                    var mutated = values
                    mutated[i] = symbol
                    #expect(!CheckSymbol.isValid(mutated))
                    rejected += 1
                }
                for j in (i + 1)..<total where values[i] != values[j] {
                    var mutated = values
                    mutated.swapAt(i, j)
                    #expect(!CheckSymbol.isValid(mutated))
                    rejected += 1
                }
                if i + 1 < total, values[i] == values[i + 1] {
                    for symbol in 0..<UInt8(Self.n) where symbol != values[i] {
                        var mutated = values
                        mutated[i] = symbol
                        mutated[i + 1] = symbol
                        #expect(!CheckSymbol.isValid(mutated))
                        rejected += 1
                    }
                }
            }
        }
        #expect(rejected > 200 * (randomLength + 1) * 28)
    }

    /// A published-style worked example, so the algorithm can be reimplemented elsewhere:
    /// random part 0000000000 1 → weights 2^1 for the last random symbol → sum 2 → check 27 = 'X'.
    @Test func workedExample() throws {
        let random: [UInt8] = Array(repeating: 0, count: 10) + [1]
        #expect(CheckSymbol.compute(for: random) == 27)
        let code = try CaseCode.parse("0000-0000-001X")
        #expect(code.canonical == "00000000001X")
    }
}

/// A deterministic generator for tests only (SplitMix64). Production code never uses it.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
