import Crypto
import Foundation

/// The locked key file of a workspace (`keys/identity.age`): the only place where case codes meet names.
///
/// It is an age file encrypted with the coordinator's passphrase (scrypt); its plaintext is
/// ``KeyFileContent`` — an X25519 secret key whose public half is `keys/recipient.txt`, then one JSON line
/// per person. Clerks seal new entries to the recipient (``add(slips:template:now:)``) without the
/// passphrase; the coordinator folds them in (``merge(passphrase:now:)``).
///
/// Every save is atomic (temp file beside, fsync, rename, fsync of the folder) under an exclusive lock on
/// `keys/.lock`: killed at any moment, the key file opens with either the old or the new passphrase and
/// content. Decrypted identity stays in memory: no temp file, log line or error message carries it.
/// Every unlock, lookup, find, add, merge and passwd is appended to the store's audit log (codes and
/// counts only).
public struct KeyFile: Sendable {
    public let workspace: Workspace
    /// The scrypt work factor (log2 N) for new passphrases (`init`, `passwd`); `merge` keeps the file's own.
    public var workFactor: Int
    /// How long a writer waits for the lock before giving up.
    public var lockWait: TimeInterval

    public init(workspace: Workspace, workFactor: Int = AgeEncryption.defaultWorkFactor, lockWait: TimeInterval = 10) {
        self.workspace = workspace
        self.workFactor = workFactor
        self.lockWait = lockWait
    }

    public var url: URL { workspace.keyFileURL }
    public var recipientURL: URL { workspace.recipientURL }
    /// Sealed entries waiting for ``merge(passphrase:now:)``.
    public var inboxURL: URL { workspace.keysURL.appendingPathComponent("inbox", isDirectory: true) }
    /// Entries a merge could not take, sealed to the recipient for the key holder.
    public var heldURL: URL { workspace.keysURL.appendingPathComponent("held", isDirectory: true) }
    public var lockURL: URL { workspace.keysURL.appendingPathComponent(".lock") }

    /// The file's path relative to the workspace, for messages.
    var displayPath: String { "keys/identity.age" }

    /// Whether the key file exists.
    public var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Throws ``KeyFileError/missing(path:)`` when there is no key file (checked before asking a passphrase).
    public func requireExisting() throws(KeyFileError) {
        guard exists else { throw .missing(path: displayPath) }
    }

    // MARK: init

    /// Creates the key file with a new X25519 key pair and writes its public half to `keys/recipient.txt`.
    ///
    /// The key file is written first: a crash before the recipient file leaves a key file and no recipient,
    /// which ``merge(passphrase:now:)`` restores — never a recipient without its secret key.
    @discardableResult
    public func create(passphrase: AgePassphrase, now: Date = Date()) throws -> AgeX25519Recipient {
        try FileSystem.createDirectory(workspace.keysURL, mode: 0o700)
        let lock = try FileLock(lockURL, wait: lockWait)
        defer { lock.release() }
        if exists { throw KeyFileError.alreadyExists(path: displayPath) }
        let identity = AgeX25519Identity.generate()
        var content = KeyFileContent(identity: identity, savedAt: Timestamp.iso8601(now))
        let store = try workspace.openStore()
        // The recipient is pinned in the hash-chained audit log: `key add` refuses a recipient.txt that
        // differs (a clerk's attacker could swap in a key of their own).
        let entry = try AuditLog.append(
            to: store, action: .keyInit, detail: ["entries": "0", "recipient": identity.recipient.description],
            now: now)
        content.auditMark = AuditMark(seq: entry.seq, hash: entry.hash)
        try save(content, passphrase: passphrase, workFactor: workFactor)
        try writeRecipient(identity.recipient)
        return identity.recipient
    }

    // MARK: Opening

