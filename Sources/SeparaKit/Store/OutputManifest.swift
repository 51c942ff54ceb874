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
        let at = Timestamp.iso8601(now)
        try write("recording an output file") { db in
            for code in Set(codes) {
                try OutputRecord(name: name, kind: .code, holds: code, createdAt: at).insert(db, onConflict: .replace)
            }
            for batch in Set(batches) {
                try OutputRecord(name: name, kind: .batch, holds: batch.rawValue, createdAt: at)
                    .insert(db, onConflict: .replace)
            }
        }
    }

    /// The files (relative to `output/`, sorted) recorded as holding one of `codes` or a batch of `batches`.
    public func outputs(holding codes: [String], batches: [String]) throws(StoreError) -> [String] {
        try read("reading the output manifest") { db in
            let keys = codes + batches
            guard !keys.isEmpty else { return [] }
            return try String.fetchSet(
                db, OutputRecord.select(Column("name")).filter(keys.contains(Column("holds")))
            ).sorted()
        }
    }

    /// Forgets `names` (files removed), and the rows naming `codes` (codes erased).
    public func forgetOutputs(names: [String], codes: [String]) throws(StoreError) {
        try write("updating the output manifest") { db in
            if !names.isEmpty { _ = try OutputRecord.filter(names.contains(Column("name"))).deleteAll(db) }
            if !codes.isEmpty { _ = try OutputRecord.filter(codes.contains(Column("holds"))).deleteAll(db) }
        }
    }
}
