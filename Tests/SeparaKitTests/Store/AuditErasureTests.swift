import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// The audit log forgets a person's codes and the free text near them, and still proves its chain.
@Suite("Audit log: erasure")
struct AuditErasureTests {
    static let person = "K7M29QX4HT3C"
    static let other = "R2D29QX4HT3C"

    /// A log naming the person in several ways: alone, among others, with a purpose typed by a coordinator,
    /// with a reissue reason.
    func filledStore() throws -> Store {
        let store = try Store.inMemory()
        try AuditLog.append(to: store, action: .keyUnlock, detail: ["entries": "2"])
        try AuditLog.append(to: store, action: .keyLookup, codes: [Self.person])
        try AuditLog.append(
            to: store, action: .rejoin, codes: [Self.other, Self.person],
            detail: ["purpose": "shelter referral", "rows": "2", "where": "all"])
        try AuditLog.append(
            to: store, action: .rejoin, codes: [Self.other], detail: ["purpose": "other follow-up", "rows": "1"])
        try AuditLog.append(to: store, action: .reissue, codes: [Self.person], detail: ["reason": "exposed"])
        return store
    }

    /// What a purge does in its transaction: append its entry and erase in its name.
    @discardableResult
    func purge(_ store: Store, codes: [String]) throws -> AuditEntry {
        try store.database.write { db in
            let items = try AuditLog.itemsToErase(db, codes: codes)
            let entry = try AuditLog.append(
                db, action: .purge, detail: ["erased": String(items.count), "mode": "erasure"])
            try AuditLog.erase(db, items: items, by: entry.seq)
            return entry
        }
    }

    @Test func aPurgeErasesTheCodesAndTheFreeTextNearThemAndTheChainStillVerifies() throws {
        let store = try filledStore()
        let before = try AuditLog.entries(in: store)
        let purge = try purge(store, codes: [Self.person])
        #expect(try AuditLog.verify(store, knownLength: purge.seq).isEmpty)
        // A key file that recorded the log before the erasure still recognises it: hashes do not change.
        let mark = AuditMark(seq: before.last!.seq, hash: before.last!.hash)
        #expect(try AuditLog.verify(store, mark: mark).isEmpty)

        let after = try AuditLog.entries(in: store)
        #expect(after.map(\.hash).prefix(before.count) == before.map(\.hash)[...])
        #expect(after[1].codes.isEmpty && after[1].redacted == 1)
        // The shared entry keeps the other person's code; its purpose and filter go, its counts stay.
        #expect(after[2].codes == Self.other)
        #expect(after[2].detail == "purpose=[erased]; rows=2; where=[erased]")
        #expect(after[2].redacted == 3)
        // An entry that never named the person keeps its purpose.
        #expect(after[3].detail == "purpose=other follow-up; rows=1")
        #expect(after[4].detail == "reason=[erased]" && after[4].codes.isEmpty)
        #expect(
            try AuditLog.erasures(in: store) == [
                AuditLog.Erasure(by: purge.seq, at: purge.at, mode: "erasure", values: 6, entries: 3)
            ])

        // Nothing of the person is left in any column of the log: not the code, not the text, not the salt.
        let rows = try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_item WHERE redacted_by IS NOT NULL")
        }
        #expect(rows.count == 6)
        #expect(rows.allSatisfy { $0["value"] as String? == nil && $0["salt"] as Data? == nil })
        let text = try store.database.read { db in
            try String.fetchAll(db, sql: "SELECT codes || detail FROM audit")
                + String.fetchAll(db, sql: "SELECT coalesce(value, '') FROM audit_item")
        }.joined()
        for gone in [Self.person, "shelter referral", "exposed"] { #expect(!text.contains(gone)) }
    }

    /// The hash kept for an erased code cannot be matched by hashing every possible code: its salt is gone,
    /// and without it no guess reproduces the digest.
    @Test func anErasedCodeCannotBeGuessedBackFromItsHash() throws {
        let store = try filledStore()
        let digestBefore = try store.database.read { db in
            try String.fetchOne(db, sql: "SELECT digest FROM audit_item WHERE seq = 2 AND position = 0")
        }
        try purge(store, codes: [Self.person])
        let digest = try store.database.read { db in
            try String.fetchOne(db, sql: "SELECT digest FROM audit_item WHERE seq = 2 AND position = 0")
        }
        #expect(digest == digestBefore)
        // An unsalted guess (or one with an empty salt) of the right code gives another digest.
        for salt in [Data(), Data(repeating: 0, count: 16)] {
            #expect(AuditItem.digest(salt: salt, kind: .code, name: "", value: Self.person) != digest)
        }
    }

    /// A clerk with write access erases a value by hand to hide an access: no purge records it.
    @Test(arguments: ["none", "lookup", "later purge", "earlier purge"])
    func anErasureNoPurgeRecordsIsABreak(by: String) throws {
        let store = try filledStore()
        var byClause = "NULL"
        switch by {
        case "lookup": byClause = "2"
        case "later purge": byClause = String(try purge(store, codes: [Self.other]).seq)
        case "earlier purge": byClause = "1"
        default: break
        }
        if by == "earlier purge" {
            try store.database.write { db in try db.execute(sql: "UPDATE audit SET action = 'purge' WHERE seq = 1") }
        }
        try store.database.write { db in
            try db.execute(
                sql: "UPDATE audit_item SET value = NULL, salt = NULL, redacted_by = \(byClause) WHERE seq = 2")
            try db.execute(sql: "UPDATE audit SET codes = '', redacted = 1 WHERE seq = 2")
        }
        let breaks = try AuditLog.verify(store)
        #expect(!breaks.isEmpty)
        if by != "earlier purge" {
            #expect(breaks.contains(.unauthorisedErasure(seq: 2)) || breaks.contains(.edited(seq: 2)))
        }
    }

    /// The readable view is checked against the items it shows: editing the view alone, or the item alone,
    /// is an edit.
    @Test(arguments: [
        "UPDATE audit SET codes = 'AAAA' WHERE seq = 2",
        "UPDATE audit SET detail = 'purpose=[erased]; rows=2; where=all' WHERE seq = 3",
        "UPDATE audit_item SET value = 'AAAA' WHERE seq = 2",
        "DELETE FROM audit_item WHERE seq = 3 AND position = 3",
        "UPDATE audit_item SET position = 9 WHERE seq = 3 AND position = 0",
    ])
    func anEditToTheViewOrTheItemsIsFound(sql: String) throws {
        let store = try filledStore()
        try store.database.write { db in try db.execute(sql: sql) }
        let breaks = try AuditLog.verify(store)
        #expect(breaks.contains { if case .edited = $0 { true } else { false } }, "\(breaks)")
    }

    /// A purge that claims to have erased more than it did (or erased in another purge's name) shows.
    @Test func aPurgesCountMustMatchWhatItErased() throws {
        let store = try filledStore()
        let first = try purge(store, codes: [Self.other])
        try purge(store, codes: [Self.person])
        try store.database.write { db in
            try db.execute(
                sql: "UPDATE audit_item SET redacted_by = ? WHERE seq = 2", arguments: [first.seq])
        }
        let breaks = try AuditLog.verify(store)
        #expect(breaks.contains(.unauthorisedErasure(seq: 2)), "\(breaks)")
    }
}

