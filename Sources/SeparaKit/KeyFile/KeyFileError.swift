import Foundation

/// Why a key-file operation failed.
///
/// Messages name the file, the line or the inbox file and say what to do next, but never contain a value
/// from the key file or from an identity slip (names, phones…), nor a passphrase or key.
public enum KeyFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `keys/identity.age` already exists; `key init` never replaces it.
    case alreadyExists(path: String)
    /// There is no key file yet.
    case missing(path: String)
    /// There is no recipient file (`keys/recipient.txt`) to seal new entries to.
    case missingRecipient(path: String)
    /// The passphrase does not open the key file. Nothing was written.
    case wrongPassphrase(path: String)
    /// The file failed to decrypt: `age` names what failed (header, header MAC, payload chunk n).
    case damaged(path: String, failure: AgeError)
    /// The decrypted content is not a Separa key file; `line` is 1-based in the plaintext.
    case malformed(path: String, line: Int, problem: String)
    /// The plaintext is a newer key-file version than this tool reads.
    case unsupportedVersion(path: String)
    /// The recipient file does not match the key file's own key pair.
    case recipientMismatch(path: String)
    /// The recipient file is not the recipient pinned in the audit log: slips sealed to it could be read by
    /// whoever swapped it in.
    case recipientNotPinned(path: String)
    /// Another writer holds the lock on `keys/.lock`.
    case busy(path: String)
    /// Reading or writing failed; `detail` comes from the system.
    case io(path: String, detail: String)

    public var description: String {
        switch self {
        case .alreadyExists(let path):
            return
                "\(path) already exists; a key file is never replaced (change its passphrase with 'separa key passwd')"
        case .missing(let path):
            return "\(path) does not exist; the coordinator creates it with 'separa key init'"
        case .missingRecipient(let path):
            return "\(path) does not exist; the coordinator creates it with 'separa key init'"
        case .wrongPassphrase(let path):
            return
                "\(path): wrong passphrase (check keyboard layout and caps lock); nothing was read or written"
        case .damaged(let path, let failure):
            return "\(path): \(failure); restore the key file from a backup"
        case .malformed(let path, let line, let problem):
            return
                "\(path): decrypted line \(line): \(problem); the content is not a Separa key file (see README, \"The key file\")"
        case .unsupportedVersion(let path):
            return "\(path): written by a newer version of Separa (only 'separa key file v1' is read); update Separa"
        case .recipientMismatch(let path):
            return
                "\(path) does not match the key file's key pair; entries sealed to it could not be merged (restore it from the key file: see README)"
        case .recipientNotPinned(let path):
            return
                "\(path) is not the key the key file was created with: nothing was sealed; call the coordinator (someone may have replaced it to read the slips)"
        case .busy(let path):
            return "another 'separa key' command is writing (\(path) is locked); wait for it to finish and try again"
        case .io(let path, let detail):
            return "\(path): \(detail)"
        }
    }
}
