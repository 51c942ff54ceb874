import Foundation
import GRDB

/// The pseudonymous store (`store.sqlite`): code registry, batches and, as later capabilities add them,
/// records, ingest log and audit log. It never holds identity.
///
/// Runs with `PRAGMA secure_delete=ON` (deleted content is overwritten), `foreign_keys=ON`, a rollback
/// journal (no WAL file keeps old pages after a commit), and a busy timeout so that two commands at once wait
/// for each other rather than fail. The file is created with mode 0600.
public final class Store: Sendable {
    /// The GRDB connection. Every write goes through one transaction.
    public let database: DatabaseQueue

    /// How long a writer waits for another one before giving up.
    public static let busyTimeout: TimeInterval = 30

    init(database: DatabaseQueue) {
        self.database = database
    }

    /// Opens (creating and migrating if needed) the store of `workspace`.
    public static func open(_ workspace: Workspace) throws(StoreError) -> Store {
        try open(at: workspace.storeURL)
    }

    /// Opens (creating and migrating if needed) the store file at `url`.
    ///
    /// - Throws: ``StoreError/newerSchema(path:)`` when a newer Separa has migrated it,
    ///   ``StoreError/notAStore(path:)`` when the file is not a Separa store.
    public static func open(at url: URL) throws(StoreError) -> Store {
        do {
            try FileSystem.createPrivateFile(url)
        } catch {
            throw .cannotOpen(path: url.path, reason: "cannot create the file (check the folder's permissions)")
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: url.path, configuration: configuration())
        } catch let error as DatabaseError
            where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
        {
            throw .notAStore(path: url.path)
        } catch {
            throw .cannotOpen(path: url.path, reason: Self.reason(error))
        }
        try migrate(queue, path: url.path)
        return Store(database: queue)
    }

    /// A fresh in-memory store migrated with the real migrator (for tests).
    public static func inMemory() throws(StoreError) -> Store {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: configuration())
        } catch {
            throw .cannotOpen(path: ":memory:", reason: Self.reason(error))
        }
        try migrate(queue, path: ":memory:")
        return Store(database: queue)
    }

    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "separa.store"
        // Statement arguments never appear in GRDB's error messages (publicStatementArguments stays false).
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            // 16 KiB pages for a new store (an existing one keeps its size until purge's VACUUM): fewer,
            // larger B-tree pages cut the reads and writes of a large import (bench/README.md, "Ingest").
            try db.execute(sql: "PRAGMA page_size = 16384")
            // Up to 64 MiB of page cache (allocated only as used): large batches insert random keys, and a
            // smaller cache spills mid-transaction, costing an fsync of the journal each time.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        return configuration
    }

    static func migrate(_ queue: DatabaseQueue, path: String) throws(StoreError) {
        let migrator = StoreSchema.migrator
        do {
            let superseded = try queue.read { db -> Bool in
                // Reading sqlite_master fails on a file that is not a database.
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
                return try migrator.hasBeenSuperseded(db)
            }
            if superseded { throw StoreError.newerSchema(path: path) }
            try migrator.migrate(queue)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError
            where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
        {
            throw .notAStore(path: path)
        } catch {
            throw .cannotOpen(path: path, reason: reason(error))
        }
    }

    /// Runs `body` in a read transaction; any failure becomes ``StoreError/failed(operation:reason:)``
    /// naming `operation`.
    public func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw StoreError.wrap(operation, error)
        }
    }

    /// Runs `body` in one write transaction (all of it or nothing); any failure becomes
    /// ``StoreError/failed(operation:reason:)`` naming `operation`.
    public func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.write(body)
        } catch {
            throw StoreError.wrap(operation, error)
        }
    }

    /// A description of a database error that carries no statement argument and no row value.
    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
        }
        return "\(type(of: error))"
    }
}

/// Why the store cannot be used. Messages never contain a value from a row.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be opened or created.
    case cannotOpen(path: String, reason: String)
    /// The file is not an SQLite database.
    case notAStore(path: String)
    /// A newer Separa has migrated this store; this one must not write to it.
    case newerSchema(path: String)
    /// A query or write failed; nothing was changed.
    case failed(operation: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the store: \(reason)"
        case .notAStore(let path):
            return
                "\(path) is not a Separa store (not an SQLite database, or damaged): restore it from a backup; nothing was changed"
        case .newerSchema(let path):
            return
                "\(path) was written by a newer version of Separa: upgrade Separa before using this workspace; nothing was changed"
        case .failed(let operation, let reason):
            return "store: \(operation) failed: \(reason); nothing was changed"
        }
    }

    static func wrap(_ operation: String, _ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        return .failed(operation: operation, reason: Store.reason(error))
    }
}

extension Workspace {
    /// The store of this workspace, created and migrated if missing.
    public func openStore() throws(StoreError) -> Store {
        try Store.open(self)
    }
}
