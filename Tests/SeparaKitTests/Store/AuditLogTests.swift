import GRDB
import Testing

@testable import SeparaKit

@Suite("Audit log")
struct AuditLogTests {
    func filledStore() throws -> Store {
        let store = try Store.inMemory()
        try AuditLog.append(to: store, action: .keyUnlock)
        try AuditLog.append(to: store, action: .keyLookup, codes: ["K7M29QX4HT3C"])
        try AuditLog.append(to: store, action: .rejoin, detail: ["purpose": "follow-up", "rows": "3"])
        try AuditLog.append(to: store, action: .purge, detail: ["records": "10"])
        return store
    }

    @Test func anIntactLogVerifies() throws {
        let store = try filledStore()
        #expect(try AuditLog.verify(store, knownLength: 4).isEmpty)
        let entries = try AuditLog.entries(in: store)
        #expect(entries.map(\.seq) == [1, 2, 3, 4])
        #expect(entries[2].detail == "purpose=follow-up; rows=3")
    }

    @Test func anEditedEntryIsNamed() throws {
        let store = try filledStore()
        try store.database.write { db in try db.execute(sql: "UPDATE audit SET detail = 'rows=1' WHERE seq = 3") }
        #expect(try AuditLog.verify(store) == [.edited(seq: 3)])
    }

    @Test func aDeletedEntryIsNamed() throws {
        let store = try filledStore()
        try store.database.write { db in try db.execute(sql: "DELETE FROM audit WHERE seq = 2") }
        let breaks = try AuditLog.verify(store)
        #expect(breaks.contains(.gap(after: 1, next: 3)))
        #expect(breaks.contains(.unlinked(seq: 3)))
    }

    @Test func reorderedEntriesAreFound() throws {
        let store = try filledStore()
        // Swap the contents of entries 2 and 3 but keep their sequence numbers.
        try store.database.write { db in
            try db.execute(sql: "UPDATE audit SET seq = -2 WHERE seq = 2")
            try db.execute(sql: "UPDATE audit SET seq = 2 WHERE seq = 3")
            try db.execute(sql: "UPDATE audit SET seq = 3 WHERE seq = -2")
        }
        #expect(try !AuditLog.verify(store).isEmpty)
    }

    @Test func aTruncatedTailIsFoundWithTheKnownLength() throws {
        let store = try filledStore()
        try store.database.write { db in try db.execute(sql: "DELETE FROM audit WHERE seq = 4") }
        #expect(try AuditLog.verify(store).isEmpty)
        #expect(try AuditLog.verify(store, knownLength: 4) == [.truncated(expected: 4, found: 3)])
    }
}
