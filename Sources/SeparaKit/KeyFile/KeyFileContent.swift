import Crypto
import Foundation

/// One person in the key file: a case code and what their identity slip says.
///
/// Lives only in memory and inside age-encrypted files; it has no `description` that shows its values.
public struct KeyEntry: Codable, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The canonical case code (no hyphens).
    public var code: String
    /// The template whose identity slip was transcribed (e.g. `intake`).
    public var template: String
    /// The identity-slip fields by field name (`given_name`, `family_name`, `phone`…); blank ones left out.
    public var fields: [String: String]
    /// When the entry was added (`key add`), ISO 8601 UTC.
    public var addedAt: String
    /// Codes this person held before (reissues), oldest first.
    public var history: [KeyHistoryEvent]

    enum CodingKeys: String, CodingKey {
        case code, template, fields
        case addedAt = "added_at"
        case history
    }

    public init(
        code: String, template: String, fields: [String: String], addedAt: String, history: [KeyHistoryEvent] = []
    ) {
        self.code = code
        self.template = template
        self.fields = fields
        self.addedAt = addedAt
        self.history = history
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        template = try container.decode(String.self, forKey: .template)
        fields = try container.decode([String: String].self, forKey: .fields)
        addedAt = try container.decode(String.self, forKey: .addedAt)
        history = try container.decodeIfPresent([KeyHistoryEvent].self, forKey: .history) ?? []
    }

    /// Every code this person is known by: the current one and the earlier ones.
    public var allCodes: [String] { [code] + history.map(\.from) }

    public var description: String { "key entry for \(CodeFormat.group(code)) (fields hidden)" }
    public var debugDescription: String { description }
}

/// One reissue: the person's code `from` was replaced by `to`.
public struct KeyHistoryEvent: Codable, Hashable, Sendable {
    public var from: String
    public var to: String
    /// Why: `lost`, `exposed`, `duplicate` or `other` (``ReissueReason``); never a name.
    public var reason: String
    /// ISO 8601 UTC.
    public var at: String

    public init(from: String, to: String, reason: String, at: String) {
        self.from = from
        self.to = to
        self.reason = reason
        self.at = at
    }
}

/// The decrypted key file: the X25519 key pair that inbox files are sealed to, the people, and the audit mark.
///
/// The plaintext format (v1), readable with `age -d keys/identity.age` in an emergency:
///
///     # separa key file v1
///     # One JSON object a line after the secret key; see README, "The key file".
///     AGE-SECRET-KEY-1…
///     {"saved_at":"2026-…","audit_seq":12,"audit_hash":"…"}
///     {"code":"K7M29QX4HT3C","template":"intake","fields":{"given_name":"…"},"added_at":"…","history":[]}
///
/// Line 1 is exactly the version line; other `#` lines are comments; exactly one `AGE-SECRET-KEY-1…`
/// line; the first JSON line holds `saved_at` (and the audit mark once there is one); every further JSON
/// line is a person, sorted by code. Blank lines are ignored.
public struct KeyFileContent: Sendable {
    /// The version line, first in every key file.
    public static let versionLine = "# separa key file v1"

    /// The secret half of the key pair whose public half is `keys/recipient.txt`.
    public var identity: AgeX25519Identity
    /// The people, by canonical code.
    public private(set) var entries: [String: KeyEntry]
    /// Earlier codes → current code, so that a lookup of a replaced code does not scan every entry.
    private var replacedBy: [String: String] = [:]
    /// Where the audit log stood at the last save, when known.
    public var auditMark: AuditMark?
    /// When the file was last saved, ISO 8601 UTC.
    public var savedAt: String

