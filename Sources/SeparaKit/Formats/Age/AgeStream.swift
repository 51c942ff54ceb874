import Crypto
import Foundation

/// The 12-byte STREAM nonce: an 11-byte big-endian chunk counter, then 0x01 for the final chunk, 0x00 before.
///
/// Written here, with the encryptor and decryptor below, because the STREAM construction is age's own; each
/// chunk is sealed and opened with swift-crypto's ChaChaPoly.
struct AgeStreamNonce {
    private(set) var counter: UInt64 = 0

    func nonce(final: Bool) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { bytes[10 - i] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * i)) }
        bytes[11] = final ? 1 : 0
        return try! ChaChaPoly.Nonce(data: bytes)  // 12 bytes: cannot fail
    }

    /// The counter is 88 bits in the spec; 2^64 chunks of 64 KiB is beyond any file, so 64 bits suffice.
    mutating func advance() { counter += 1 }
}

/// Seals plaintext into 64 KiB chunks, holding back a full chunk until more data shows it is not the last.
struct AgeStreamEncryptor {
    private let key: SymmetricKey
    private var nonce = AgeStreamNonce()
    private var pending = Data()

    init(key: SymmetricKey) { self.key = key }

    private mutating func seal(_ chunk: Data, final: Bool, output: AgeOutput) throws {
        let box = try ChaChaPoly.seal(chunk, using: key, nonce: nonce.nonce(final: final))
        // `combined` is nonce || ciphertext || tag; the file carries ciphertext || tag.
        try output(box.combined.dropFirst(12))
        nonce.advance()
    }

    mutating func write(_ data: Data, output: AgeOutput) throws {
        var rest = data[...]
        while !rest.isEmpty {
            if pending.count == AgeEncryption.chunkSize {
                try seal(pending, final: false, output: output)
                pending = Data()
            }
            let take = min(AgeEncryption.chunkSize - pending.count, rest.count)
            // A whole chunk of the caller's data is held as it is (Data shares storage), not copied.
            if pending.isEmpty { pending = rest.prefix(take) } else { pending.append(rest.prefix(take)) }
            rest = rest.dropFirst(take)
        }
    }

    /// Seals what is held as the final chunk (empty only when nothing was written).
    mutating func finish(output: AgeOutput) throws {
        try seal(pending, final: true, output: output)
        pending = Data()
    }
}

/// Opens 64 KiB chunks in order and releases each one's plaintext once authenticated.
struct AgeStreamDecryptor {
    private let key: SymmetricKey
    private var nonce = AgeStreamNonce()
    static let sealedChunkSize = AgeEncryption.chunkSize + 16

    init(key: SymmetricKey) { self.key = key }

    private func open(_ chunk: [UInt8], final: Bool) -> Data? {
        guard
            let box = try? ChaChaPoly.SealedBox(
                nonce: nonce.nonce(final: final), ciphertext: chunk.dropLast(16), tag: chunk.suffix(16))
        else { return nil }
        return try? ChaChaPoly.open(box, using: key)
    }

    /// Decrypts the payload after the nonce to the end of `reader`.
    mutating func run(_ reader: AgeByteReader, output: AgeOutput) throws {
        var number = 1
        while true {
            let chunk = try reader.read(Self.sealedChunkSize)
            func fail(_ problem: AgeError.PayloadProblem) -> AgeError {
                .payloadFailure(chunk: number, problem: problem)
            }
            if chunk.count < Self.sealedChunkSize {
                // A short read is the end of the input: this chunk must be the final one.
                if chunk.isEmpty { throw fail(.truncated) }
                if chunk.count < 16 { throw fail(.chunkTooShort) }
                if chunk.count == 16 && number > 1 { throw fail(.emptyFinalChunk) }
                guard let plain = open(chunk, final: true) else { throw fail(.authenticationFailed) }
                try output(plain)
                return
            }
            // A full chunk is normally not final; a full final chunk must end the input.
            if let plain = open(chunk, final: false) {
                try output(plain)
                nonce.advance()
                number += 1
                continue
            }
            guard let plain = open(chunk, final: true) else { throw fail(.authenticationFailed) }
            // The chunk is authentic, so it is released (as the reference implementation and the testkit
            // do); the bytes after it then make the file fail.
            try output(plain)
            guard try reader.atEnd() else { throw fail(.trailingData) }
            return
        }
    }
}
