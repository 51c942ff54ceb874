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
public struct AuditEntry: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit"
    /// 1, 2, 3… in the order written.
    public var seq: Int64
    /// ISO 8601 UTC.
    public var at: String
    public var action: AuditAction
    /// Canonical case codes concerned, comma-separated (empty when none).
    public var codes: String
    /// Sorted `key=value` pairs separated by `; ` (counts, purpose, reason, table shapes).
    public var detail: String
    /// The previous entry's hash (64 zeros for the first).
    public var previous: String
    /// SHA-256 over the previous hash and this entry's fields.
    public var hash: String

    /// The hash an entry with these fields must have.
    static func computeHash(
        seq: Int64, at: String, action: AuditAction, codes: String, detail: String, previous: String
    )
        -> String
    {
        var hasher = SHA256()
        for part in [previous, String(seq), at, action.rawValue, codes, detail] {
            hasher.update(data: Data(part.utf8))
            hasher.update(data: Data([0]))  // unambiguous field boundary
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)
}

/// The audit log in the store: append-only, each entry chained to the previous one by a hash, so that an
/// edited, deleted or reordered entry is found by ``verify(_:)``.
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
        let codeList = codes.joined(separator: ",")
        let detailText = detail.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.replacingOccurrences(of: ";", with: ","))" }
            .joined(separator: "; ")
        let entry = AuditEntry(
            seq: seq, at: at, action: action, codes: codeList, detail: detailText, previous: previous,
            hash: AuditEntry.computeHash(
                seq: seq, at: at, action: action, codes: codeList, detail: detailText, previous: previous))
        try entry.insert(db)
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
            }
        }
    }

    /// Walks the whole chain; returns every break found (empty when the log is intact).
    ///
    /// - Parameter knownLength: the last sequence number recorded elsewhere (e.g. in the key file), to
    ///   catch entries deleted from the end, which a chain alone cannot show.
    public static func verify(_ store: Store, knownLength: Int64? = nil) throws(StoreError) -> [Break] {
        try verify(entries(in: store), knownLength: knownLength)
    }

    /// Walks the whole chain and checks it against `mark`, the entry the key file recorded at its last
    /// save: a log cut short, or rewritten from the start with every hash recomputed, no longer holds that
    /// entry. Only a key holder can do this check (the mark is inside the encrypted key file).
    public static func verify(_ store: Store, mark: AuditMark) throws(StoreError) -> [Break] {
        let entries = try entries(in: store)
        var breaks = verify(entries, knownLength: mark.seq)
        if let marked = entries.first(where: { $0.seq == mark.seq }), marked.hash != mark.hash {
            breaks.append(.rewritten(seq: mark.seq))
        }
        return breaks
    }

    static func verify(_ entries: [AuditEntry], knownLength: Int64?) -> [Break] {
        var breaks: [Break] = []
        var previousHash = AuditEntry.genesis
        var previousSeq: Int64 = 0
        for entry in entries {
            if entry.seq != previousSeq + 1 { breaks.append(.gap(after: previousSeq, next: entry.seq)) }
            let expected = AuditEntry.computeHash(
                seq: entry.seq, at: entry.at, action: entry.action, codes: entry.codes, detail: entry.detail,
                previous: entry.previous)
            if expected != entry.hash {
                breaks.append(.edited(seq: entry.seq))
            } else if entry.previous != previousHash {
                breaks.append(.unlinked(seq: entry.seq))
            }
            previousHash = entry.hash
            previousSeq = entry.seq
        }
        if let knownLength, previousSeq < knownLength {
            breaks.append(.truncated(expected: knownLength, found: previousSeq))
        }
        return breaks
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
