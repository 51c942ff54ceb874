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
    var codesUsed = 0
    var replacedCodes: [String] = []

    let lookupCode: Statement
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
        insertRecord = try db.makeStatement(
            sql: """
                INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code, template, visit_date) DO NOTHING
                """)
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

    /// Checks the codes of the chunk's good rows and stores them, in key order; sets `problem` on the rows
    /// that cannot be stored. Rows keep their file order.
    mutating func store(_ chunk: inout PendingChunk) throws {
        // Codes were made canonical and sorted by `PendingChunk.prepare`; a mistyped one gets its suggestions.
        for index in chunk.rows.indices {
            if let error = chunk.rows[index].codeError {
                let nearby = try nearbyCodes(chunk.rows[index].code)
                chunk.rows[index].problem = rejection(chunk.rows[index].line, .invalidCode(error, nearby: nearby))
            }
        }
        let order = chunk.order
        // One query for the whole chunk's codes (in key order), rather than one per row.
        let statuses = try self.statuses(of: order.map { chunk.rows[$0].code })
        var toMark: [String] = []
        // The insert goes through SQLite's C API: constant parameters bound once, the JSON bound in place.
        let insert = insertRecord
        insert.bindText(template.id.rawValue, at: 2)
        insert.bindText(template.version, at: 4)
        insert.bindText(importID, at: 6)
        insert.bindText(importedAt, at: 8)
        for index in order {
            let line = chunk.rows[index].line
            guard let status = statuses[chunk.rows[index].code] else {
                chunk.rows[index].problem = rejection(line, .unregisteredCode)
                continue
            }
            if status == .revoked {
                chunk.rows[index].problem = rejection(line, .revokedCode)
                continue
            }
            let (jsonStart, jsonEnd) = (chunk.rows[index].jsonStart, chunk.rows[index].jsonEnd)
            insert.bindText(chunk.rows[index].code, at: 1)
            insert.bindText(chunk.rows[index].visitDate, at: 3)
            insert.bindInt(line, at: 7)
            try chunk.json.withUnsafeBufferPointer { json in
                try insert.executeOnce(
                    db, binding: UnsafeBufferPointer(rebasing: json[jsonStart..<jsonEnd]), at: 5)
            }
            if db.changesCount == 1 {
                stored += 1
                if status == .issued || status == .printed { toMark.append(chunk.rows[index].code) }
                continue
            }
            let row = chunk.rows[index]
            let json = String(decoding: chunk.json[jsonStart..<jsonEnd], as: UTF8.self)
            fetchRecord.setUncheckedArguments([row.code, template.id.rawValue, row.visitDate])
            guard let existing = try Row.fetchOne(fetchRecord) else { continue }
            let existingImport: String = existing["import_id"]
            if existingImport == importID {
                chunk.rows[index].problem = rejection(
                    line, .duplicateInFile(line: existing["source_line"]), visitColumn: true)
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
                chunk.rows[index].problem = rejection(line, .conflict)
            }
        }
        if !toMark.isEmpty {
            try db.execute(
                sql:
                    "UPDATE code SET status = 'used' WHERE status IN ('issued', 'printed') AND code IN (SELECT value FROM json_each(?))",
                arguments: [Self.jsonArray(Array(Set(toMark)))])
            codesUsed += db.changesCount
        }
    }

    /// Registry status of each of `codes` that is registered, in one query.
    func statuses(of codes: [String]) throws -> [String: CodeStatus] {
        var result: [String: CodeStatus] = [:]
        result.reserveCapacity(codes.count)
        let rows = try Row.fetchCursor(
            db, sql: "SELECT code, status FROM code WHERE code IN (SELECT value FROM json_each(?))",
            arguments: [Self.jsonArray(codes)])
        while let row = try rows.next() {
            if let status = CodeStatus(rawValue: row[1]) { result[row[0]] = status }
        }
        return result
    }

    /// Canonical codes as a JSON array (they hold only letters and digits: nothing to escape).
    static func jsonArray(_ codes: [String]) -> String {
        "[\"" + codes.joined(separator: "\",\"") + "\"]"
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
