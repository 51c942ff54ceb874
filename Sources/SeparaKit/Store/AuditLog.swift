import Crypto
import Foundation
import GRDB

/// What was done, recorded in the audit log. Closed set: every kind of access and change that matters.
public enum AuditAction: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case keyInit = "key-init"
    /// The key file's recipient pinned by a merge in a workspace whose `key init` predates pinning.
    case keyPin = "key-pin"
    case keyUnlock = "key-unlock"
    case keyLookup = "key-lookup"
    case keyFind = "key-find"
    case keyAdd = "key-add"
    case keyMerge = "key-merge"
    case keyPasswd = "key-passwd"
    case keyResolve = "key-resolve"
    case reissue
    case rejoin
    case purge
    case export
    case ingestReplace = "ingest-replace"
    case report
}

/// One entry of the hash-chained audit log: when, what, which codes, and a small detail map.
/// Never an identity value; `detail` holds counts, shapes, purposes and reasons only.
///
/// The chain covers each entry's header (sequence number, time, action) and, through ``AuditItem``, a
/// salted hash of each code and detail it names. An erasure removes an item's value and salt and keeps its
/// hash, so the chain still verifies while the erased code can no longer be guessed back from it.
/// `codes`, `detail` and `redacted` are the readable view of the items, checked against them by
/// ``AuditLog/verify(_:knownLength:)``.
public struct AuditEntry: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit"
    /// 1, 2, 3… in the order written.
    public var seq: Int64
    /// ISO 8601 UTC.
    public var at: String
    public var action: AuditAction
    /// Canonical case codes concerned and not erased since, comma-separated (empty when none).
    public var codes: String
    /// Sorted `key=value` pairs separated by `; ` (counts, purpose, reason, table shapes); an erased value
    /// shows as `key=[erased]`.
    public var detail: String
    /// The previous entry's hash (64 zeros for the first).
    public var previous: String
    /// SHA-256 over the previous hash, this entry's header and the hashes of its items.
    public var hash: String
    /// How many of its codes and details an erasure has removed.
    public var redacted: Int
    /// For an entry written before the log became redactable: its hash under the first scheme (fields
    /// hashed directly), so that a key file saved back then still recognises it.
    public var legacyHash: String?

    enum CodingKeys: String, CodingKey {
        case seq, at, action, codes, detail, previous, hash, redacted
        case legacyHash = "legacy_hash"
    }

    /// The hash an entry with this header and these items must have.
    static func computeHash(seq: Int64, at: String, action: AuditAction, items: [AuditItem], previous: String)
        -> String
    {
        var body = SHA256()
        for item in items {
            body.update(data: Data("\(item.position):\(item.digest)".utf8))
            body.update(data: Data([0]))
        }
        let bodyDigest = body.finalize().hexadecimal
        return AuditItem.hash([previous, String(seq), at, action.rawValue, "items", bodyDigest])
    }

    /// The hash under the first scheme, which hashed the readable fields themselves.
    static func legacyHash(
        seq: Int64, at: String, action: AuditAction, codes: String, detail: String, previous: String
    ) -> String {
        AuditItem.hash([previous, String(seq), at, action.rawValue, codes, detail])
    }

    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)
}

