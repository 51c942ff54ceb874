import Crypto
import Foundation

/// An X25519 public key to encrypt to, written `age1…` (Bech32).
public struct AgeX25519Recipient: Hashable, Sendable, CustomStringConvertible {
    /// The 32-byte Curve25519 public key.
    public let rawRepresentation: [UInt8]

    static let hrp = "age"

    /// Parses an `age1…` recipient. The string is never repeated in the error.
    public init(_ string: String) throws {
        let trimmed = string.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("age1pq1") || trimmed.lowercased().hasPrefix("age1tag") {
            throw AgeError.unsupportedKeyType("post-quantum or hardware (age1pq1… / age1tag1…)")
        }
        if trimmed.hasPrefix("ssh-") { throw AgeError.unsupportedKeyType("SSH") }
        guard let (hrp, data) = Bech32.decode(trimmed) else {
            throw AgeError.invalidRecipient(problem: "not valid Bech32 (a character is wrong or missing)")
        }
        guard hrp == Self.hrp, trimmed == trimmed.lowercased() else {
            throw AgeError.invalidRecipient(problem: "does not start with age1")
        }
        guard data.count == 32 else { throw AgeError.invalidRecipient(problem: "the key is not 32 bytes") }
        self.rawRepresentation = data
    }

    init(rawRepresentation: [UInt8]) { self.rawRepresentation = rawRepresentation }

    /// The `age1…` form.
    public var description: String { Bech32.encode(hrp: Self.hrp, data: rawRepresentation) }
}

/// An X25519 secret key that decrypts files encrypted to its ``recipient``, written `AGE-SECRET-KEY-1…`.
///
/// Its `description` shows only the public recipient; the secret form is ``secretKeyString``.
public struct AgeX25519Identity: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let privateKey: Curve25519.KeyAgreement.PrivateKey

    static let hrp = "AGE-SECRET-KEY-"

    /// A new identity from the system's secure random generator.
    public static func generate() -> AgeX25519Identity {
        AgeX25519Identity(privateKey: Curve25519.KeyAgreement.PrivateKey())
    }

    init(privateKey: Curve25519.KeyAgreement.PrivateKey) { self.privateKey = privateKey }

    /// Parses an `AGE-SECRET-KEY-1…` identity. The string is never repeated in the error.
    public init(_ string: String) throws {
        let trimmed = string.trimmingCharacters(in: .whitespaces)
        if trimmed.uppercased().hasPrefix("AGE-SECRET-KEY-PQ-1") {
            throw AgeError.unsupportedKeyType("post-quantum (AGE-SECRET-KEY-PQ-1…)")
        }
        if trimmed.uppercased().hasPrefix("AGE-PLUGIN-") { throw AgeError.unsupportedKeyType("plugin") }
        guard let (hrp, data) = Bech32.decode(trimmed) else {
            throw AgeError.invalidIdentity(line: nil, problem: "not valid Bech32 (a character is wrong or missing)")
        }
        guard hrp == Self.hrp.lowercased(), trimmed == trimmed.uppercased() else {
            throw AgeError.invalidIdentity(line: nil, problem: "does not start with AGE-SECRET-KEY-1")
        }
        guard data.count == 32, let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: data) else {
            throw AgeError.invalidIdentity(line: nil, problem: "the key is not 32 bytes")
        }
        self.privateKey = key
    }

    /// The public recipient of this identity.
    public var recipient: AgeX25519Recipient {
        AgeX25519Recipient(rawRepresentation: Array(privateKey.publicKey.rawRepresentation))
    }

    /// The secret `AGE-SECRET-KEY-1…` form; handle as key material.
    public var secretKeyString: String {
        Bech32.encode(hrp: Self.hrp, data: Array(privateKey.rawRepresentation))
    }

    /// The text of an age identity file (as `age-keygen` writes it): creation time, public key, secret key.
    public func identityFileText(created: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return """
            # created: \(formatter.string(from: created))
            # public key: \(recipient)
            \(secretKeyString)

            """
    }

    public var description: String { "X25519 identity for \(recipient)" }
    public var debugDescription: String { description }
}

