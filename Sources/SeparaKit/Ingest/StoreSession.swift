import Foundation
import GRDB

/// The store side of one file's import, inside its transaction: registry checks, inserts, conflicts.
struct StoreSession {
    let db: Database
    let template: Template
    let options: Ingest.Options
    let importID: String
    let importedAt: String
    let randomLength: Int

    var stored = 0
    var present = 0
    var replaced = 0
    var replacedCodes: [String] = []

    let lookupCode: Statement
    let revoked: Set<String>
    let insertRecord: Statement
    let fetchRecord: Statement
    let replaceRecord: Statement

    init(db: Database, template: Template, options: Ingest.Options, workspace: Workspace) throws {
        self.db = db
        self.template = template
        self.options = options
        randomLength = workspace.config.codes.randomLength
        importedAt = CodeRegistry.timestamp(options.now)
        importID = try Self.nextImportID(db, prefix: workspace.config.site.prefix, now: options.now)
        lookupCode = try db.makeStatement(sql: "SELECT status FROM code WHERE code = ?")
        // The foreign key to `code` refuses an unregistered code: a one-row insert fails on it at once, so
        // the registry check costs no query of its own. (An INSERT … SELECT checking the code would be a
        // multi-row statement, which SQLite runs with a statement journal: every page written twice.)
        insertRecord = try db.makeStatement(
            sql: """
                INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code, template, visit_date) DO NOTHING
                """)
        // Revoked codes are few (one per reissue): read once, so that most rows need no lookup.
        revoked = try Set(String.fetchAll(db, sql: "SELECT code FROM code WHERE status = 'revoked'"))
        fetchRecord = try db.makeStatement(
            sql: "SELECT fields, import_id, source_line FROM record WHERE code = ? AND template = ? AND visit_date = ?")
        replaceRecord = try db.makeStatement(
            sql: """
                UPDATE record SET template_version = ?, fields = ?, import_id = ?, source_line = ?, imported_at = ?
                WHERE code = ? AND template = ? AND visit_date = ?
                """)
    }

    static func nextImportID(_ db: Database, prefix: String, now: Date) throws -> String {
        let day = CodeRegistry.localDay(now).replacingOccurrences(of: "-", with: "")
        let stem = "\(prefix)-I\(day)-"
        let existing = try String.fetchAll(db, sql: "SELECT id FROM import WHERE id LIKE ?", arguments: [stem + "%"])
        let used = existing.compactMap { Int($0.dropFirst(stem.count)) }
        return stem + String((used.max() ?? 0) + 1)
    }

    /// Stores the chunk's good rows in key order, each only if its code is registered and not revoked; sets
    /// `problem` on the rows that cannot be stored. Rows keep their file order.
    mutating func store(_ chunk: inout PendingChunk) throws {
        // Codes were made canonical and sorted by `PendingChunk.prepare`; a mistyped one gets its suggestions.
        for index in chunk.rows.indices {
            if let error = chunk.rows[index].codeError {
                let nearby = try nearbyCodes(chunk.rows[index].code)
                chunk.rows[index].problem = rejection(chunk.rows[index].line, .invalidCode(error, nearby: nearby))
            }
        }
        // The insert goes through SQLite's C API: constant parameters bound once, the JSON bound in place.
        let insert = insertRecord
        insert.bindText(template.id.rawValue, at: 2)
        insert.bindText(template.version, at: 4)
        insert.bindText(importID, at: 6)
        insert.bindText(importedAt, at: 8)
        for index in chunk.order {
            let line = chunk.rows[index].line
            if !revoked.isEmpty && revoked.contains(chunk.rows[index].code) {
                chunk.rows[index].problem = rejection(line, .revokedCode)
                continue
            }
            let (jsonStart, jsonEnd) = (chunk.rows[index].jsonStart, chunk.rows[index].jsonEnd)
            insert.bindText(chunk.rows[index].code, at: 1)
            insert.bindText(chunk.rows[index].visitDate, at: 3)
            insert.bindInt(line, at: 7)
            let inserted = try chunk.json.withUnsafeBufferPointer { json in
                try insert.executeOnce(
                    db, binding: UnsafeBufferPointer(rebasing: json[jsonStart..<jsonEnd]), at: 5)
            }
            switch inserted {
            case .done where db.changesCount == 1:
                stored += 1
            case .done:
                let json = String(decoding: chunk.json[jsonStart..<jsonEnd], as: UTF8.self)
                chunk.rows[index].problem = try alreadyStored(chunk.rows[index], json: json)
            case .foreignKeyViolation:
                chunk.rows[index].problem = rejection(line, .unregisteredCode)
            }
        }
    }

    /// A row whose key is already in the store: counted as present, replaced (`--replace`) or rejected.
    mutating func alreadyStored(_ row: PendingRow, json: String) throws -> RowRejection? {
        fetchRecord.setUncheckedArguments([row.code, template.id.rawValue, row.visitDate])
        guard let existing = try Row.fetchOne(fetchRecord) else { return nil }
        let existingImport: String = existing["import_id"]
        if existingImport == importID {
            return rejection(row.line, .duplicateInFile(line: existing["source_line"]), visitColumn: true)
        } else if (existing["fields"] as String) == json {
            present += 1
        } else if options.replace {
            replaceRecord.setUncheckedArguments([
                template.version, json, importID, row.line, importedAt, row.code, template.id.rawValue,
                row.visitDate,
            ])
            try replaceRecord.execute()
            replaced += 1
            replacedCodes.append(row.code)
        } else {
            return rejection(row.line, .conflict)
        }
        return nil
    }

    func rejection(_ line: Int, _ problem: RowProblem, visitColumn: Bool = false) -> RowRejection {
        RowRejection(
            line: line, column: nil, columnName: visitColumn ? TemplateChecker.visitDateField : "code",
            problem: problem)
    }

    /// Registered codes one edit away from a mistyped one.
    func nearbyCodes(_ typed: String) throws -> [String] {
        guard let values = try? CodeNormalizer.values(of: typed) else { return [] }
        let candidates = CodeNeighbours.candidates(of: values, randomLength: randomLength)
        var found: [String] = []
        for candidate in candidates.sorted() {
            lookupCode.setUncheckedArguments([candidate.canonical])
            if try String.fetchOne(lookupCode) != nil { found.append(candidate.display) }
        }
        return found
    }

    /// Records the import batch (and a `--replace` in the audit log).
    func finish(summary: Ingest.Summary, encoding: CSVEncoding) throws -> String {
        try db.execute(
            sql: """
                INSERT INTO import (id, template, template_version, imported_at, rows_read, rows_stored, rows_rejected,
                    rows_present, rows_replaced, encoding)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                importID, template.id.rawValue, template.version, importedAt, summary.read, stored, summary.rejected,
                present, replaced, encoding.rawValue,
            ])
        if replaced > 0 {
            try AuditLog.append(
                db, action: .ingestReplace, codes: replacedCodes,
                detail: ["template": template.id.rawValue, "import": importID, "records": String(replaced)],
                now: options.now)
        }
        return importID
    }
}
