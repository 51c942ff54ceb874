import Foundation
import GRDB

/// The store rows an erasure judges: every registry row, the keys of every record (never their fields),
/// and the output manifest.
public struct StoreSnapshot: Sendable {
    /// Registry rows by canonical code, with their current status.
    public var codes: [String: RegisteredCode] = [:]
    public var records: [RecordKey] = []
    /// What each recorded file in `output/` holds.
    public var outputs: [OutputRecord] = []

    /// The files (relative to `output/`, sorted) recorded as holding one of `codes` or a batch of `batches`.
    public func outputs(holding codes: [String], batches: [String]) -> [String] {
        let keys = Set(codes + batches)
        return Set(outputs.filter { keys.contains($0.holds) }.map(\.name)).sorted()
    }

    init(_ db: Database) throws {
        outputs = try OutputRecord.fetchAll(db)
        for code in try RegisteredCode.current.fetchAll(db) { codes[code.code] = code }
        let rows = try Row.fetchCursor(db, sql: "SELECT code, template, visit_date FROM record")
        while let row = try rows.next() {
            records.append(RecordKey(code: row[0], template: row[1], visitDate: row[2]))
        }
    }
}

/// An audit entry to append: what was done, which codes, a small detail map (never identity).
public struct AuditDraft: Sendable {
    public var action: AuditAction
    public var codes: [String]
    public var detail: [String: String]
    /// Whether this entry erases, from the audit log, the codes whose registry rows the erasure deletes
    /// (and the free text of the entries naming them); it records how many values it erased (`erased=`).
    public var erasesFromLog: Bool
    /// The key holder's seal key (``KeyFileContent/auditSealKey``): an erasing entry then carries `seal=`, an
    /// HMAC over what it erased, which `audit verify --key` checks, so that no one without the key file can
    /// erase from the log in a purge's name.
    public var sealKey: Data?

    public init(
        _ action: AuditAction, codes: [String] = [], detail: [String: String] = [:], erasesFromLog: Bool = false,
        sealKey: Data? = nil
    ) {
        self.action = action
        self.codes = codes
        self.detail = detail
        self.erasesFromLog = erasesFromLog
        self.sealKey = sealKey
    }
}

/// What an erasure deletes from the store, and the audit entries that say so.
public struct StoreErasure: Sendable {
    public var records: [RecordKey]
    /// Canonical codes whose registry rows go.
    public var codes: [String]
    /// Batches left empty.
    public var batches: [BatchID]
    /// Codes and batch ids the output manifest forgets (the files stay until someone removes them).
    public var outputHolders: [String]
    public var audit: [AuditDraft]

    public init(
        records: [RecordKey], codes: [String], batches: [BatchID], outputHolders: [String], audit: [AuditDraft]
    ) {
        self.records = records
        self.codes = codes
        self.batches = batches
        self.outputHolders = outputHolders
        self.audit = audit
    }
}

extension Store {
    /// Decides an erasure from the store as it stands and carries it out in the same write transaction, so
    /// that an ingest running meanwhile cannot slip a record in between; with `dryRun`, only decides.
    ///
    /// Returns what `decide` returned and the last audit entry written (nil on a dry run).
    public func erase<Plan>(
        dryRun: Bool, now: Date, _ decide: (StoreSnapshot) throws -> (Plan, StoreErasure)
    ) throws -> (Plan, AuditEntry?) {
        do {
            if dryRun {
                return try database.read { db in (try decide(StoreSnapshot(db)).0, nil) }
            }
            return try database.write { db in
                let (plan, erasure) = try decide(StoreSnapshot(db))
                let deleteRecord = try db.makeStatement(
                    sql: "DELETE FROM record WHERE code = ? AND template = ? AND visit_date = ?")
                for record in erasure.records {
                    try deleteRecord.execute(arguments: [record.code, record.template, record.visitDate])
                }
                let deleteCode = try db.makeStatement(sql: "DELETE FROM code WHERE code = ?")
                for code in erasure.codes { try deleteCode.execute(arguments: [code]) }
                let deleteBatch = try db.makeStatement(sql: "DELETE FROM batch WHERE id = ?")
                for batch in erasure.batches { try deleteBatch.execute(arguments: [batch]) }
                _ = try OutputRecord.filter(erasure.outputHolders.contains(Column("holds"))).deleteAll(db)
                // The audit log forgets the codes too: every entry naming one keeps its hash but loses the
                // code and any free text, in the name of the purge entry that records how many it erased.
                let fromLog = try AuditLog.itemsToErase(db, codes: erasure.codes)
                var last: AuditEntry?
                for draft in erasure.audit {
                    var detail = draft.detail
                    if draft.erasesFromLog {
                        detail["erased"] = String(fromLog.count)
                        if let key = draft.sealKey, !fromLog.isEmpty {
                            detail["seal"] = AuditLog.erasureSeal(
                                key: key, seq: try AuditLog.nextSeq(db), at: Timestamp.iso8601(now), erased: fromLog)
                        }
                    }
                    let entry = try AuditLog.append(
                        db, action: draft.action, codes: draft.codes, detail: detail, now: now)
                    if draft.erasesFromLog { try AuditLog.erase(db, items: fromLog, by: entry.seq) }
                    last = entry
                }
                return (plan, last)
            }
        } catch let error as DatabaseError {
            throw StoreError.wrap("purging", error)
        }
    }

    /// Rebuilds the file so that no page, free list or slack keeps what was deleted (`VACUUM`; freed pages
    /// are already overwritten by `secure_delete`). Runs outside any transaction.
    public func compact() throws(StoreError) {
        do {
            try database.writeWithoutTransaction { try $0.execute(sql: "VACUUM") }
        } catch {
            throw StoreError.wrap("compacting the store (VACUUM)", error)
        }
    }
}