/// One code or one detail of an audit entry, committed to by a salted hash. Erasure sets `value` and `salt`
/// to nil and names itself in `redactedBy`; `digest` stays, so the entry's hash still verifies.
struct AuditItem: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "audit_item"
    enum Kind: String, Codable, Sendable, DatabaseValueConvertible {
        case code, detail
    }
    var seq: Int64
    /// 0, 1, 2… within the entry: the codes in order, then the details sorted by name.
    var position: Int
    var kind: Kind
    /// The detail's key (`purpose`, `rows`…); empty for a code.
    var name: String
    var value: String?
    var salt: Data?
    /// SHA-256 over salt, kind, name and value, in hex.
    var digest: String
    /// The purge entry that erased the value, or nil.
    var redactedBy: Int64?

    enum CodingKeys: String, CodingKey {
        case seq, position, kind, name, value, salt, digest
        case redactedBy = "redacted_by"
    }

    /// Details typed by a person (a rejoin's purpose and filter, a reissue's reason): erased with the codes of
    /// the entry they belong to, since they may describe the person.
    static let freeTextNames: Set<String> = ["purpose", "reason", "where"]

    init(seq: Int64, position: Int, kind: Kind, name: String, value: String) {
        let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        self.seq = seq
        self.position = position
        self.kind = kind
        self.name = name
        self.value = value
        self.salt = salt
        self.digest = Self.digest(salt: salt, kind: kind, name: name, value: value)
    }

    static func digest(salt: Data, kind: Kind, name: String, value: String) -> String {
        var hasher = SHA256()
        hasher.update(data: salt)
        for part in [kind.rawValue, name, value] {
            hasher.update(data: Data(part.utf8))
            hasher.update(data: Data([0]))
        }
        return hasher.finalize().hexadecimal
    }

    /// Whether the value and salt still give the digest (an erased item: nothing to check).
    var holds: Bool {
        guard let value, let salt else { return redactedBy != nil }
        return redactedBy == nil && Self.digest(salt: salt, kind: kind, name: name, value: value) == digest
    }

    /// The items of an entry naming `codes` with `detail`.
    static func items(seq: Int64, codes: [String], detail: [(String, String)]) -> [AuditItem] {
        codes.enumerated().map { AuditItem(seq: seq, position: $0, kind: .code, name: "", value: $1) }
            + detail.enumerated().map {
                AuditItem(seq: seq, position: codes.count + $0, kind: .detail, name: $1.0, value: $1.1)
            }
    }

    /// The readable view of `items`: the codes not erased, the details with erased values marked, and the
    /// number erased.
    static func render(_ items: [AuditItem]) -> (codes: String, detail: String, redacted: Int) {
        let codes = items.filter { $0.kind == .code }.compactMap(\.value).joined(separator: ",")
        let detail = items.filter { $0.kind == .detail }.map { "\($0.name)=\($0.value ?? "[erased]")" }
            .joined(separator: "; ")
        return (codes, detail, items.count { $0.redactedBy != nil })
    }

    static func hash(_ parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            hasher.update(data: Data(part.utf8))
            hasher.update(data: Data([0]))  // unambiguous field boundary
        }
        return hasher.finalize().hexadecimal
    }

}

/// The audit log in the store: append-only, each entry chained to the previous one by a hash, so that an
/// edited, deleted or reordered entry is found by ``verify(_:)``; codes and free text can be erased from
/// it by a purge without breaking the chain.
public enum AuditLog {
    /// Appends an entry inside the caller's transaction.
    @discardableResult
    public static func append(
        _ db: Database, action: AuditAction, codes: [String] = [], detail: [String: String] = [:], now: Date = Date()
    ) throws -> AuditEntry {
        let last = try AuditEntry.order(Column("seq").desc).fetchOne(db)
        let seq = (last?.seq ?? 0) + 1
        let previous = last?.hash ?? AuditEntry.genesis
        let at = Timestamp.iso8601(now)
        let pairs = detail.sorted { $0.key < $1.key }.map {
            ($0.key, $0.value.replacingOccurrences(of: ";", with: ","))
        }
        let items = AuditItem.items(seq: seq, codes: codes, detail: pairs)
        let view = AuditItem.render(items)
        let entry = AuditEntry(
            seq: seq, at: at, action: action, codes: view.codes, detail: view.detail, previous: previous,
            hash: AuditEntry.computeHash(seq: seq, at: at, action: action, items: items, previous: previous),
            redacted: 0, legacyHash: nil)
        try entry.insert(db)
        // Items left behind by entries deleted from the end (a break `verify` reports) give way.
        try AuditItem.filter(Column("seq") >= seq).deleteAll(db)
        for item in items { try item.insert(db) }
        return entry
    }

    /// Appends an entry in its own transaction.
    @discardableResult
    public static func append(
        to store: Store, action: AuditAction, codes: [String] = [], detail: [String: String] = [:], now: Date = Date()
    ) throws(StoreError) -> AuditEntry {
        try store.write("writing the audit log") { db in
            try append(db, action: action, codes: codes, detail: detail, now: now)
        }
    }

    /// The value of `key` in an entry's detail (`key=value; …`), or nil.
    public static func detailValue(_ key: String, in entry: AuditEntry) -> String? {
        for part in entry.detail.components(separatedBy: "; ") where part.hasPrefix(key + "=") {
            return String(part.dropFirst(key.count + 1))
        }
        return nil
    }

