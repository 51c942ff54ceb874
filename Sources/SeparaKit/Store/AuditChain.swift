import Crypto
import Foundation
import GRDB

/// The whole audit log read at once, entries with their items, for verification.
struct Chain {
    let entries: [AuditEntry]
    /// Each entry's items, by the entry's seq.
    let items: [Int64: [AuditItem]]
    /// Entries by seq.
    let bySeq: [Int64: AuditEntry]
    /// The erased items, by the seq of the entry that erased them.
    let erased: [Int64: [AuditItem]]

    init(_ db: Database) throws {
        entries = try AuditEntry.order(Column("seq")).fetchAll(db)
        let all = try AuditItem.order(Column("seq"), Column("position")).fetchAll(db)
        items = Dictionary(grouping: all, by: \.seq)
        bySeq = Dictionary(entries.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        erased = Dictionary(grouping: all.filter { $0.redactedBy != nil }, by: { $0.redactedBy! })
    }

    func verify(knownLength: Int64?) -> [AuditLog.Break] {
        var breaks: [AuditLog.Break] = []
        var previousHash = AuditEntry.genesis
        var previousSeq: Int64 = 0
        for entry in entries {
            if entry.seq != previousSeq + 1 { breaks.append(.gap(after: previousSeq, next: entry.seq)) }
            let items = self.items[entry.seq] ?? []
            let view = AuditItem.render(items)
            let expected = AuditEntry.computeHash(
                seq: entry.seq, at: entry.at, action: entry.action, items: items, previous: entry.previous)
            let positionsInOrder = items.map(\.position) == Array(0..<items.count)
            if expected != entry.hash || !items.allSatisfy(\.holds) || !positionsInOrder
                || view.codes != entry.codes || view.detail != entry.detail || view.redacted != entry.redacted
            {
                breaks.append(.edited(seq: entry.seq))
            } else if entry.previous != previousHash {
                breaks.append(.unlinked(seq: entry.seq))
            }
            // Only a later purge entry erases, and it records how many values it erased.
            let unauthorised = items.contains { item in
                guard let by = item.redactedBy else { return false }
                return by <= entry.seq || bySeq[by]?.action != .purge
            }
            if unauthorised { breaks.append(.unauthorisedErasure(seq: entry.seq)) }
            previousHash = entry.hash
            previousSeq = entry.seq
        }
        for entry in entries where entry.action == .purge {
            let declared = AuditLog.detailValue("erased", in: entry).flatMap(Int.init) ?? 0
            let victims = (erased[entry.seq] ?? []).map(\.seq)
            // Counted in the entries still in the log: a deleted entry's items no longer count.
            if declared != victims.count(where: { bySeq[$0] != nil }) {
                // The purge says it erased more (values were restored: impossible) or fewer (others were
                // erased in its name) than the log shows.
                for seq in Set(victims).sorted() where !breaks.contains(.unauthorisedErasure(seq: seq)) {
                    breaks.append(.unauthorisedErasure(seq: seq))
                }
                if victims.isEmpty { breaks.append(.edited(seq: entry.seq)) }
            }
        }
        if let knownLength, previousSeq < knownLength {
            breaks.append(.truncated(expected: knownLength, found: previousSeq))
        }
        return breaks
    }

    /// Whether the entries up to `seq` still give their hashes under the first scheme, each chained to the
    /// one before: a key file saved before the log became redactable recorded such a hash. An entry erased
    /// since cannot be recomputed and counts by the hash it had.
    func legacyChainHolds(through seq: Int64) -> Bool {
        var previous = AuditEntry.genesis
        for entry in entries where entry.seq <= seq {
            guard let legacy = entry.legacyHash else { return false }
            if entry.redacted == 0 {
                let computed = AuditEntry.legacyHash(
                    seq: entry.seq, at: entry.at, action: entry.action, codes: entry.codes, detail: entry.detail,
                    previous: previous)
                if computed != legacy { return false }
            }
            previous = legacy
        }
        return true
    }

    /// The purge entries written after `key init` that erased values without the key holder's seal over
    /// them: erasures forged by someone who could write to the store but not open the key file.
    func unsealedErasures(key: Data) -> [Int64] {
        let keyInit = entries.first { $0.action == .keyInit }?.seq ?? Int64.max
        return entries.filter { entry in
            guard entry.action == .purge, entry.seq > keyInit, let items = erased[entry.seq], !items.isEmpty else {
                return false
            }
            let expected = AuditLog.erasureSeal(key: key, seq: entry.seq, at: entry.at, erased: items)
            return AuditLog.detailValue("seal", in: entry) != expected
        }.map(\.seq)
    }

    /// Every purge that erased values, with how many values in how many entries.
    var erasures: [AuditLog.Erasure] {
        erased.keys.sorted().map { seq in
            let items = erased[seq]!
            return AuditLog.Erasure(
                by: seq, at: bySeq[seq]?.at ?? "", mode: bySeq[seq].flatMap { AuditLog.detailValue("mode", in: $0) },
                values: items.count, entries: Set(items.map(\.seq)).count)
        }
    }
}

extension AuditLog {
    /// What one purge erased from the log.
    public struct Erasure: Equatable, Sendable {
        /// The purge entry's sequence number.
        public var by: Int64
        public var at: String
        /// `erasure` (purge --code) or `retention`.
        public var mode: String?
        /// Codes and details erased.
        public var values: Int
        /// Entries they belonged to.
        public var entries: Int
    }

