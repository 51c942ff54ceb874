import Foundation
import GRDB

/// What one file in `output/` holds: codes, or whole batches. A row of `output_file`.
public struct OutputRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "output_file"

    public enum Kind: String, Codable, Sendable {
        /// `holds` is one canonical case code.
        case code
        /// `holds` is a batch id: the file holds every code printed or listed from that batch.
        case batch
    }

    /// The file's path relative to `output/` (`intake-ROMA-20261127-1.pdf`, `labels-…/K7M2-….png`).
    public var name: String
    public var kind: Kind
    public var holds: String
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case name, kind, holds
        case createdAt = "created_at"
    }

    /// Records, inside the caller's transaction, that `name` holds `codes` and every code of `batches`.
    static func record(_ db: Database, name: String, codes: [String], batches: [BatchID], now: Date) throws {
        let at = Timestamp.iso8601(now)
        for code in Set(codes) {
            try OutputRecord(name: name, kind: .code, holds: code, createdAt: at).insert(db, onConflict: .replace)
        }
        for batch in Set(batches) {
            try OutputRecord(name: name, kind: .batch, holds: batch.rawValue, createdAt: at)
                .insert(db, onConflict: .replace)
        }
    }
}

/// The output manifest: every file Separa writes in `output/` that holds case codes, so that `purge --code`
/// names each file that held the person (and `--delete-outputs` removes it), whatever its format.
extension Store {
    /// Records that the file `name` (relative to `output/`) holds `codes` (canonical) and every code of
    /// `batches`.
    public func recordOutput(
        _ name: String, codes: [String] = [], batches: [BatchID] = [], now: Date = Date()
    ) throws(StoreError) {
        guard !codes.isEmpty || !batches.isEmpty else { return }
        try write("recording an output file") { db in
            try OutputRecord.record(db, name: name, codes: codes, batches: batches, now: now)
        }
    }

    /// Forgets the files `names` (removed from `output/`). An erasure forgets the codes it erases in its
    /// own transaction (``StoreErasure/outputHolders``).
    public func forgetOutputs(names: [String]) throws(StoreError) {
        guard !names.isEmpty else { return }
        try write("updating the output manifest") { db in
            _ = try OutputRecord.filter(names.contains(Column("name"))).deleteAll(db)
        }
    }
}

extension OutputRecord {
    /// `candidate`, or `stem-2.ext`, `stem-3.ext`…: the first name in `folder` that no file has, no pending
    /// output is to get and the manifest does not list.
    static func freeName(_ db: Database, _ candidate: String, in folder: URL) throws -> String {
        let ext = (candidate as NSString).pathExtension
        let stem = (candidate as NSString).deletingPathExtension
        var number = 1
        while true {
            let name = number == 1 ? candidate : "\(stem)-\(number)\(ext.isEmpty ? "" : "." + ext)"
            let exists = FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
            let recorded =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM pending_output WHERE final_name = ?1)
                            OR EXISTS (SELECT 1 FROM output_file WHERE name = ?1)
                        """, arguments: [name]) ?? false
            if !exists && !recorded { return name }
            number += 1
        }
    }
}

extension Store {
    /// ``OutputRecord/freeName(_:_:in:)`` outside an import: a name in `folder` no file or record has.
    public func freeOutputName(_ candidate: String, in folder: URL) throws(StoreError) -> String {
        try read("choosing an output name") { db in try OutputRecord.freeName(db, candidate, in: folder) }
    }
}
