/// Why an age file could not be written or opened.
///
/// Messages name what failed (the header line, the header MAC, the payload chunk, the armor line) and what
/// to do next, but never contain key material, a passphrase, a stanza's bytes or plaintext.
public enum AgeError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: Header failures

    /// The input does not start with an age header (`age-encryption.org/…`), or is empty.
    case notAgeFile
    /// The file is an age file of a version other than v1.
    case unsupportedVersion
    /// Header line `line` (1-based, counted in the decoded header) breaks the v1 grammar; `problem` says how.
    case malformedHeader(line: Int, problem: String)
    /// The header is larger than ``Age/maximumHeaderSize``.
    case headerTooLarge
    /// Stanza `stanza` (1-based) of a type this implementation reads (`X25519`, `scrypt`) is malformed.
    case invalidStanza(stanza: Int, type: String, problem: String)
    /// A scrypt stanza asks for a work factor (log2 N) above what is accepted when reading.
    case workFactorTooHigh(maximum: Int)
    /// An scrypt stanza is present alongside other stanzas, which the spec forbids.
    case scryptNotAlone
    /// The 16-byte payload nonce after the header is missing or short.
    case missingPayloadNonce

    // MARK: Header MAC failure

    /// A file key was unwrapped but the header MAC does not match: the header was altered.
    case headerMACMismatch

    // MARK: No match

    /// None of the given identities can unwrap the file key. `fileNeedsPassphrase` is true when the file was
    /// encrypted with a passphrase but none was given.
    case noMatchingIdentity(fileNeedsPassphrase: Bool)
    /// The file is passphrase-encrypted and the passphrase (or every passphrase given) is wrong.
    case wrongPassphrase

    // MARK: Payload failures

    /// Payload chunk `chunk` (1-based, of 64 KiB) failed; plaintext of earlier chunks may have been released.
    case payloadFailure(chunk: Int, problem: PayloadProblem)

    // MARK: Armor failures

    /// The ASCII armor is not strict PEM `AGE ENCRYPTED FILE`; `line` is 1-based in the armored text.
    case armorFailure(line: Int, problem: String)

    // MARK: Usage

    /// Encryption was asked with no recipient.
    case noRecipients
    /// Decryption was asked with no identity.
    case noIdentities
    /// A passphrase recipient was mixed with other recipients (the spec forbids it).
    case passphraseWithOtherRecipients
    /// An empty passphrase was given.
    case emptyPassphrase
    /// A scrypt work factor outside the range this implementation writes.
    case workFactorOutOfRange(Int)
    /// A recipient string is not an `age1…` X25519 recipient; `problem` says why (the string is not repeated).
    case invalidRecipient(problem: String)
    /// An identity is not an `AGE-SECRET-KEY-1…` X25519 identity; `line` is 1-based in its file when known.
    case invalidIdentity(line: Int?, problem: String)
    /// The recipient, identity or identity file is of a kind this implementation does not support (for example
    /// post-quantum keys, or an identity file that is itself encrypted).
    case unsupportedKeyType(String)
    /// Writing after ``AgeEncryptor/finish()``.
    case encryptorFinished

    // MARK: Input and output

    /// Reading or writing failed; `detail` comes from the system.
    case io(operation: String, detail: String)

    /// Problems found in the STREAM payload.
    public enum PayloadProblem: String, Equatable, Sendable {
        /// ChaCha20-Poly1305 authentication failed: the chunk was altered or truncated.
        case authenticationFailed
        /// The input ended before a chunk marked final.
        case truncated
        /// A chunk is shorter than its 16-byte tag.
        case chunkTooShort
        /// The final chunk is empty although earlier chunks exist.
        case emptyFinalChunk
        /// Bytes follow the final chunk.
        case trailingData
    }

    /// The failure classes of the age testkit; errors outside them are ``usage`` or ``io``.
    public enum FailureClass: String, Equatable, Sendable {
        case header, headerMAC, noMatch, payload, armor, usage, io
    }

    /// The testkit class this error belongs to.
    public var failureClass: FailureClass {
        switch self {
        case .notAgeFile, .unsupportedVersion, .malformedHeader, .headerTooLarge, .invalidStanza,
            .workFactorTooHigh, .scryptNotAlone, .missingPayloadNonce:
            return .header
        case .headerMACMismatch: return .headerMAC
        case .noMatchingIdentity, .wrongPassphrase: return .noMatch
        case .payloadFailure: return .payload
        case .armorFailure: return .armor
        case .noRecipients, .noIdentities, .passphraseWithOtherRecipients, .emptyPassphrase,
            .workFactorOutOfRange, .invalidRecipient, .invalidIdentity, .unsupportedKeyType, .encryptorFinished:
            return .usage
        case .io: return .io
        }
    }

    public var description: String {
        switch self {
        case .notAgeFile:
            return "not an age file: the age header (age-encryption.org/v1) is missing"
        case .unsupportedVersion:
            return "age header: unsupported version (only age-encryption.org/v1 is read)"
        case .malformedHeader(let line, let problem):
            return "age header, line \(line): \(problem); the file is damaged or was changed in transit"
        case .headerTooLarge:
            return "age header: larger than \(AgeEncryption.maximumHeaderSize / 1024) KiB; not a file this tool writes"
        case .invalidStanza(let stanza, let type, let problem):
            return "age header, recipient stanza \(stanza) (\(type)): \(problem); the file is damaged"
        case .workFactorTooHigh(let maximum):
            return
                "age header: the passphrase work factor is above the accepted 2^\(maximum) (it could exhaust memory and time); the file was not written by Separa or age"
        case .scryptNotAlone:
            return
                "age header: a passphrase (scrypt) stanza is mixed with other recipients, which age forbids; the file was tampered with"
        case .missingPayloadNonce:
            return "age header: the payload nonce after the header is missing; the file is truncated"
        case .headerMACMismatch:
            return "age header MAC does not match: the header was changed after encryption; do not trust this file"
        case .noMatchingIdentity(true):
            return "no identity matches: the file is encrypted with a passphrase; decrypt it with a passphrase"
        case .noMatchingIdentity(false):
            return "no identity matches: none of the given keys is a recipient of this file; check the identity file"
        case .wrongPassphrase:
            return "wrong passphrase: the passphrase does not unlock this file (check keyboard layout and caps lock)"
        case .payloadFailure(let chunk, let problem):
            let what: String
            switch problem {
            case .authenticationFailed: what = "failed authentication (altered or damaged)"
            case .truncated: what = "is missing: the file is truncated"
            case .chunkTooShort: what = "is shorter than its authentication tag: the file is truncated"
            case .emptyFinalChunk: what = "is an empty final chunk, which age forbids after data"
            case .trailingData: what = "is followed by unexpected data after the end of the file"
            }
            return
                "age payload chunk \(chunk) \(what); any output written before this point is incomplete and must not be trusted"
        case .armorFailure(let line, let problem):
            return "age armor, line \(line): \(problem); the armored text was damaged or edited"
        case .noRecipients:
            return "no recipients: give a passphrase, a recipient (age1…) or a recipients file"
        case .noIdentities:
            return "no identities: give an identity file or a passphrase"
        case .passphraseWithOtherRecipients:
            return "a passphrase cannot be combined with other recipients in one age file"
        case .emptyPassphrase:
            return "the passphrase is empty; choose a long passphrase"
        case .workFactorOutOfRange(let value):
            return
                "scrypt work factor \(value) is out of range (\(AgeEncryption.minimumWorkFactor)–\(AgeEncryption.maximumWorkFactor))"
        case .invalidRecipient(let problem):
            return "invalid recipient: \(problem); recipients look like age1… (62 characters)"
        case .invalidIdentity(let line?, let problem):
            return "identity file, line \(line): \(problem); identities look like AGE-SECRET-KEY-1…"
        case .invalidIdentity(nil, let problem):
            return "invalid identity: \(problem); identities look like AGE-SECRET-KEY-1…"
        case .unsupportedKeyType(let kind):
            return "not supported: \(kind); use an X25519 key (age1… / AGE-SECRET-KEY-1…) or a passphrase"
        case .encryptorFinished:
            return "internal error: data written after the age file was finished"
        case .io(let operation, let detail):
            return "cannot \(operation): \(detail)"
        }
    }
}