/// A store written before the log became redactable keeps its entries and its key file's mark.
@Suite("Audit log: the redactable-log migration")
struct AuditMigrationTests {
    /// Entries written under the first scheme (fields hashed directly), as v2–v7 wrote them.
    func legacyStore() throws -> (DatabaseQueue, [AuditEntry]) {
        let queue = try DatabaseQueue()
        try StoreSchema.migrator.migrate(queue, upTo: "v7-output-manifest")
        var previous = AuditEntry.genesis
        var written: [AuditEntry] = []
        let rows: [(AuditAction, String, String)] = [
            (.keyInit, "", "entries=0; recipient=age1example"),
            (.rejoin, "K7M29QX4HT3C,R2D29QX4HT3C", "output=age; purpose=follow-up, two visits; rows=2; where=all"),
            (.purge, "", "mode=retention; records=3"),
        ]
        try queue.write { db in
            for (index, (action, codes, detail)) in rows.enumerated() {
                let seq = Int64(index + 1)
                let at = "2026-0\(index + 1)-01T10:00:00Z"
                let hash = AuditEntry.legacyHash(
                    seq: seq, at: at, action: action, codes: codes, detail: detail, previous: previous)
                try db.execute(
                    sql:
                        "INSERT INTO audit (seq, at, action, codes, detail, previous, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [seq, at, action.rawValue, codes, detail, previous, hash])
                written.append(
                    AuditEntry(
                        seq: seq, at: at, action: action, codes: codes, detail: detail, previous: previous, hash: hash,
                        redacted: 0, legacyHash: nil))
                previous = hash
            }
        }
        return (queue, written)
    }

    @Test func legacyEntriesKeepTheirTextVerifyAndAreRecognisedByAnOldMark() throws {
        let (queue, legacy) = try legacyStore()
        try StoreSchema.migrator.migrate(queue)
        let store = Store(database: queue)
        let entries = try AuditLog.entries(in: store)
        #expect(entries.map(\.codes) == legacy.map(\.codes))
        #expect(entries.map(\.detail) == legacy.map(\.detail))
        #expect(entries.map(\.legacyHash) == legacy.map(\.hash))
        #expect(try AuditLog.verify(store).isEmpty)
        // The key file saved before the migration recorded entry 2's first-scheme hash.
        let oldMark = AuditMark(seq: 2, hash: legacy[1].hash)
        #expect(try AuditLog.verify(store, mark: oldMark).isEmpty)
        // A log rewritten after the migration (an entry edited, every hash recomputed) no longer matches it.
        try queue.write { db in
            try db.execute(sql: "UPDATE audit SET detail = 'entries=5; recipient=age1example' WHERE seq = 1")
        }
        #expect(try AuditLog.verify(store, mark: oldMark).contains(.rewritten(seq: 2)))
    }

    @Test func aLegacyEntryCanBeErased() throws {
        let (queue, _) = try legacyStore()
        try StoreSchema.migrator.migrate(queue)
        let store = Store(database: queue)
        try store.database.write { db in
            let items = try AuditLog.itemsToErase(db, codes: ["K7M29QX4HT3C"])
            let entry = try AuditLog.append(db, action: .purge, detail: ["erased": String(items.count)])
            try AuditLog.erase(db, items: items, by: entry.seq)
        }
        #expect(try AuditLog.verify(store).isEmpty)
        let rejoin = try AuditLog.entries(in: store)[1]
        #expect(rejoin.codes == "R2D29QX4HT3C")
        #expect(rejoin.detail == "output=age; purpose=[erased]; rows=2; where=[erased]")
    }
}
