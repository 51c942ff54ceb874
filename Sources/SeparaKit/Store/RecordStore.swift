import Foundation
import GRDB

/// One import batch, a row of the `import` table: what one file's import stored, never a value from a row.
public struct ImportBatch: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "import"
    public var id: String
    public var template: String
    public var templateVersion: String
    public var importedAt: String
    public var rowsRead: Int
    public var rowsStored: Int
    public var rowsRejected: Int
    public var rowsPresent: Int
    public var rowsReplaced: Int
    public var encoding: String

    enum CodingKeys: String, CodingKey {
        case id, template
        case templateVersion = "template_version"
        case importedAt = "imported_at"
        case rowsRead = "rows_read"
        case rowsStored = "rows_stored"
        case rowsRejected = "rows_rejected"
        case rowsPresent = "rows_present"
        case rowsReplaced = "rows_replaced"
        case encoding
    }
}

/// The `record` table's rows as GRDB records: for reads of whole records and for writes of one (tests,
/// repairs). Ingest's million-row path is ``RecordImport``, which writes the same columns through
/// prepared statements.
extension StoredRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "record"

    /// Reads a row; a `fields` text that is not the store's JSON reads as no fields (a damaged record).
    public init(row: Row) {
        let text: String = row["fields"]
        self.init(
            code: row["code"], template: row["template"], visitDate: row["visit_date"],
            templateVersion: row["template_version"], fields: StoredRecord.fields(fromJSON: text) ?? [:],
            importID: row["import_id"], sourceLine: row["source_line"], importedAt: row["imported_at"])
    }

    public func encode(to container: inout PersistenceContainer) {
        container["code"] = code
        container["template"] = template
        container["visit_date"] = visitDate
        container["template_version"] = templateVersion
        container["fields"] = fieldsJSON
        container["import_id"] = importID
        container["source_line"] = sourceLine
        container["imported_at"] = importedAt
    }
}

/// What one transaction does at its end.
public enum TransactionEnd: Sendable {
    case commit, rollback
}

/// The writer of the `record` and `import` tables for one file's import, inside one transaction
/// (``Store/importRecords(_:template:version:prefix:now:_:)``).
///
/// Built for a million rows: statements are prepared once, the constant parameters bound once, and each
/// record's fields (``RecordJSON`` bytes) bound in place through SQLite's C API (``SQLiteColumns``).
public final class RecordImport {
    let db: Database
    /// `PREFIX-IYYYYMMDD-N`, the import batch's id.
    public let importID: String
    /// ISO 8601 UTC time of the import.
    public let importedAt: String
    public let template: TemplateID
    public let templateVersion: String
    let now: Date

    /// Revoked codes (few: one per reissue), read once.
    public let revoked: Set<String>
    private let lookupCode: Statement
    private let insertRecord: Statement
    private let fetchRecord: Statement
    private let replaceRecord: Statement

    /// Records, in the import's transaction, a file finished under a temporary name in `output/` that is to
    /// be renamed once the transaction commits (the rejects file), and the codes it holds: killed between the
    /// commit and the rename, the next command puts it in place; an erasure lists it by its codes.
    public func pend(_ output: PendingOutput, holding codes: [String]) throws {
        try output.record(db, now: now)
        try OutputRecord.record(db, name: output.finalName, codes: codes, batches: [], now: now)
    }

    /// `candidate`, or `stem-2.ext`, `stem-3.ext`… : the first name in `folder` that no file has, no pending
    /// output is to get and the manifest does not list. Imports write one at a time (their transactions do
    /// not overlap), so two ingests started in the same second never choose the same name.
    public func freeOutputName(_ candidate: String, in folder: URL) throws -> String {
        try OutputRecord.freeName(db, candidate, in: folder)
    }

    /// How an insert ended.
    public enum InsertOutcome: Sendable {
        /// A new record.
        case stored
        /// A record with this key exists (see ``existing(code:visitDate:)``); nothing was changed.
        case keyExists
        /// The code is not in the registry (the foreign key refused it); nothing was changed.
        case unregistered
    }

    /// A stored record's import facts and fields, for a row whose key is already stored.
    public struct Existing: Sendable {
        public let fieldsJSON: String
        public let importID: String
        public let sourceLine: Int
    }

