import Foundation
import GRDB

/// The store's schema, grown through named migrations. Never edit a shipped migration: add one.
///
/// No table has a column for identity: names, phones, addresses and anything from an identity slip
/// live only in the key file.
public enum StoreSchema {
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-registry") { db in
            try db.create(table: "batch") { t in
                t.primaryKey("id", .text)
                t.column("kind", .text).notNull()  // "codes" or "print"
                t.column("created_at", .text).notNull()  // ISO 8601 UTC
                t.column("code_count", .integer).notNull()
                t.column("random_length", .integer).notNull()
                t.column("note", .text)
            }
            try db.create(table: "code", options: [.withoutRowID]) { t in
                t.primaryKey("code", .text)  // canonical form, check symbol included
                t.column("batch", .text).notNull().references("batch", onDelete: .restrict)
                t.column("issued_at", .text).notNull()  // YYYY-MM-DD
                t.column("status", .text).notNull()
                    .check(sql: "status IN ('issued', 'printed', 'used', 'revoked')")
                t.column("template", .text)
            }
            try db.create(index: "code_by_batch", on: "code", columns: ["batch"])
        }
        migrator.registerMigration("v2-audit") { db in
            try db.create(table: "audit") { t in
                t.primaryKey("seq", .integer)
                t.column("at", .text).notNull()
                t.column("action", .text).notNull()
                t.column("codes", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("previous", .text).notNull()
                t.column("hash", .text).notNull()
            }
        }
        migrator.registerMigration("v3-records") { db in
            try db.create(table: "import") { t in
                t.primaryKey("id", .text)
                t.column("template", .text).notNull()
                t.column("template_version", .text).notNull()
                t.column("imported_at", .text).notNull()
                t.column("rows_read", .integer).notNull()
                t.column("rows_stored", .integer).notNull()
                t.column("rows_rejected", .integer).notNull()
                t.column("rows_present", .integer).notNull()
                t.column("rows_replaced", .integer).notNull()
                t.column("encoding", .text).notNull()
            }
            // One record per code, template and visit date; fields as canonical JSON (keys sorted).
            try db.create(table: "record", options: [.withoutRowID]) { t in
                t.column("code", .text).notNull().references("code", onDelete: .restrict)
                t.column("template", .text).notNull()
                t.column("visit_date", .text).notNull()  // YYYY-MM-DD
                t.column("template_version", .text).notNull()
                t.column("fields", .text).notNull()
                t.column("import_id", .text).notNull()
                t.column("source_line", .integer).notNull()
                t.column("imported_at", .text).notNull()
                t.primaryKey(["code", "template", "visit_date"])
            }
            try db.create(index: "record_by_template_date", on: "record", columns: ["template", "visit_date"])
        }
        // Records in a rowid table, appended in import order, with the key (code, template, visit_date) in a
        // unique index. Codes are random, so with the key as the table's own B-tree every insert landed on a
        // random page of a table far larger than the page cache; the index entries are small enough to
        // stay cached (bench/README.md, "Ingest"). Same columns, constraints and key as v3.
        migrator.registerMigration("v4-record-rowid") { db in
            try db.create(table: "record_v4") { t in
                t.column("code", .text).notNull().references("code", onDelete: .restrict)
                t.column("template", .text).notNull()
                t.column("visit_date", .text).notNull()  // YYYY-MM-DD
                t.column("template_version", .text).notNull()
                t.column("fields", .text).notNull()
                t.column("import_id", .text).notNull()
                t.column("source_line", .integer).notNull()
                t.column("imported_at", .text).notNull()
            }
            try db.execute(
                sql: """
                    INSERT INTO record_v4 (code, template, visit_date, template_version, fields, import_id, \
                    source_line, imported_at)
                    SELECT code, template, visit_date, template_version, fields, import_id, source_line, imported_at
                    FROM record
                    """)
            try db.drop(table: "record")
            try db.rename(table: "record_v4", to: "record")
            try db.create(
                index: "record_key", on: "record", columns: ["code", "template", "visit_date"], options: .unique)
            try db.create(index: "record_by_template_date", on: "record", columns: ["template", "visit_date"])
        }
        // A code's status as commands show it. `used` is read from the records rather than written by each
        // ingest: a code is used when a record carries it, so the registry and the records cannot disagree,
        // and an import of a million rows no longer rewrites every page of the registry (bench/README.md,
        // "Ingest", round 3). A stored `used` (written by older versions) still counts.
        migrator.registerMigration("v5-code-state") { db in
            try db.execute(
                sql: """
                    CREATE VIEW code_state AS
                    SELECT code, batch, issued_at,
                        CASE WHEN status IN ('issued', 'printed')
                                AND EXISTS (SELECT 1 FROM record WHERE record.code = code.code)
                            THEN 'used' ELSE status END AS status,
                        template
                    FROM code
                    """)
        }
        // A file finished on disk under a temporary name whose registry commit has happened but whose
        // rename into place may not have (a print killed between the two): the next command finishes it.
        migrator.registerMigration("v6-pending-output") { db in
            try db.create(table: "pending_output") { t in
                t.primaryKey("temp_name", .text)  // the hidden temporary file's name in output/
                t.column("final_name", .text).notNull()  // the name it is to be renamed to
                t.column("created_at", .text).notNull()
            }
        }
        // Every file Separa writes in output/ that holds case codes, by the codes or the batches it holds, so
        // that an erasure can name (and remove) each one: a PDF draws its codes as glyphs and QR codes, which
        // no search of its bytes finds.
        migrator.registerMigration("v7-output-manifest") { db in
            try db.create(table: "output_file", options: [.withoutRowID]) { t in
                t.column("name", .text).notNull()  // path relative to output/
                t.column("kind", .text).notNull().check(sql: "kind IN ('code', 'batch')")
                t.column("holds", .text).notNull()  // a canonical code, or a batch id
                t.column("created_at", .text).notNull()
                t.primaryKey(["holds", "name"])
            }
        }
        // The audit log becomes redactable: each code and detail of an entry gets its own salted hash
        // (`audit_item`), and the chain covers those hashes instead of the values, so that a purge can erase
        // a person's codes and the free text that may describe them while the chain still verifies. Existing
        // entries are split into items and chained again; each keeps its first-scheme hash in `legacy_hash`,
        // which a key file saved before this migration still recognises.
        migrator.registerMigration("v8-redactable-audit") { db in
            try db.alter(table: "audit") { t in
                t.add(column: "redacted", .integer).notNull().defaults(to: 0)
                t.add(column: "legacy_hash", .text)
            }
            try db.create(table: "audit_item", options: [.withoutRowID]) { t in
                t.column("seq", .integer).notNull()
                t.column("position", .integer).notNull()
                t.column("kind", .text).notNull().check(sql: "kind IN ('code', 'detail')")
                t.column("name", .text).notNull()
                t.column("value", .text)
                t.column("salt", .blob)
                t.column("digest", .text).notNull()
                t.column("redacted_by", .integer)
                t.primaryKey(["seq", "position"])
            }
            try db.create(index: "audit_item_by_value", on: "audit_item", columns: ["value"])
            var previous = AuditEntry.genesis
            let rows = try Row.fetchAll(db, sql: "SELECT seq, at, action, codes, detail, hash FROM audit ORDER BY seq")
            for row in rows {
                let seq: Int64 = row["seq"]
                let codes = (row["codes"] as String).split(separator: ",").map(String.init)
                let detail = (row["detail"] as String).components(separatedBy: "; ").filter { !$0.isEmpty }.map {
                    part -> (String, String) in
                    let equals = part.firstIndex(of: "=") ?? part.endIndex
                    return (String(part[..<equals]), String(part[equals...].dropFirst()))
                }
                let items = AuditItem.items(seq: seq, codes: codes, detail: detail)
                guard let action = AuditAction(rawValue: row["action"]) else {
                    throw DatabaseError(message: "audit entry \(seq) has an unknown action")
                }
                let hash = AuditEntry.computeHash(
                    seq: seq, at: row["at"], action: action, items: items, previous: previous)
                try db.execute(
                    sql: "UPDATE audit SET previous = ?, hash = ?, legacy_hash = ? WHERE seq = ?",
                    arguments: [previous, hash, row["hash"] as String, seq])
                for item in items { try item.insert(db) }
                previous = hash
            }
        }
        return migrator
    }
}
