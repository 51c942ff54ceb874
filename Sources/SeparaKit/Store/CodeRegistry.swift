import Foundation
import GRDB

/// Where a registered code stands.
public enum CodeStatus: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    /// Drawn and registered, not yet on paper.
    case issued
    /// Printed on a form, card or label.
    case printed
    /// At least one record in the store carries it.
    case used
    /// Replaced by another code (the link lives only in the key file); refused at ingest.
    case revoked
}

extension TemplateID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> TemplateID? {
        String.fromDatabaseValue(dbValue).map(TemplateID.init(rawValue:))
    }
}

extension BatchID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> BatchID? {
        String.fromDatabaseValue(dbValue).map(BatchID.init(rawValue:))
    }
}

/// One row of the code registry. There is no column for anything about a person.
public struct RegisteredCode: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "code"
    /// Canonical code (no hyphens).
    public var code: String
    public var batch: BatchID
    /// Local date the code was drawn, `YYYY-MM-DD`.
    public var issuedAt: String
    public var status: CodeStatus
    /// The template the code was printed with, once printed.
    public var template: TemplateID?

    enum CodingKeys: String, CodingKey {
        case code, batch
        case issuedAt = "issued_at"
        case status, template
    }

    /// The code as printed, in groups of four.
    public var display: String { CodeFormat.group(code) }

    /// The registry with each code's current status (the view `code_state`): `used` once a record carries
    /// the code. Read through this, not the `code` table, whose `status` column ingest does not update.
    public static let current = Table<RegisteredCode>("code_state")

    /// The registry row of `code` (canonical) with its current status, or nil when it is not registered.
    public static func current(_ db: Database, code: String) throws -> RegisteredCode? {
        try current.filter(Column("code") == code).fetchOne(db)
    }
}

/// One batch of codes.
public struct Batch: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "batch"
    public var id: BatchID
    /// `codes` for `separa codes issue`, `print` for codes drawn by `separa print`.
    public var kind: String
    /// ISO 8601 UTC time of creation.
    public var createdAt: String
    public var codeCount: Int
    public var randomLength: Int
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, kind
        case createdAt = "created_at"
        case codeCount = "code_count"
        case randomLength = "random_length"
        case note
    }
}

/// Why codes cannot be issued or looked up.
public enum CodeRegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The count is zero, negative or above the limit for one batch.
    case invalidCount(Int)
    /// The registry would fill too much of the code space: guessing and redrawing get too easy.
    case codeSpaceTooSmall(randomLength: Int, limit: Int)
    /// The note is too long or has line breaks.
    case invalidNote
    /// The note looks like identity (a phone number, an e-mail address, a name label).
    case noteLooksLikeIdentity(what: String)
    /// No batch of that id exists.
    case unknownBatch(BatchID)

    public var description: String {
        switch self {
        case .invalidCount(let count):
            return count <= 0
                ? "the number of codes must be at least 1"
                : "\(count) codes is more than one batch may hold (\(CodeRegistry.maximumBatch.formatted())); issue several batches"
        case .codeSpaceTooSmall(let length, let limit):
            return
                "with \(length) random symbols this workspace may hold at most \(limit.formatted()) codes (1% of the code space, to keep codes hard to guess); raise codes.randomLength in separa.json"
        case .noteLooksLikeIdentity(let what):
            return
                "the note looks like \(what): batch notes are kept in the store and must never name or reach a person; describe the batch instead; nothing was issued"
        case .invalidNote:
            return
                "the note must be one line of at most \(CodeRegistry.maximumNoteLength) characters (and must never name a person)"
        case .unknownBatch(let batch):
            return "no batch \(batch) in this workspace: 'separa codes list' shows the batches"
        }
    }
}

/// The code registry in the store: issuing batches, checking typed codes, listing.
public struct CodeRegistry: Sendable {
    public let store: Store
    public let randomLength: Int

    /// Most codes one batch may hold.
    public static let maximumBatch = 10_000_000
    /// Codes drawn and inserted together, in key order.
    static let chunkSize = 1 << 16

    /// Longest batch note.
    public static let maximumNoteLength = 200

    public init(store: Store, randomLength: Int) {
        self.store = store
        self.randomLength = randomLength
    }

    public init(workspace: Workspace, store: Store) {
        self.init(store: store, randomLength: workspace.config.codes.randomLength)
    }