    init(db: Database, template: TemplateID, version: String, prefix: String, now: Date) throws {
        self.db = db
        self.now = now
        self.template = template
        templateVersion = version
        importedAt = Timestamp.iso8601(now)
        importID = try Self.nextImportID(db, prefix: prefix, now: now)
        lookupCode = try db.makeStatement(sql: "SELECT status FROM code WHERE code = ?")
        // The foreign key to `code` refuses an unregistered code: a one-row insert fails on it at once, so
        // the registry check costs no query of its own. (An INSERT … SELECT checking the code would be a
        // multi-row statement, which SQLite runs with a statement journal: every page written twice.)
        insertRecord = try db.makeStatement(
            sql: """
                INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code, template, visit_date) DO NOTHING
                """)
        revoked = try Set(String.fetchAll(db, sql: "SELECT code FROM code WHERE status = 'revoked'"))
        fetchRecord = try db.makeStatement(
            sql: "SELECT fields, import_id, source_line FROM record WHERE code = ? AND template = ? AND visit_date = ?")
        replaceRecord = try db.makeStatement(
            sql: """
                UPDATE record SET template_version = ?, fields = ?, import_id = ?, source_line = ?, imported_at = ?
                WHERE code = ? AND template = ? AND visit_date = ?
                """)
        // Constant parameters, bound once for every insert.
        insertRecord.bindText(template.rawValue, at: 2)
        insertRecord.bindText(version, at: 4)
        insertRecord.bindText(importID, at: 6)
        insertRecord.bindText(importedAt, at: 8)
    }

    static func nextImportID(_ db: Database, prefix: String, now: Date) throws -> String {
        let day = Timestamp.localDay(now).replacingOccurrences(of: "-", with: "")
        let stem = "\(prefix)-I\(day)-"
        let existing = try String.fetchAll(db, sql: "SELECT id FROM import WHERE id LIKE ?", arguments: [stem + "%"])
        let used = existing.compactMap { Int($0.dropFirst(stem.count)) }
        return stem + String((used.max() ?? 0) + 1)
    }

    /// Inserts one record unless its key is stored already; `fields` is its ``RecordJSON`` text, bound in place.
    public func insert(
        code: String, visitDate: String, sourceLine: Int, fields: UnsafeBufferPointer<UInt8>
    ) throws -> InsertOutcome {
        insertRecord.bindText(code, at: 1)
        insertRecord.bindText(visitDate, at: 3)
        insertRecord.bindInt(sourceLine, at: 7)
        switch try insertRecord.executeOnce(db, binding: fields, at: 5) {
        case .done where db.changesCount == 1: return .stored
        case .done: return .keyExists
        case .foreignKeyViolation: return .unregistered
        }
    }

    /// The stored record with this key, or nil.
    public func existing(code: String, visitDate: String) throws -> Existing? {
        fetchRecord.setUncheckedArguments([code, template.rawValue, visitDate])
        guard let row = try Row.fetchOne(fetchRecord) else { return nil }
        return Existing(fieldsJSON: row["fields"], importID: row["import_id"], sourceLine: row["source_line"])
    }

    /// Replaces the fields of the stored record with this key (`ingest --replace`).
    public func replace(code: String, visitDate: String, sourceLine: Int, fieldsJSON: String) throws {
        replaceRecord.setUncheckedArguments([
            templateVersion, fieldsJSON, importID, sourceLine, importedAt, code, template.rawValue, visitDate,
        ])
        try replaceRecord.execute()
    }

    /// Whether `code` (canonical) is registered, whatever its status.
    public func isRegistered(_ code: String) throws -> Bool {
        lookupCode.setUncheckedArguments([code])
        return try String.fetchOne(lookupCode) != nil
    }

