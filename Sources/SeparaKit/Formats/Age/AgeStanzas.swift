import Crypto
import CryptoExtras
import Foundation

/// Wrapping and unwrapping the file key for the two native recipient types read and written here, X25519 and
/// scrypt, with swift-crypto's primitives (Curve25519, HKDF-SHA-256, ChaCha20-Poly1305, CryptoExtras'
/// scrypt). What is written by hand is only the stanza layout and its checks, from the age spec.
enum AgeStanzaCrypto {
    static let fileKeySize = 16
    static let wrappedKeySize = fileKeySize + 16
    static let x25519Type = "X25519"
    static let scryptType = "scrypt"
    static let x25519Label = Array("age-encryption.org/v1/X25519".utf8)
    static let scryptLabel = Array("age-encryption.org/v1/scrypt".utf8)
    static let scryptSaltSize = 16

    /// What an identity makes of one stanza.
    enum Unwrap {
        /// The stanza is not addressed to this identity (other type, or decryption failed).
        case notMine
        case fileKey(SymmetricKey)
    }

    // MARK: ChaCha20-Poly1305 with the all-zero nonce

    static func seal(_ fileKey: SymmetricKey, with wrapKey: SymmetricKey) throws -> [UInt8] {
        let nonce = try ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12))
        let box = try fileKey.withUnsafeBytes { try ChaChaPoly.seal(Array($0), using: wrapKey, nonce: nonce) }
        return Array(box.ciphertext) + Array(box.tag)
    }

    /// The file key, or nil when authentication fails (any AEAD error counts as "not mine").
    static func open(_ body: [UInt8], with wrapKey: SymmetricKey) -> SymmetricKey? {
        guard body.count == wrappedKeySize,
            let nonce = try? ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)),
            let box = try? ChaChaPoly.SealedBox(
                nonce: nonce, ciphertext: body.prefix(fileKeySize), tag: body.suffix(16)),
            let plain = try? ChaChaPoly.open(box, using: wrapKey), plain.count == fileKeySize
        else { return nil }
        return SymmetricKey(data: plain)
    }

    static func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    // MARK: X25519

    /// HKDF-SHA-256(ikm = shared secret, salt = ephemeral share || recipient, info = label); nil when the
    /// shared secret is all zero (a low-order point), which the spec forbids.
    private static func x25519WrapKey(
        privateKey: Curve25519.KeyAgreement.PrivateKey, peer: [UInt8], share: [UInt8], recipient: [UInt8]
    ) throws -> SymmetricKey? {
        let peerKey = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: peer)
        let secret = try privateKey.sharedSecretFromKeyAgreement(with: peerKey)
        // swift-crypto deliberately does not reject the all-zero secret; age must. Constant time.
        let isZero = secret.withUnsafeBytes { bytes in bytes.reduce(UInt8(0)) { $0 | $1 } == 0 }
        if isZero { return nil }
        return secret.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: share + recipient, sharedInfo: x25519Label, outputByteCount: 32)
    }

    static func wrap(_ fileKey: SymmetricKey, to recipient: AgeX25519Recipient) throws -> AgeStanza {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let share = Array(ephemeral.publicKey.rawRepresentation)
        guard
            let wrapKey = try x25519WrapKey(
                privateKey: ephemeral, peer: recipient.rawRepresentation, share: share,
                recipient: recipient.rawRepresentation)
        else {
            throw AgeError.invalidRecipient(problem: "the key is a low-order point, not a real public key")
        }
        let body = try seal(fileKey, with: wrapKey)
        return AgeStanza(
            type: x25519Type, arguments: [String(decoding: AgeBase64.encodeUnpadded(share), as: UTF8.self)],
            body: body)
    }

    static func unwrap(_ stanza: AgeStanza, number: Int, with identity: AgeX25519Identity) throws -> Unwrap {
        guard stanza.type == x25519Type else { return .notMine }
        func invalid(_ problem: String) -> AgeError {
            .invalidStanza(stanza: number, type: x25519Type, problem: problem)
        }
        guard stanza.arguments.count == 1 else { throw invalid("expected exactly one argument, the ephemeral share") }
        guard let share = AgeBase64.decodeUnpadded(Array(stanza.arguments[0].utf8)), share.count == 32 else {
            throw invalid("the ephemeral share is not canonical base64 of 32 bytes")
        }
        guard stanza.body.count == wrappedKeySize else { throw invalid("the body is not 32 bytes") }
        let recipient = identity.recipient.rawRepresentation
        guard
            let wrapKey = try x25519WrapKey(
                privateKey: identity.privateKey, peer: share, share: share, recipient: recipient)
        else {
            throw invalid("the ephemeral share is a low-order point (all-zero shared secret)")
        }
        guard let fileKey = open(stanza.body, with: wrapKey) else { return .notMine }
        return .fileKey(fileKey)
    }

    // MARK: scrypt

    private static func scryptKey(_ passphrase: AgePassphrase, salt: [UInt8], workFactor: Int) throws -> SymmetricKey {
        do {
            return try KDF.Scrypt.deriveKey(
                from: passphrase.bytes, salt: scryptLabel + salt, outputByteCount: 32,
                rounds: 1 << workFactor, blockSize: 8, parallelism: 1)
        } catch {
            throw AgeError.io(operation: "derive the passphrase key", detail: "scrypt failed (out of memory?)")
        }
    }

    static func wrap(_ fileKey: SymmetricKey, passphrase: AgePassphrase, workFactor: Int) throws -> AgeStanza {
        guard (AgeEncryption.minimumWorkFactor...AgeEncryption.maximumWorkFactor).contains(workFactor) else {
            throw AgeError.workFactorOutOfRange(workFactor)
        }
        let salt = random(scryptSaltSize)
        let body = try seal(fileKey, with: try scryptKey(passphrase, salt: salt, workFactor: workFactor))
        return AgeStanza(
            type: scryptType,
            arguments: [String(decoding: AgeBase64.encodeUnpadded(salt), as: UTF8.self), String(workFactor)],
            body: body)
    }

    /// Checks an scrypt stanza's arguments and body before any work (the work factor cap in particular).
    static func checkScrypt(_ stanza: AgeStanza, number: Int) throws -> (salt: [UInt8], workFactor: Int) {
        func invalid(_ problem: String) -> AgeError {
            .invalidStanza(stanza: number, type: scryptType, problem: problem)
        }
        guard stanza.arguments.count == 2 else { throw invalid("expected exactly two arguments, salt and work factor") }
        guard let salt = AgeBase64.decodeUnpadded(Array(stanza.arguments[0].utf8)), salt.count == scryptSaltSize
        else { throw invalid("the salt is not canonical base64 of 16 bytes") }
        let digits = Array(stanza.arguments[1].utf8)
        guard let first = digits.first, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9"),
            digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { throw invalid("the work factor is not a decimal number without sign or leading zero") }
        guard digits.count <= 2, let workFactor = Int(stanza.arguments[1]),
            workFactor <= AgeEncryption.maximumWorkFactor
        else {
            throw AgeError.workFactorTooHigh(maximum: AgeEncryption.maximumWorkFactor)
        }
        guard stanza.body.count == wrappedKeySize else { throw invalid("the body is not 32 bytes") }
        return (salt, workFactor)
    }

    static func unwrap(_ stanza: AgeStanza, number: Int, with passphrase: AgePassphrase) throws -> Unwrap {
        guard stanza.type == scryptType else { return .notMine }
        let (salt, workFactor) = try checkScrypt(stanza, number: number)
        let wrapKey = try scryptKey(passphrase, salt: salt, workFactor: workFactor)
        guard let fileKey = open(stanza.body, with: wrapKey) else { return .notMine }
        return .fileKey(fileKey)
    }
}
