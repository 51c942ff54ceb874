import Crypto
import Foundation

/// age v1 (age-encryption.org/v1, the C2SP age spec): X25519 and passphrase (scrypt) recipients, the STREAM
/// payload in 64 KiB chunks, and the ASCII armor, reading and writing.
///
/// Files written here open with the `age` tool, rage and pyrage, and theirs open here. Reading is strict: a
/// malformed header, a wrong header MAC, a failed chunk or sloppy armor is an error, never a best effort.
/// The cryptography is swift-crypto's; this module holds only the file format.
public enum AgeEncryption {
    /// The scrypt work factor (log2 N) written by default: 2^18, about a second on a laptop.
    public static let defaultWorkFactor = 18
    /// The smallest work factor written (tests use small ones to run fast).
    public static let minimumWorkFactor = 1
    /// The largest work factor written, and the largest accepted when reading (2^22 needs 4 GiB of memory).
    public static let maximumWorkFactor = 22
    /// The largest header read.
    public static let maximumHeaderSize = 1 << 20
    /// Plaintext bytes per payload chunk.
    public static let chunkSize = 1 << 16

    /// How the input of ``decrypt(from:identities:armor:output:)`` is encoded.
    public enum ArmorMode: Sendable {
        /// Armored when the first non-blank character is `-`, binary otherwise.
        case detect
        /// Binary only.
        case binary
        /// ASCII armor only.
        case armored
    }

    // MARK: In memory

    /// Encrypts `plaintext` to `recipients`, armored if asked.
    public static func encrypt(_ plaintext: Data, to recipients: [AgeRecipient], armored: Bool = false) throws -> Data {
        var out = Data()
        let encryptor = try AgeEncryptor(recipients: recipients, armored: armored) { out.append($0) }
        try encryptor.write(plaintext)
        try encryptor.finish()
        return out
    }

    /// Decrypts an age file held in memory; nothing is returned unless the whole file is authentic.
    public static func decrypt(
        _ file: Data, identities: [AgeIdentity], armor: ArmorMode = .detect
    ) throws -> Data {
        var out = Data()
        try decrypt(from: AgeDataInput(file), identities: identities, armor: armor) { out.append($0) }
        return out
    }

    // MARK: Streaming

    /// Encrypts everything `input` holds to `recipients`, handing the file to `output` piece by piece
    /// (memory use stays near one 64 KiB chunk).
    public static func encrypt(
        from input: some AgeInput, to recipients: [AgeRecipient], armored: Bool = false,
        output: @escaping AgeOutput
    ) throws {
        var input = input
        let encryptor = try AgeEncryptor(recipients: recipients, armored: armored, output: output)
        while true {
            let piece = try input.read(upTo: chunkSize)
            if piece.isEmpty { break }
            try encryptor.write(piece)
        }
        try encryptor.finish()
    }

    /// Decrypts an age file from `input`, handing plaintext to `output` one authenticated 64 KiB chunk at a
    /// time.
    ///
    /// Nothing reaches `output` before the header, its MAC and the first chunk are verified. A damaged chunk
    /// later in the file stops with ``AgeError/payloadFailure(chunk:problem:)`` after the earlier, authentic
    /// chunks were released: a caller writing to a file must discard it on error.
    public static func decrypt(
        from input: some AgeInput, identities: [AgeIdentity], armor: ArmorMode = .detect,
        output: AgeOutput
    ) throws {
        let reader = try decodedReader(input, armor: armor)
        let header = try AgeHeader.parse(reader)
        guard !identities.isEmpty else { throw AgeError.noIdentities }
        let fileKey = try unwrapFileKey(header, identities: identities)
        guard header.isAuthentic(fileKey: fileKey) else { throw AgeError.headerMACMismatch }
        let nonce = try reader.read(16)
        guard nonce.count == 16 else { throw AgeError.missingPayloadNonce }
        var stream = AgeStreamDecryptor(key: payloadKey(fileKey: fileKey, nonce: nonce))
        try stream.run(reader, output: output)
    }

    /// Reads the header of an age file and says which kinds of recipients it was encrypted to, without any
    /// key (for example to ask for a passphrase only when one is needed).
    public static func recipientTypes(of file: some AgeInput, armor: ArmorMode = .detect) throws -> [String] {
        try AgeHeader.parse(try decodedReader(file, armor: armor)).stanzas.map(\.type)
    }

    // MARK: Internals