/// A passphrase for scrypt recipients and identities. Its `description` never shows it.
public struct AgePassphrase: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let bytes: [UInt8]

    /// A passphrase from text (used as its UTF-8 bytes, as age does); fails when empty.
    public init(_ text: String) throws {
        try self.init(bytes: Array(text.utf8))
    }

    /// A passphrase from raw bytes; fails when empty.
    public init(bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { throw AgeError.emptyPassphrase }
        self.bytes = bytes
    }

    /// The passphrase in the first line of the file at `path` (without its line end): the one way Separa
    /// reads a passphrase file, for the key commands and `separa age` alike. The bytes read are wiped.
    public init(firstLineOf path: String) throws(PassphraseFileError) {
        guard var data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        defer { data.withUnsafeMutableBytes { raw in raw.initializeMemory(as: UInt8.self, repeating: 0) } }
        var bytes = Array(data.prefix { $0 != 0x0A })
        defer { for index in bytes.indices { bytes[index] = 0 } }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else { throw .empty(path: path) }
        self.bytes = bytes
    }

    public var description: String { "passphrase (hidden)" }
    public var debugDescription: String { description }
}

/// Why a passphrase file gives no passphrase.
public enum PassphraseFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String)
    /// Its first line is empty.
    case empty(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path): return "\(path): cannot read the passphrase file"
        case .empty(let path): return "\(path): the first line of the passphrase file is empty"
        }
    }
}

/// Who can open a file being encrypted.
public enum AgeRecipient: Sendable {
    /// The holder of the matching X25519 identity.
    case x25519(AgeX25519Recipient)
    /// Whoever knows the passphrase; `workFactor` is log2 of scrypt's N (``Age/defaultWorkFactor`` = 18).
    /// Must be the only recipient of a file.
    case passphrase(AgePassphrase, workFactor: Int = AgeEncryption.defaultWorkFactor)
}

/// What can open a file being decrypted.
public enum AgeIdentity: Sendable {
    /// An X25519 secret key.
    case x25519(AgeX25519Identity)
    /// A passphrase, tried against a scrypt stanza.
    case passphrase(AgePassphrase)
    /// A passphrase asked for only when the file turns out to be passphrase-encrypted (for example at a
    /// terminal), so that nobody is asked for a passphrase a file does not need.
    case passphraseOnDemand(@Sendable () throws -> AgePassphrase)
}

/// Reading identity and recipient files as the `age` tool does: one key a line, `#` comments and blank
/// lines skipped.
public enum AgeKeyFile {
    /// Parses an identity file (as written by `age-keygen` or ``AgeX25519Identity/identityFileText(created:)``).
    public static func identities(fromText text: String) throws -> [AgeX25519Identity] {
        let start = text.drop { $0.isWhitespace }
        if start.hasPrefix("age-encryption.org/") || start.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----") {
            throw AgeError.unsupportedKeyType("passphrase-protected identity file (decrypt it first)")
        }
        if start.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----") || start.hasPrefix("-----BEGIN RSA PRIVATE KEY-----")
        {
            throw AgeError.unsupportedKeyType("SSH")
        }
        var identities: [AgeX25519Identity] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                identities.append(try AgeX25519Identity(line))
            } catch AgeError.invalidIdentity(_, let problem) {
                throw AgeError.invalidIdentity(line: index + 1, problem: problem)
            }
        }
        if identities.isEmpty { throw AgeError.invalidIdentity(line: nil, problem: "the identity file holds no key") }
        return identities
    }

    /// Parses a recipients file: one `age1…` recipient a line.
    public static func recipients(fromText text: String) throws -> [AgeX25519Recipient] {
        var recipients: [AgeX25519Recipient] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                recipients.append(try AgeX25519Recipient(line))
            } catch AgeError.invalidRecipient(let problem) {
                throw AgeError.invalidRecipient(problem: "line \(index + 1): \(problem)")
            }
        }
        if recipients.isEmpty { throw AgeError.invalidRecipient(problem: "the recipients file holds no recipient") }
        return recipients
    }
}