    /// Entries at or after `since` (ISO date or timestamp prefix), only those of `actions` when given,
    /// oldest first.
    public static func entries(
        in store: Store, since: String? = nil, actions: Set<AuditAction>? = nil
    ) throws(StoreError) -> [AuditEntry] {
        try store.read("reading the audit log") { db in
            var request = AuditEntry.order(Column("seq"))
            if let since { request = request.filter(Column("at") >= since) }
            if let actions { request = request.filter(actions.map(\.rawValue).contains(Column("action"))) }
            return try request.fetchAll(db)
        }
    }

    /// A break in the chain, named by the entry where it shows.
    public enum Break: Equatable, Sendable, CustomStringConvertible {
        /// The entry's fields no longer give its hash: it was edited.
        case edited(seq: Int64)
        /// The entry does not point at the entry before it: entries before it were deleted or reordered.
        case unlinked(seq: Int64)
        /// Sequence numbers jump: entries between were deleted.
        case gap(after: Int64, next: Int64)
        /// The log is shorter than the last known length: entries at the end were deleted.
        case truncated(expected: Int64, found: Int64)
        /// The entry the key file recorded at its last save has another hash now: the log was rewritten
        /// (every hash recomputed) since.
        case rewritten(seq: Int64)
        /// Values of the entry were removed, but not by a purge that says so: only a purge erases, and it
        /// records how many values it erased.
        case unauthorisedErasure(seq: Int64)
        /// A purge entry erased values without the key holder's seal: written by someone who could not open
        /// the key file (found only with the key file).
        case unsealedErasure(seq: Int64)

        public var description: String {
            switch self {
            case .edited(let seq): return "entry \(seq) was edited after it was written"
            case .unlinked(let seq):
                return "entry \(seq) does not follow the entry before it: entries were deleted or reordered"
            case .gap(let after, let next): return "entries \(after + 1)…\(next - 1) are missing"
            case .truncated(let expected, let found):
                return
                    "the log ends at entry \(found) but had reached entry \(expected): entries at the end were deleted"
            case .rewritten(let seq):
                return
                    "entry \(seq) is not the entry the key file recorded at its last save: the log was rewritten"
            case .unauthorisedErasure(let seq):
                return "values of entry \(seq) were removed, but no purge entry records erasing them"
            case .unsealedErasure(let seq):
                return
                    "entry \(seq) erased values from the log without the key holder's seal: the erasure was forged by someone without the key file"
            }
        }
    }

    /// Walks the whole chain; returns every break found (empty when the log is intact).
    ///
    /// - Parameter knownLength: the last sequence number recorded elsewhere (e.g. in the key file), to
    ///   catch entries deleted from the end, which a chain alone cannot show.
    public static func verify(_ store: Store, knownLength: Int64? = nil) throws(StoreError) -> [Break] {
        try store.read("reading the audit log") { db in try Chain(db).verify(knownLength: knownLength) }
    }

    /// Walks the whole chain and checks it against `mark`, the entry the key file recorded at its last
    /// save: a log cut short, or rewritten from the start with every hash recomputed, no longer holds that
    /// entry. Only a key holder can do this check (the mark is inside the encrypted key file).
    ///
    /// With `sealKey` (``KeyFileContent/auditSealKey``) it also checks that every erasure since `key init`
    /// carries the key holder's seal.
    public static func verify(_ store: Store, mark: AuditMark, sealKey: Data? = nil) throws(StoreError) -> [Break] {
        try store.read("reading the audit log") { db in
            let chain = try Chain(db)
            var breaks = chain.verify(knownLength: mark.seq)
            if let sealKey { breaks += chain.unsealedErasures(key: sealKey).map { .unsealedErasure(seq: $0) } }
            if let marked = chain.entries.first(where: { $0.seq == mark.seq }), marked.hash != mark.hash,
                !(marked.legacyHash == mark.hash && chain.legacyChainHolds(through: mark.seq))
            {
                breaks.append(.rewritten(seq: mark.seq))
            }
            return breaks
        }
    }
}

/// Where the store's audit log stood when the key file was last saved: a deleted tail of the log shows
/// as a log shorter than ``seq`` (``AuditLog/verify(_:knownLength:)``).
public struct AuditMark: Codable, Hashable, Sendable {
    /// The last sequence number.
    public var seq: Int64
    /// That entry's hash.
    public var hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }
}
