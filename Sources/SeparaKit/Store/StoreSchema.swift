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
        return migrator
    }
}