    public init(identity: AgeX25519Identity, entries: [KeyEntry] = [], auditMark: AuditMark? = nil, savedAt: String) {
        self.identity = identity
        self.entries = Dictionary(entries.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.auditMark = auditMark
        self.savedAt = savedAt
        indexHistory()
    }

    private mutating func indexHistory() {
        replacedBy = [:]
        for entry in entries.values where !entry.history.isEmpty {
            for event in entry.history { replacedBy[event.from] = entry.code }
        }
    }

    /// The entries sorted by code.
    public var sortedEntries: [KeyEntry] {
        // Codes are ASCII: byte order is String order, and cheaper to compare.
        entries.values.sorted { $0.code.utf8.lexicographicallyPrecedes($1.code.utf8) }
    }

    /// The entry for `code`, current or earlier (a reissued code finds the person under the new one).
    public func entry(for code: String) -> KeyEntry? {
        if let entry = entries[code] { return entry }
        return replacedBy[code].flatMap { entries[$0] }
    }

    /// Whether `code` is linked to a person already, as current or earlier code.
    public func links(_ code: String) -> Bool { entry(for: code) != nil }

    /// Adds `entry`; returns false (and changes nothing) when its code is linked already.
    @discardableResult
    public mutating func add(_ entry: KeyEntry) -> Bool {
        guard !links(entry.code) else { return false }
        entries[entry.code] = entry
        for event in entry.history { replacedBy[event.from] = entry.code }
        return true
    }

    /// The current code of a person whose earlier code was `code` (nil when `code` was never replaced).
    public func currentCode(replacing code: String) -> String? { replacedBy[code] }

    /// Gives the person whose current code is `old` the code `new`, keeping `old → new` in their history
    /// (the only place the two codes meet). Returns false, changing nothing, when `old` is not a current
    /// code or `new` is linked already.
    @discardableResult
    public mutating func reissue(_ old: String, to new: String, reason: String, at: String) -> Bool {
        guard var entry = entries[old], !links(new) else { return false }
        entries[old] = nil
        entry.code = new
        entry.history.append(KeyHistoryEvent(from: old, to: new, reason: reason, at: at))
        entries[new] = entry
        for event in entry.history { replacedBy[event.from] = new }
        return true
    }

    /// Removes the person `code` belongs to (current or earlier code), with every earlier code; returns the
    /// removed entry, or nil (and changes nothing) when no one is linked to `code`.
    @discardableResult
    public mutating func remove(code: String) -> KeyEntry? {
        guard let entry = entry(for: code) else { return nil }
        entries[entry.code] = nil
        for event in entry.history { replacedBy[event.from] = nil }
        return entry
    }

    /// The entries whose identity fields contain `text`, ignoring case, accents, spacing and punctuation
    /// (``TextKey/normalize(_:)``); the fields are also searched joined together in `fieldOrder`, so that
    /// a given and a family name typed together match.
    public func find(_ text: String, fieldOrder: [String] = ["given_name", "family_name"]) -> [KeyEntry] {
        let key = TextKey.normalize(text)
        guard !key.isEmpty else { return [] }
        return sortedEntries.filter { entry in
            let keys = entry.fields.mapValues(TextKey.normalize)
            if keys.values.contains(where: { $0.contains(key) }) { return true }
            let ordered =
                fieldOrder.compactMap { keys[$0] }
                + keys.keys.sorted().filter { !fieldOrder.contains($0) }
                .compactMap { keys[$0] }
            return ordered.joined().contains(key) || ordered.reversed().joined().contains(key)
        }
    }

    // MARK: Plaintext

    struct Meta: Codable {
        var savedAt: String
        var auditSeq: Int64?
        var auditHash: String?
        enum CodingKeys: String, CodingKey {
            case savedAt = "saved_at"
            case auditSeq = "audit_seq"
            case auditHash = "audit_hash"
        }
    }

    /// The plaintext, as documented above. Handle as key material: it holds the secret key and identities.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // One byte buffer for the whole file (reserved once, so that growing it leaves no stray copies of
        // identities behind), wiped after it is handed over as Data.
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 256 + 1024)
        out.append(contentsOf: Self.versionLine.utf8)
        out.append(0x0A)
        out.append(contentsOf: "# One JSON object a line after the secret key; see README, \"The key file\".\n".utf8)
        out.append(contentsOf: identity.secretKeyString.utf8)
        out.append(0x0A)
        let meta = Meta(savedAt: savedAt, auditSeq: auditMark?.seq, auditHash: auditMark?.hash)
        // Encoding these types cannot fail (strings, integers, arrays of them).
        out.append(contentsOf: try! encoder.encode(meta))
        out.append(0x0A)
        for entry in sortedEntries {
            if !KeyEntryLine.append(entry, to: &out) {
                var line = try! encoder.encode(entry)
                out.append(contentsOf: line)
                KeyFile.wipe(&line)
            }
            out.append(0x0A)
        }
        defer { out.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        return Data(out)
    }