    /// The seal a key holder's purge entry `seq` written at `at` puts on the values it erases: an HMAC over
    /// each erased item's place and hash.
    static func erasureSeal(key: Data, seq: Int64, at: String, erased: [AuditItem]) -> String {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        mac.update(data: Data("separa-erasure-v1\u{0}\(seq)\u{0}\(at)".utf8))
        for item in erased.sorted(by: { ($0.seq, $0.position) < ($1.seq, $1.position) }) {
            mac.update(data: Data("\u{0}\(item.seq):\(item.position):\(item.digest)".utf8))
        }
        return Data(mac.finalize()).hexadecimal
    }

    /// The sequence number the next entry will have.
    static func nextSeq(_ db: Database) throws -> Int64 {
        (try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit") ?? 0) + 1
    }

    /// The erasures the log records, oldest first.
    public static func erasures(in store: Store) throws(StoreError) -> [Erasure] {
        try store.read("reading the audit log") { db in try Chain(db).erasures }
    }

    /// The values to erase for `codes`: every item naming one of them, and the free text (purpose, reason,
    /// filter) of every entry that names one of them.
    static func itemsToErase(_ db: Database, codes: [String]) throws -> [AuditItem] {
        guard !codes.isEmpty else { return [] }
        let named = try AuditItem.filter(Column("kind") == AuditItem.Kind.code.rawValue)
            .filter(codes.contains(Column("value"))).fetchAll(db)
        let seqs = Set(named.map(\.seq))
        let freeText = try AuditItem.filter(seqs.contains(Column("seq")))
            .filter(Column("kind") == AuditItem.Kind.detail.rawValue)
            .filter(AuditItem.freeTextNames.contains(Column("name")))
            .filter(Column("value") != nil).fetchAll(db)
        return named + freeText
    }

    /// Erases `items` in the name of the purge entry `by`: value and salt go, the hash stays; each entry's
    /// readable view is rewritten to match.
    static func erase(_ db: Database, items: [AuditItem], by: Int64) throws {
        for var item in items {
            item.value = nil
            item.salt = nil
            item.redactedBy = by
            try item.update(db)
        }
        for seq in Set(items.map(\.seq)) {
            let view = AuditItem.render(
                try AuditItem.filter(Column("seq") == seq).order(Column("position")).fetchAll(db))
            try db.execute(
                sql: "UPDATE audit SET codes = ?, detail = ?, redacted = ? WHERE seq = ?",
                arguments: [view.codes, view.detail, view.redacted, seq])
        }
    }
}