    /// Records the import batch, and a `--replace` in the audit log naming the replaced codes.
    public func finish(
        rowsRead: Int, stored: Int, rejected: Int, present: Int, replacedCodes: [String], encoding: String
    ) throws {
        try ImportBatch(
            id: importID, template: template.rawValue, templateVersion: templateVersion, importedAt: importedAt,
            rowsRead: rowsRead, rowsStored: stored, rowsRejected: rejected, rowsPresent: present,
            rowsReplaced: replacedCodes.count, encoding: encoding
        ).insert(db)
        if !replacedCodes.isEmpty {
            try AuditLog.append(
                db, action: .ingestReplace, codes: replacedCodes,
                detail: [
                    "template": template.rawValue, "import": importID, "records": String(replacedCodes.count),
                ],
                now: now)
        }
    }
}

extension Store {
    /// Runs one file's import in one immediate write transaction: `body` inserts through the ``RecordImport``
    /// and says whether to commit. All of it or nothing.
    public func importRecords<T>(
        _ operation: String, template: TemplateID, version: String, prefix: String, now: Date,
        _ body: (RecordImport) throws -> (TransactionEnd, T)
    ) throws -> T {
        var result: T?
        do {
            try database.inTransaction(.immediate) { db in
                let session = try RecordImport(db: db, template: template, version: version, prefix: prefix, now: now)
                let (end, value) = try body(session)
                result = value
                return end == .commit ? .commit : .rollback
            }
        } catch let error as DatabaseError {
            throw StoreError.wrap(operation, error)
        }
        return result!
    }
}

extension Store {
    /// Calls `body` with each stored record of `template`, optionally only those of `codes` and of visit dates
    /// in `dates` and between `from` and `through` (inclusive), in code and date order.
    ///
    /// - Throws: ``StoreError``, or what `body` throws; a record whose fields cannot be read reaches `body`
    ///   with `nil` fields.
    public func forEachRecord(
        template: TemplateID, codes: [String] = [], dates: [String] = [], from: String? = nil,
        through: String? = nil,
        _ body: (_ code: String, _ visitDate: String, _ fields: [String: StoredValue]?) throws -> Void
    ) throws {
        var sql = "SELECT code, visit_date, fields FROM record WHERE template = ?"
        var arguments: StatementArguments = [template.rawValue]
        if !codes.isEmpty {
            sql += " AND code IN (\(Array(repeating: "?", count: codes.count).joined(separator: ",")))"
            arguments += StatementArguments(codes)
        }
        if !dates.isEmpty {
            sql += " AND visit_date IN (\(Array(repeating: "?", count: dates.count).joined(separator: ",")))"
            arguments += StatementArguments(dates)
        }
        if let from {
            sql += " AND visit_date >= ?"
            arguments += [from]
        }
        if let through {
            sql += " AND visit_date <= ?"
            arguments += [through]
        }
        sql += " ORDER BY code, visit_date"
        do {
            try database.read { db in
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try cursor.next() {
                    let text: String = row[2]
                    try body(row[0], row[1], StoredRecord.fields(fromJSON: text))
                }
            }
        } catch let error as DatabaseError {
            throw StoreError.wrap("reading records", error)
        }
    }

    /// One row of ``scanRecords(_:)``: the columns of the current record in SQLite's own buffers, valid only
    /// during the call.
    public struct RecordBytes {
        let statement: Statement

        /// The canonical code's bytes.
        @inline(__always) public func code<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
            try statement.withColumnBytes(0, body)
        }
        /// The template id's bytes.
        @inline(__always) public func template<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
            try statement.withColumnBytes(1, body)
        }
        /// The visit date's bytes (`YYYY-MM-DD`).
        @inline(__always) public func visitDate<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
            try statement.withColumnBytes(2, body)
        }
        /// The fields' ``RecordJSON`` bytes.
        @inline(__always) public func fields<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
            try statement.withColumnBytes(3, body)
        }
    }

    /// One pass over every record in key order (code, template, visit date), without copying a value: for
    /// the report's scan of a million records.
    public func scanRecords(_ body: (RecordBytes) throws -> Void) throws(StoreError) {
        try read("reading records") { db in
            let statement = try db.makeStatement(
                sql: "SELECT code, template, visit_date, fields FROM record ORDER BY code, template, visit_date")
            let cursor = try Row.fetchCursor(statement)
            let bytes = RecordBytes(statement: statement)
            while try cursor.next() != nil { try body(bytes) }
        }
    }
}
