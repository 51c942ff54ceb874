#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if os(Linux)
    /// `getrandom(2)` from the C library (glibc ≥ 2.25); Swift's Glibc module does not export <sys/random.h>.
    @_silgen_name("getrandom")
    private func systemGetrandom(_ buffer: UnsafeMutableRawPointer, _ length: Int, _ flags: UInt32) -> Int
#endif

/// Draws new case codes.
///
/// Production code draws from ``SystemRandom`` (the operating system's CSPRNG); tests pass a seeded generator.
/// Codes are never derived from anything about a person.
public struct CodeGenerator: Sendable {
    /// Number of random symbols per code.
    public let randomLength: Int

    public init(randomLength: Int = CodeFormat.defaultRandomLength) {
        precondition(randomLength >= CodeFormat.minimumLength && randomLength <= CodeFormat.maximumLength)
        self.randomLength = randomLength
    }

    /// Symbols drawn per 64-bit draw: 29^13 < 2^64.
    static let symbolsPerDraw = 13

    /// One new code, uniformly distributed over all codes of this length.
    public func next(using generator: inout some RandomNumberGenerator) -> CaseCode {
        // One allocation per code: the random symbols, then the check symbol in the last slot.
        var values = [UInt8](repeating: 0, count: randomLength + 1)
        var filled = 0
        while filled < randomLength {
            let take = min(Self.symbolsPerDraw, randomLength - filled)
            // Uniform in 0..<29^take (the standard library rejects the biased tail).
            var draw = UInt64.random(in: 0..<Self.powers[take], using: &generator)
            for index in 0..<take {
                values[filled + index] = UInt8(draw % UInt64(CodeAlphabet.count))
                draw /= UInt64(CodeAlphabet.count)
            }
            filled += take
        }
        values[randomLength] = CheckSymbol.compute(for: values[..<randomLength])
        return CaseCode(uncheckedValues: values)
    }

    /// 29^k for k in 0...13.
    static let powers: [UInt64] = (0...symbolsPerDraw).map { k in
        (0..<k).reduce(UInt64(1)) { result, _ in result * UInt64(CodeAlphabet.count) }
    }
}

/// The operating system's cryptographically secure random number generator (`getrandom(2)` on Linux),
/// read in blocks so that drawing a million codes does not cost a million system calls.
///
/// The block is overwritten as it is used and zeroed when the generator is dropped.
public struct SystemRandom: RandomNumberGenerator {
    private var buffer: [UInt64]
    private var index: Int

    public init(blockWords: Int = 512) {
        buffer = [UInt64](repeating: 0, count: max(1, blockWords))
        index = buffer.count
    }

    public mutating func next() -> UInt64 {
        if index == buffer.count { refill() }
        let value = buffer[index]
        buffer[index] = 0
        index += 1
        return value
    }

    private mutating func refill() {
        #if os(Linux)
            buffer.withUnsafeMutableBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let got = systemGetrandom(bytes.baseAddress! + offset, bytes.count - offset, 0)
                    if got < 0 {
                        if errno == EINTR { continue }
                        fatalError("getrandom failed: the system has no secure randomness")
                    }
                    offset += got
                }
            }
        #else
            var system = SystemRandomNumberGenerator()
            for slot in buffer.indices { buffer[slot] = system.next() }
        #endif
        index = 0
    }
}