    /// Decrypts and parses the key file without touching anything else (no audit entry): for tests and for
    /// callers that audit themselves.
    public static func open(_ url: URL, passphrase: AgePassphrase, displayPath: String? = nil) throws(KeyFileError)
        -> KeyFileContent
    {
        let path = displayPath ?? url.path
        let file: Data
        do {
            file = try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) { throw .missing(path: path) }
            throw .io(path: path, detail: "cannot read the file (check its permissions)")
        }
        var plaintext: Data
        do {
            plaintext = try AgeEncryption.decrypt(file, identities: [.passphrase(passphrase)])
        } catch AgeError.wrongPassphrase {
            throw .wrongPassphrase(path: path)
        } catch AgeError.noMatchingIdentity {
            throw .damaged(path: path, failure: .noMatchingIdentity(fileNeedsPassphrase: false))
        } catch let error as AgeError {
            throw .damaged(path: path, failure: error)
        } catch {
            throw .io(path: path, detail: "cannot decrypt")
        }
        defer { wipe(&plaintext) }
        return try KeyFileContent.parse(plaintext, path: path)
    }

    /// Opens the key file and records the unlock in the audit log.
    public func unlock(passphrase: AgePassphrase, now: Date = Date()) throws -> KeyFileContent {
        try requireExisting()
        let content = try Self.open(url, passphrase: passphrase, displayPath: displayPath)
        try AuditLog.append(
            to: try workspace.openStore(), action: .keyUnlock, detail: ["entries": String(content.entries.count)],
            now: now)
        return content
    }

    /// The audit log's last sequence number recorded in the key file at its last save, for
    /// ``AuditLog/verify(_:knownLength:)`` (a later `separa audit verify`).
    public func auditMark(passphrase: AgePassphrase) throws(KeyFileError) -> AuditMark? {
        try requireExisting()
        return try Self.open(url, passphrase: passphrase, displayPath: displayPath).auditMark
    }

    /// What ``verifyAuditLog(passphrase:now:)`` found.
    public struct AuditVerification: Sendable {
        /// Every break in the chain (empty when the log is intact).
        public let breaks: [AuditLog.Break]
        /// Whether the log was also checked against the key file's record of it (files saved by older
        /// versions hold none).
        public let checkedMark: Bool
    }

    /// `audit verify --key`: walks the audit log's chain and checks it against the entry the key file
    /// recorded at its last save (which catches a log cut short or rewritten with every hash recomputed).
    /// Opening the key file is itself audited (`key-unlock`), after the check.
    public func verifyAuditLog(passphrase: AgePassphrase, now: Date = Date()) throws -> AuditVerification {
        let store = try workspace.openStore()
        try requireExisting()
        let content = try Self.open(url, passphrase: passphrase, displayPath: displayPath)
        let mark = content.auditMark
        let breaks = try AuditLog.verify(
            store, mark: mark ?? AuditMark(seq: 0, hash: AuditEntry.genesis), sealKey: content.auditSealKey)
        try AuditLog.append(to: store, action: .keyUnlock, detail: ["purpose": "audit verify"], now: now)
        return AuditVerification(breaks: breaks, checkedMark: mark != nil)
    }

    // MARK: lookup and find

    /// What ``lookup(_:passphrase:now:)`` found.
    public enum LookupResult: Sendable {
        /// The person whose current code it is.
        case current(KeyEntry)
        /// The code was replaced: the entry is the person's, under a newer code.
        case replaced(KeyEntry)
        /// No person is linked to the code (or only sealed in the inbox, not merged yet).
        case none
    }

    /// Finds the person linked to `code` (any spelling `CaseCode.parse` accepts); audited with the code.
    public func lookup(_ code: String, passphrase: AgePassphrase, now: Date = Date()) throws -> LookupResult {
        let parsed = try CaseCode.parse(code, expectedRandomLength: workspace.config.codes.randomLength)
        let content = try unlock(passphrase: passphrase, now: now)
        let result: LookupResult
        if let entry = content.entries[parsed.canonical] {
            result = .current(entry)
        } else if let entry = content.entry(for: parsed.canonical) {
            result = .replaced(entry)
        } else {
            result = .none
        }
        let found: Bool
        if case .none = result { found = false } else { found = true }
        try AuditLog.append(
            to: try workspace.openStore(), action: .keyLookup, codes: [parsed.canonical],
            detail: ["found": found ? "1" : "0"], now: now)
        return result
    }

    /// The people whose identity fields contain `text` (case, accents and spacing ignored); audited with the
    /// codes found and their count, never the text searched.
    public func find(_ text: String, passphrase: AgePassphrase, now: Date = Date()) throws -> [KeyEntry] {
        let content = try unlock(passphrase: passphrase, now: now)
        let found = content.find(text)
        try AuditLog.append(
            to: try workspace.openStore(), action: .keyFind, codes: found.map(\.code),
            detail: ["found": String(found.count)], now: now)
        return found
    }

    // MARK: passwd

    /// Replaces the passphrase (and re-encrypts with a new file key), atomically: killed at any moment, the
    /// file opens with the old passphrase or the new one.
    public func changePassphrase(from old: AgePassphrase, to new: AgePassphrase, now: Date = Date()) throws {
        try changePassphrase(from: old, to: { new }, now: now)
    }

    /// Like ``changePassphrase(from:to:now:)``, asking for the new passphrase only once the old one has
    /// opened the file (one scrypt derivation fewer than checking the old passphrase separately).
    public func changePassphrase(
        from old: AgePassphrase, to newPassphrase: () throws -> AgePassphrase, now: Date = Date()
    ) throws {
        try requireExisting()
        let lock = try FileLock(lockURL, wait: lockWait)
        defer { lock.release() }
        var content = try Self.open(url, passphrase: old, displayPath: displayPath)
        let new = try newPassphrase()
        let store = try workspace.openStore()
        try AuditLog.append(to: store, action: .keyUnlock, detail: ["entries": String(content.entries.count)], now: now)
        let entry = try AuditLog.append(
            to: store, action: .keyPasswd, detail: ["entries": String(content.entries.count)], now: now)
        content.auditMark = AuditMark(seq: entry.seq, hash: entry.hash)
        content.savedAt = Timestamp.iso8601(now)
        try save(content, passphrase: new, workFactor: workFactor)
    }

    // MARK: Saving

    /// Encrypts `content` with `passphrase` and replaces the key file atomically. The caller holds the lock.
    func save(_ content: KeyFileContent, passphrase: AgePassphrase, workFactor: Int) throws {
        removeStaleTemporaries()
        var plaintext = content.encoded()
        defer { Self.wipe(&plaintext) }
        let writer = try AtomicFileWriter(url, mode: 0o600)
        do {
            let encryptor = try AgeEncryptor(recipients: [.passphrase(passphrase, workFactor: workFactor)]) {
                try writer.write($0)
            }
            try encryptor.write(plaintext)
            try encryptor.finish()
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Removes the temp files a save killed before its rename left beside the key file (`.identity.age.tmp-…`:
    /// encrypted, but a second copy of old content). The caller holds the lock, so no save is under way.
    func removeStaleTemporaries() {
        let folder = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent).tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The scrypt work factor the key file was written with (read from its header, without the passphrase).
    func currentWorkFactor() -> Int? {
        guard let data = try? Data(contentsOf: url),
            let header = try? AgeHeader.parse(AgeByteReader(AgeDataInput(data))),
            let stanza = header.stanzas.first, stanza.type == AgeStanzaCrypto.scryptType,
            stanza.arguments.count == 2
        else { return nil }
        return Int(stanza.arguments[1])
    }

    func writeRecipient(_ recipient: AgeX25519Recipient) throws {
        let text = "# The public key new identity slips are sealed to (separa key add). Not secret.\n\(recipient)\n"
        try FileSystem.writeAtomically(Data(text.utf8), to: recipientURL, mode: 0o644)
    }

    /// The recipient pinned in the audit log by `key init` (or by the first `key merge` of a workspace made
    /// before pinning), or nil when none is.
    public func pinnedRecipient(in store: Store) throws -> String? {
        try AuditLog.entries(in: store, actions: [.keyInit, .keyPin]).last
            .flatMap { AuditLog.detailValue("recipient", in: $0) }
    }

    /// The recipient `key add` may seal to: `keys/recipient.txt`, refused unless it is the one pinned in
    /// the audit log. With no pin yet (a workspace from before pinning) the file is taken as it is; the
    /// next `key merge` pins the key file's own.
    public func verifiedRecipient(in store: Store) throws -> AgeX25519Recipient {
        let recipient = try recipient()
        if let pinned = try pinnedRecipient(in: store), pinned != recipient.description {
            throw KeyFileError.recipientNotPinned(path: "keys/recipient.txt")
        }
        return recipient
    }

    /// A short, stable fingerprint of a recipient to read aloud or compare by eye (`3f2a-91c0`): the first
    /// four bytes of the SHA-256 of its `age1…` text.
    public static func fingerprint(_ recipient: AgeX25519Recipient) -> String {
        let digest = Array(SHA256.hash(data: Data(recipient.description.utf8)))
        let hex = digest.prefix(4).hexadecimal
        return "\(hex.prefix(4))-\(hex.suffix(4))"
    }

    /// The recipient new entries are sealed to (`keys/recipient.txt`).
    public func recipient() throws -> AgeX25519Recipient {
        guard let data = FileManager.default.contents(atPath: recipientURL.path) else {
            throw KeyFileError.missingRecipient(path: "keys/recipient.txt")
        }
        do {
            guard let first = try AgeKeyFile.recipients(fromText: String(decoding: data, as: UTF8.self)).first else {
                throw KeyFileError.missingRecipient(path: "keys/recipient.txt")
            }
            return first
        } catch let error as AgeError {
            throw KeyFileError.io(path: "keys/recipient.txt", detail: "\(error)")
        }
    }

    /// Overwrites a buffer that held plaintext. `Data` may have been copied before (Foundation gives no
    /// guarantee), so this narrows, but does not close, the window in which identity sits in freed memory.
    static func wipe(_ data: inout Data) {
        data.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            memset(base, 0, raw.count)
        }
    }
}