    /// Parses the plaintext; `path` only names the file in errors, which never quote a line.
    public static func parse(_ data: Data, path: String) throws(KeyFileError) -> KeyFileContent {
        do {
            return try data.withUnsafeBytes { raw in
                try parse(raw.bindMemory(to: UInt8.self), path: path)
            }
        } catch let error as KeyFileError {
            throw error
        } catch {
            throw .malformed(path: path, line: 1, problem: "cannot be read")
        }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(KeyFileError)
        -> KeyFileContent
    {
        // Line ranges without their LF; a final LF does not start another line.
        var lines: [Range<Int>] = []
        var start = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            lines.append(start..<index)
            start = index + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        guard let first = lines.first else { throw .malformed(path: path, line: 1, problem: "the content is empty") }
        let firstText = String(decoding: UnsafeBufferPointer(rebasing: bytes[first]), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if firstText.hasPrefix("# separa key file v") && firstText != versionLine {
            throw .unsupportedVersion(path: path)
        }
        guard firstText == versionLine else {
            throw .malformed(path: path, line: 1, problem: "the first line is not '\(versionLine)'")
        }
        var identity: AgeX25519Identity?
        var meta: Meta?
        var entries: [String: KeyEntry] = [:]
        entries.reserveCapacity(lines.count)
        let decoder = JSONDecoder()
        for (index, range) in lines.enumerated().dropFirst() {
            let number = index + 1
            var end = range.upperBound
            while end > range.lowerBound, bytes[end - 1] == 0x0D || bytes[end - 1] == 0x20 { end -= 1 }
            let line = UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<end])
            guard let head = line.first else { continue }
            if head == UInt8(ascii: "#") { continue }
            if head == UInt8(ascii: "A") {
                guard identity == nil else {
                    throw .malformed(path: path, line: number, problem: "a second secret key")
                }
                do {
                    identity = try AgeX25519Identity(String(decoding: line, as: UTF8.self))
                } catch {
                    throw .malformed(
                        path: path, line: number, problem: "the secret key is not a valid AGE-SECRET-KEY-1…")
                }
                continue
            }
            guard head == UInt8(ascii: "{") else {
                throw .malformed(
                    path: path, line: number, problem: "neither a comment, the secret key nor a JSON object")
            }
            if meta == nil {
                guard let decoded = try? decoder.decode(Meta.self, from: Data(line)) else {
                    throw .malformed(path: path, line: number, problem: "the first JSON line must hold saved_at")
                }
                meta = decoded
                continue
            }
            let entry: KeyEntry
            if let fast = KeyEntryLine.parse(line) {
                entry = fast
            } else {
                // A line the fast parser does not take (hand-edited, unusual escapes): Foundation decides.
                var copy = Data(line)
                defer { KeyFile.wipe(&copy) }
                do {
                    entry = try decoder.decode(KeyEntry.self, from: copy)
                } catch {
                    throw .malformed(
                        path: path, line: number, problem: "not a person's entry (code, template, fields, added_at)")
                }
            }
            guard entries[entry.code] == nil else {
                throw .malformed(path: path, line: number, problem: "a second entry for the same code")
            }
            entries[entry.code] = entry
        }
        guard let identity else { throw .malformed(path: path, line: lines.count, problem: "no secret key line") }
        guard let meta else { throw .malformed(path: path, line: lines.count, problem: "no saved_at line") }
        var content = KeyFileContent(identity: identity, savedAt: meta.savedAt)
        content.entries = entries
        content.indexHistory()
        if let seq = meta.auditSeq, let hash = meta.auditHash { content.auditMark = AuditMark(seq: seq, hash: hash) }
        return content
    }
}

extension KeyFileContent {
    /// The key with which a key holder's purge seals what it erases from the audit log (``AuditDraft/sealKey``),
    /// derived from the key file's own identity: only someone who can open the key file can make or check a
    /// seal.
    public var auditSealKey: Data {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: identity.privateKey.rawRepresentation),
            salt: Data("separa".utf8), info: Data("audit erasure seal v1".utf8), outputByteCount: 32)
        return derived.withUnsafeBytes { Data($0) }
    }
}
