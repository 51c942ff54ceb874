import Foundation
import GRDB

/// A file in `output/` that is finished on disk under its hidden temporary name, whose registry commit has
/// happened, and whose rename into place may not have: a row of `pending_output`.
///
/// `separa print --count` records it in the transaction that registers the new codes and clears it after
/// the rename. Killed in between, the next command finds the row and finishes the rename
/// (``Workspace/finishInterruptedOutputs()``); a temporary file with no row belongs to a run whose commit never
/// happened and is removed — unless a running command still holds it (``AtomicFileWriter`` keeps an
/// advisory lock on its temporary file until it is renamed or dropped).
public struct PendingOutput: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pending_output"
    /// The hidden temporary file's name in `output/`.
    public var tempName: String
    /// The name it is to have in `output/`.
    public var finalName: String
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case tempName = "temp_name"
        case finalName = "final_name"
        case createdAt = "created_at"
    }

    public init(tempName: String, finalName: String) {
        self.tempName = tempName
        self.finalName = finalName
        createdAt = ""
    }

    func record(_ db: Database, now: Date) throws {
        var row = self
        row.createdAt = Timestamp.iso8601(now)
        try row.insert(db, onConflict: .replace)
    }
}

/// What ``Workspace/finishInterruptedOutputs()`` did to one file.
public enum PendingOutputRecovery: Hashable, Sendable {
    /// The registry had committed: the finished file was renamed into place.
    case finished(name: String)
    /// The run was killed before its commit: its temporary file was removed.
    case removed(name: String)
}

extension Store {
    /// Clears the record of a pending file once it is renamed into place.
    public func clearPendingOutput(tempName: String) throws(StoreError) {
        try write("clearing a finished output") { db in _ = try PendingOutput.deleteOne(db, key: tempName) }
    }

    /// Finishes what a killed command left in `folder` (the workspace's `output/`), whose file names are
    /// `names`: every recorded pending file is renamed into place, and every other temporary file
    /// (``FileSystem/isTemporaryName(_:)``) that no running command holds is removed.
    func finishPendingOutputs(in folder: URL, names: [String]) throws -> [PendingOutputRecovery] {
        let temporary = names.filter(FileSystem.isTemporaryName)
        guard !temporary.isEmpty else { return [] }
        let pending = try read("reading pending outputs") { db in try PendingOutput.fetchAll(db) }
        var done: [PendingOutputRecovery] = []
        for row in pending {
            let temp = folder.appendingPathComponent(row.tempName)
            guard temporary.contains(row.tempName), FileSystem.isUnheld(temp) else {
                if !names.contains(row.tempName) { try clearPendingOutput(tempName: row.tempName) }
                continue
            }
            try FileSystem.moveIntoPlace(temp, as: folder.appendingPathComponent(row.finalName))
            try clearPendingOutput(tempName: row.tempName)
            done.append(.finished(name: row.finalName))
        }
        let recorded = Set(pending.map(\.tempName))
        for name in temporary where !recorded.contains(name) {
            let temp = folder.appendingPathComponent(name)
            guard FileSystem.isUnheld(temp) else { continue }
            try? FileManager.default.removeItem(at: temp)
            done.append(.removed(name: name))
        }
        return done
    }
}

extension Workspace {
    /// Finishes what a killed command left in `output/` (``Store/finishPendingOutputs(in:names:)``). Cheap
    /// when nothing is pending: one listing of the folder; the store is opened only when a temporary file
    /// is there.
    public func finishInterruptedOutputs() throws -> [PendingOutputRecovery] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outputURL.path)) ?? []
        guard names.contains(where: FileSystem.isTemporaryName), FileManager.default.fileExists(atPath: storeURL.path)
        else { return [] }
        return try openStore().finishPendingOutputs(in: outputURL, names: names)
    }
}