    static func payloadKey(fileKey: SymmetricKey, nonce: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: fileKey, salt: nonce, info: Array("payload".utf8), outputByteCount: 32)
    }

    /// A reader over the age file itself: `input`, or the bytes its armor decodes to.
    private static func decodedReader(_ input: some AgeInput, armor: ArmorMode) throws -> AgeByteReader {
        let raw = AgeByteReader(input)
        guard try isArmored(raw, mode: armor) else { return raw }
        let decoder = AgeArmorDecoder(raw)
        return AgeByteReader(pull: { try decoder.pull($0) })
    }

    private static func isArmored(_ reader: AgeByteReader, mode: ArmorMode) throws -> Bool {
        switch mode {
        case .binary: return false
        case .armored: return true
        case .detect:
            var offset = 0
            while offset <= AgeArmor.maximumWhitespace, let byte = try reader.peek(at: offset) {
                if !AgeArmor.isWhitespace(byte) { return byte == UInt8(ascii: "-") }
                offset += 1
            }
            return false
        }
    }

    /// Finds the file key with the first identity that unwraps a stanza, as the reference implementation
    /// does; a malformed stanza of a known type stops everything (a header failure).
    static func unwrapFileKey(_ header: AgeHeader, identities: [AgeIdentity]) throws -> SymmetricKey {
        let stanzas = header.stanzas
        let hasScrypt = stanzas.contains { $0.type == AgeStanzaCrypto.scryptType }
        if hasScrypt && stanzas.count != 1 { throw AgeError.scryptNotAlone }

        var triedPassphrase = false
        func tryPassphrase(_ passphrase: AgePassphrase) throws -> SymmetricKey? {
            triedPassphrase = true
            for (index, stanza) in stanzas.enumerated() {
                if case .fileKey(let key) = try AgeStanzaCrypto.unwrap(stanza, number: index + 1, with: passphrase) {
                    return key
                }
            }
            return nil
        }

        for identity in identities {
            switch identity {
            case .x25519(let x25519):
                for (index, stanza) in stanzas.enumerated() {
                    if case .fileKey(let key) = try AgeStanzaCrypto.unwrap(stanza, number: index + 1, with: x25519) {
                        return key
                    }
                }
            case .passphrase(let passphrase):
                guard hasScrypt else { continue }
                if let key = try tryPassphrase(passphrase) { return key }
            case .passphraseOnDemand(let ask):
                guard hasScrypt else { continue }
                // Check the stanza before asking, so that nobody types a passphrase for a file we refuse.
                _ = try AgeStanzaCrypto.checkScrypt(stanzas[0], number: 1)
                if let key = try tryPassphrase(try ask()) { return key }
            }
        }
        if triedPassphrase { throw AgeError.wrongPassphrase }
        throw AgeError.noMatchingIdentity(fileNeedsPassphrase: hasScrypt)
    }
}

/// Encrypts a stream: the header is written at once, then each 64 KiB chunk as soon as the next byte shows
/// that it is not the last, and the final chunk on ``finish()``.
public final class AgeEncryptor {
    private var stream: AgeStreamEncryptor
    private var armor: AgeArmorEncoder?
    private let output: AgeOutput
    private var finished = false

    /// Starts a file to `recipients` (at least one; a passphrase only alone) and writes its header.
    public init(recipients: [AgeRecipient], armored: Bool = false, output: @escaping AgeOutput) throws {
        guard !recipients.isEmpty else { throw AgeError.noRecipients }
        let fileKey = SymmetricKey(data: AgeStanzaCrypto.random(AgeStanzaCrypto.fileKeySize))
        var stanzas: [AgeStanza] = []
        for recipient in recipients {
            switch recipient {
            case .x25519(let key):
                stanzas.append(try AgeStanzaCrypto.wrap(fileKey, to: key))
            case .passphrase(let passphrase, let workFactor):
                guard recipients.count == 1 else { throw AgeError.passphraseWithOtherRecipients }
                stanzas.append(try AgeStanzaCrypto.wrap(fileKey, passphrase: passphrase, workFactor: workFactor))
            }
        }
        let header = AgeHeader(stanzas: stanzas, fileKey: fileKey)
        let nonce = AgeStanzaCrypto.random(16)
        stream = AgeStreamEncryptor(key: AgeEncryption.payloadKey(fileKey: fileKey, nonce: nonce))
        if armored {
            let armor = try AgeArmorEncoder(output: output)
            self.armor = armor
            self.output = { try armor.write($0) }
        } else {
            self.output = output
        }
        try self.output(Data(header.encoded + nonce))
    }

    /// Adds plaintext.
    public func write(_ data: Data) throws {
        guard !finished else { throw AgeError.encryptorFinished }
        try stream.write(data, output: output)
    }

    /// Writes the final chunk (and the armor's last lines). The file is incomplete until this returns.
    public func finish() throws {
        guard !finished else { throw AgeError.encryptorFinished }
        finished = true
        try stream.finish(output: output)
        try armor?.finish()
    }
}
