import Foundation

/// How a rejoin's output is protected.
public enum ReidentifiedOutput: Sendable {
    /// age-encrypted to these X25519 recipients (`age1…`); at least one.
    case recipients([AgeX25519Recipient])
    /// age-encrypted with a passphrase (scrypt at `workFactor`).
    case passphrase(AgePassphrase, workFactor: Int)
    /// A plain CSV file: names next to sensitive data, to be deleted after use.
    case plaintext

    /// The kind, as the audit log records it.
    public var kind: String {
        switch self {
        case .recipients: return "recipients"
        case .passphrase: return "passphrase"
        case .plaintext: return "plaintext"
        }
    }

    /// The extension the output file must have: `.age`, or `.csv` for plaintext.
    public var fileExtension: String {
        if case .plaintext = self { return ".csv" }
        return ".age"
    }
}

/// A file that holds identity next to what the key file or the store knows: written with mode 0600 under a
/// temporary name, age-encrypted as it is written (unless plaintext was asked), and put in place only by
/// ``commit()``. The one way Separa writes a re-identified output (`rejoin`, `key lookup --output`,
/// `key find --output`).
public final class ReidentifiedFile {
    private let writer: AtomicFileWriter
    private let encryptor: AgeEncryptor?

    /// The file as it will be once committed.
    public var destination: URL { writer.destination }

    public init(_ destination: URL, output: ReidentifiedOutput) throws {
        let writer = try AtomicFileWriter(destination, mode: 0o600)
        self.writer = writer
        do {
            switch output {
            case .recipients(let list):
                encryptor = try AgeEncryptor(recipients: list.map { .x25519($0) }) { try writer.write($0) }
            case .passphrase(let passphrase, let workFactor):
                encryptor = try AgeEncryptor(recipients: [.passphrase(passphrase, workFactor: workFactor)]) {
                    try writer.write($0)
                }
            case .plaintext:
                encryptor = nil
            }
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Writes `bytes` (encrypted unless plaintext); the plaintext copy made for the encryptor is wiped.
    public func write(_ bytes: [UInt8]) throws {
        guard let encryptor else {
            try writer.write(bytes)
            return
        }
        var data = Data(bytes)
        defer { KeyFile.wipe(&data) }
        try encryptor.write(data)
    }

    /// Ends the encryption and makes the file durable under its temporary name: complete on disk, not yet
    /// in place (so that an audit entry can be committed first).
    public func finish() throws {
        try encryptor?.finish()
        try writer.sync()
    }

    /// Puts the file in place.
    public func commit() throws { try writer.commit() }

    /// Removes the temporary file; nothing is left at the destination.
    public func abandon() { writer.abandon() }
}

extension KeyFile {
    /// Writes identity text that `key lookup` or `key find` found to `destination`, age-encrypted to
    /// `recipients` (`age1…`; default: the key file's own recipient). All of it or nothing.
    public func writeFound(_ text: String, to destination: URL, recipients: [String]) throws {
        let list = try recipients.isEmpty ? [recipient()] : recipients.map { try AgeX25519Recipient($0) }
        var bytes = Array(text.utf8)
        defer { for index in bytes.indices { bytes[index] = 0 } }
        let file = try ReidentifiedFile(destination, output: .recipients(list))
        do {
            try file.write(bytes)
            try file.finish()
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }
}