    /// Most codes the registry may hold at this length: 1% of the code space.
    public var capacity: Int {
        let space = pow(Double(CodeAlphabet.count), Double(randomLength))
        return space / 100 >= Double(Int.max / 2) ? Int.max / 2 : Int(space / 100)
    }

    /// The result of ``issue(count:kind:note:prefix:now:sink:generator:)``.
    public struct IssuedBatch: Sendable {
        public let batch: Batch
        /// Duplicates of the registry (or of the batch itself) that were drawn and thrown back.
        public let redraws: Int
    }

    /// Draws `count` new codes from `generator`, registers them in one transaction as a new batch, and
    /// hands each new code to `sink` in order (inside the transaction: if `sink` throws, nothing is registered).
    ///
    /// A code already in the registry is drawn again. Production callers pass ``SystemRandom``.
    /// `pendingOutput` names the finished file that carries the codes (``PendingOutput``): recorded in the
    /// same transaction, so that a kill between the commit and the file's rename is finished by the next
    /// command rather than leaving registered codes with no file. The caller clears it after the rename.
    /// `status` and `template` are what the new codes are registered with: `separa print` registers its
    /// codes as `printed` with the form's template, in the same transaction that writes the PDF.
    public func issue(
        count: Int, kind: String = "codes", note: String? = nil, prefix: String, now: Date = Date(),
        status: CodeStatus = .issued, template: TemplateID? = nil,
        sink: (CaseCode, BatchID, String) throws -> Void = { _, _, _ in },
        pendingOutput: ((BatchID) -> PendingOutput)? = nil,
        generator: inout some RandomNumberGenerator
    ) throws -> IssuedBatch {
        guard count >= 1, count <= Self.maximumBatch else { throw CodeRegistryError.invalidCount(count) }
        if let note, note.count > Self.maximumNoteLength || note.contains(where: \.isNewline) {
            throw CodeRegistryError.invalidNote
        }
        let day = Timestamp.localDay(now)
        let drawer = CodeGenerator(randomLength: randomLength)
        let capacity = self.capacity
        do {
            return try store.database.write { db -> IssuedBatch in
                let registered = try Int.fetchOne(db, sql: "SELECT count(*) FROM code") ?? 0
                if registered + count > capacity {
                    throw CodeRegistryError.codeSpaceTooSmall(randomLength: randomLength, limit: capacity)
                }
                let id = try Self.nextBatchID(db, prefix: prefix, day: day)
                let batch = Batch(
                    id: id, kind: kind, createdAt: Timestamp.iso8601(now), codeCount: count,
                    randomLength: randomLength, note: note)
                try batch.insert(db)
                let insert = try db.makeStatement(
                    sql:
                        "INSERT INTO code (code, batch, issued_at, status, template) VALUES (?, ?, ?, ?, ?) ON CONFLICT(code) DO NOTHING"
                )
                var redraws = 0
                var issued = 0
                // Codes are drawn in chunks and each chunk is inserted in key order: random keys inserted one by
                // one touch B-tree pages at random, which made a million-code batch 4× slower (bench/README.md).
                while issued < count {
                    var chunk = (0..<min(Self.chunkSize, count - issued)).map { _ in drawer.next(using: &generator) }
                    chunk.sort()
                    for code in chunk {
                        insert.setUncheckedArguments([code.canonical, id.rawValue, day, status.rawValue, template])
                        try insert.execute()
                        if db.changesCount == 0 {
                            redraws += 1  // already registered (or drawn twice): the loop draws another
                            continue
                        }
                        try sink(code, id, day)
                        issued += 1
                    }
                }
                // In the same transaction: the file that carries these codes, finished on disk, and the name
                // it is to have (``PendingOutput``).
                if let pendingOutput {
                    let output = pendingOutput(id)
                    try output.record(db, now: now)
                    try OutputRecord.record(db, name: output.finalName, codes: [], batches: [id], now: now)
                }
                return IssuedBatch(batch: batch, redraws: redraws)
            }
        } catch let error as CodeRegistryError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.wrap("issuing codes", error)
        }
    }

    /// Registers one known code (not drawn here) in a new batch of `kind`, unless it is registered already;
    /// returns whether it was added. For a reissue completed against a store that lost its new code (a
    /// store restored from a backup older than the key file).
    @discardableResult
    public func register(
        _ code: CaseCode, kind: String, prefix: String, status: CodeStatus = .issued, template: TemplateID? = nil,
        now: Date = Date()
    ) throws(StoreError) -> Bool {
        let day = Timestamp.localDay(now)
        return try store.write("registering a code") { db in
            if try RegisteredCode.exists(db, key: code.canonical) { return false }
            let id = try Self.nextBatchID(db, prefix: prefix, day: day)
            try Batch(
                id: id, kind: kind, createdAt: Timestamp.iso8601(now), codeCount: 1, randomLength: code.randomLength,
                note: nil
            ).insert(db)
            try RegisteredCode(code: code.canonical, batch: id, issuedAt: day, status: status, template: template)
                .insert(db)
            return true
        }
    }

    /// The next free batch id for `prefix` on `day`.
    static func nextBatchID(_ db: Database, prefix: String, day: String) throws -> BatchID {
        let stem = "\(prefix)-\(day.replacingOccurrences(of: "-", with: ""))-"
        let existing = try String.fetchAll(
            db, sql: "SELECT id FROM batch WHERE id LIKE ? ESCAPE '\\'", arguments: [stem + "%"])
        let used = existing.compactMap { Int($0.dropFirst(stem.count)) }
        return BatchID(rawValue: stem + String((used.max() ?? 0) + 1))
    }
}

