import GRDB
import Testing

@testable import SeparaKit

@Suite("Store schema migrations")
struct StoreSchemaTests {
    /// A database migrated up to `migration`, then filled by `sql`.
    func store(at migration: String, _ sql: String) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try StoreSchema.migrator.migrate(queue, upTo: migration)
        try queue.write { db in try db.execute(sql: sql) }
        return queue
    }

    /// A database at v3 (record keyed by its own B-tree) holding two records.
    func versionThreeStore() throws -> DatabaseQueue {
        try store(
            at: "v3-records",
            """
                    INSERT INTO batch (id, kind, created_at, code_count, random_length) VALUES ('B1', 'codes', '2026-01-01T00:00:00Z', 2, 8);
                    INSERT INTO code (code, batch, issued_at, status) VALUES ('AAAA', 'B1', '2026-01-01', 'used'), ('BBBB', 'B1', '2026-01-01', 'used');
                    INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                    VALUES ('BBBB', 'intake', '2026-02-01', '1', '{"sex":"male"}', 'I1', 3, '2026-02-02T10:00:00Z'),
                           ('AAAA', 'intake', '2026-02-01', '1', '{"sex":"female"}', 'I1', 2, '2026-02-02T10:00:00Z');
            """)
    }

    static let recordsQuery =
        "SELECT code || '|' || template || '|' || visit_date || '|' || template_version || '|' || fields || '|' || import_id || '|' || source_line || '|' || imported_at FROM record ORDER BY code"

    @Test func anExistingStoreKeepsEveryRecordThroughTheRowidMigration() throws {
        let queue = try versionThreeStore()
        let before = try queue.read { try String.fetchAll($0, sql: Self.recordsQuery) }
        try StoreSchema.migrator.migrate(queue)
        let after = try queue.read { try String.fetchAll($0, sql: Self.recordsQuery) }
        #expect(before.count == 2)
        #expect(after == before)
        let indexes = try queue.read { db in
            try db.indexes(on: "record").map { "\($0.name) \($0.columns.joined(separator: ",")) \($0.isUnique)" }
                .sorted()
        }
        #expect(
            indexes == [
                "record_by_template_date template,visit_date false", "record_key code,template,visit_date true",
            ])
        try queue.read { try $0.checkForeignKeys() }
    }

    @Test func theKeyStaysUniqueAndIsTheIngestsConflictTarget() throws {
        let queue = try versionThreeStore()
        try StoreSchema.migrator.migrate(queue)
        try queue.write { db in
            // The ingest's insert: an existing key is left alone, not duplicated.
            try db.execute(
                sql: """
                    INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                    VALUES ('AAAA', 'intake', '2026-02-01', '1', '{"sex":"male"}', 'I2', 9, '2026-03-01T10:00:00Z')
                    ON CONFLICT (code, template, visit_date) DO NOTHING
                    """)
            #expect(db.changesCount == 0)
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                        VALUES ('AAAA', 'intake', '2026-02-01', '1', '{}', 'I2', 9, '2026-03-01T10:00:00Z')
                        """)
            }
        }
        // An unregistered code is refused (foreign keys are on, as in `Store`).
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                        VALUES ('ZZZZ', 'intake', '2026-02-01', '1', '{}', 'I2', 9, '2026-03-01T10:00:00Z')
                        """)
            }
        }
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM record") } == 2)
    }

    @Test func aCodeIsUsedOnceARecordCarriesItWhateverItsStoredStatus() throws {
        let queue = try store(
            at: "v4-record-rowid",
            """
                    INSERT INTO batch (id, kind, created_at, code_count, random_length) VALUES ('B1', 'codes', '2026-01-01T00:00:00Z', 5, 8);
                    INSERT INTO code (code, batch, issued_at, status) VALUES
                        ('AAAA', 'B1', '2026-01-01', 'issued'), ('BBBB', 'B1', '2026-01-01', 'printed'),
                        ('CCCC', 'B1', '2026-01-01', 'used'), ('DDDD', 'B1', '2026-01-01', 'revoked'),
                        ('EEEE', 'B1', '2026-01-01', 'printed');
                    INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                    VALUES ('AAAA', 'intake', '2026-02-01', '1', '{}', 'I1', 2, '2026-02-02T10:00:00Z'),
                           ('BBBB', 'intake', '2026-02-01', '1', '{}', 'I1', 3, '2026-02-02T10:00:00Z'),
                           ('CCCC', 'intake', '2026-02-01', '1', '{}', 'I1', 4, '2026-02-02T10:00:00Z');
            """)
        try StoreSchema.migrator.migrate(queue)
        let statuses = try queue.read { db in
            try RegisteredCode.current.order(Column("code")).fetchAll(db).map(\.status)
        }
        // Stored `used` (written by an older version) stays used; a revoked code stays revoked even when an
        // earlier record carries it; a code no record carries keeps its stored status.
        #expect(statuses == [.used, .used, .used, .revoked, .printed])
        // The view's filter on the code is a lookup of the key, not a scan of the registry.
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM code_state WHERE code = 'AAAA'")
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("SEARCH code USING PRIMARY KEY") })
        #expect(plan.allSatisfy { !$0.hasPrefix("SCAN") })
    }
}