extension CodeRegistry {
    /// The registry row of `code` with its current status (`used` once a record carries it), or nil when the
    /// code is not registered.
    public func current(_ code: CaseCode) throws(StoreError) -> RegisteredCode? {
        try store.read("reading the code registry") { db in try RegisteredCode.current(db, code: code.canonical) }
    }

    /// The canonical codes that a reissue revoked.
    public func revokedCodes() throws(StoreError) -> Set<String> {
        try store.read("reading the code registry") { db in
            try Set(String.fetchAll(db, sql: "SELECT code FROM code WHERE status = 'revoked'"))
        }
    }

    /// Removes the codes a stopped reissue drew and registered but never linked to anyone: `issued` codes of
    /// `reissue` batches that carry no record and are not in `linked` (the key file's current codes), with
    /// the batches they leave empty. Run under the key file's lock, so no reissue is under way. Returns how
    /// many codes went.
    @discardableResult
    public func discardUnlinkedReissueCodes(linked: Set<String>) throws(StoreError) -> Int {
        try store.write("discarding codes a stopped reissue left") { db -> Int in
            let spare = try String.fetchAll(
                db,
                sql: """
                    SELECT code.code FROM code JOIN batch ON batch.id = code.batch
                    WHERE batch.kind = 'reissue' AND code.status = 'issued'
                      AND NOT EXISTS (SELECT 1 FROM record WHERE record.code = code.code)
                    """
            ).filter { !linked.contains($0) }
            for code in spare { try db.execute(sql: "DELETE FROM code WHERE code = ?", arguments: [code]) }
            try db.execute(
                sql: """
                    DELETE FROM batch WHERE kind = 'reissue'
                      AND NOT EXISTS (SELECT 1 FROM code WHERE code.batch = batch.id)
                    """)
            return spare.count
        }
    }

    /// A reissue's store side, in one transaction: moves every record of `old` to `new`, revokes `old`,
    /// records `template` on `new` when it carries records and has none, and appends the `reissue` audit
    /// entry — which names the old code and the reason only: the store never pairs the old code with the new
    /// one. Returns how many records moved.
    public func revoke(
        _ old: CaseCode, movingRecordsTo new: CaseCode, template: TemplateID?, reason: String, now: Date
    ) throws(StoreError) -> Int {
        try store.write("moving records to the new code") { db -> Int in
            try db.execute(
                sql: "UPDATE record SET code = ? WHERE code = ?", arguments: [new.canonical, old.canonical])
            let moved = db.changesCount
            try db.execute(sql: "UPDATE code SET status = 'revoked' WHERE code = ?", arguments: [old.canonical])
            // The new code reads as `used` once it carries the moved records (`RegisteredCode.current`).
            if moved > 0 {
                try db.execute(
                    sql: "UPDATE code SET template = coalesce(template, ?) WHERE code = ?",
                    arguments: [template, new.canonical])
            }
            try AuditLog.append(
                db, action: .reissue, codes: [old.canonical], detail: ["reason": reason, "records": String(moved)],
                now: now)
            return moved
        }
    }
}
