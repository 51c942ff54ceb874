import Foundation
import GRDB

extension CodeRegistry {
    /// Calls `body` for each registered code, in code order, optionally only those of one batch or status.
    ///
    /// Streams from the store: memory does not grow with the registry.
    public func forEachCode(
        batch: BatchID? = nil, status: CodeStatus? = nil, _ body: (RegisteredCode) throws -> Void
    ) throws {
        do {
            try store.database.read { db in
                if let batch, try Batch.fetchOne(db, key: batch.rawValue) == nil {
                    throw CodeRegistryError.unknownBatch(batch)
                }
                var request = RegisteredCode.current.order(Column("code"))
                if let batch { request = request.filter(Column("batch") == batch.rawValue) }
                if let status { request = request.filter(Column("status") == status.rawValue) }
                let cursor = try request.fetchCursor(db)
                while let row = try cursor.next() { try body(row) }
            }
        } catch let error as CodeRegistryError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.wrap("listing codes", error)
        }
    }

    /// All batches, oldest first.
    public func batches() throws(StoreError) -> [Batch] {
        try store.read("listing batches") { db in
            try Batch.order(Column("created_at"), Column("id")).fetchAll(db)
        }
    }

    /// The size of the code space and the odds that matter, for this workspace.
    public func info() throws(StoreError) -> CodeSpaceInfo {
        do {
            let (issued, batches, byStatus) = try store.database.read { db in
                let issued = try Int.fetchOne(db, sql: "SELECT count(*) FROM code") ?? 0
                let batches = try Int.fetchOne(db, sql: "SELECT count(*) FROM batch") ?? 0
                var byStatus: [CodeStatus: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT status, count(*) FROM code_state GROUP BY status") {
                    if let status = CodeStatus(rawValue: row[0]) { byStatus[status] = row[1] }
                }
                return (issued, batches, byStatus)
            }
            return CodeSpaceInfo(randomLength: randomLength, registered: issued, batches: batches, byStatus: byStatus)
        } catch {
            throw StoreError.wrap("reading the registry", error)
        }
    }
}

/// Figures about the code space, as `separa codes info` shows them.
public struct CodeSpaceInfo: Sendable, Equatable {
    public let randomLength: Int
    public let registered: Int
    public let batches: Int
    public let byStatus: [CodeStatus: Int]

    /// Number of distinct valid codes: 29^randomLength.
    public var codeSpace: Double { pow(Double(CodeAlphabet.count), Double(randomLength)) }
    /// log2 of the code space.
    public var bits: Double { Double(randomLength) * log2(Double(CodeAlphabet.count)) }

    /// Chance that `n` codes drawn independently (at sites that do not coordinate) contain at least one
    /// duplicate: 1 − exp(−n(n−1)/2N).
    public func collisionProbability(codes n: Int) -> Double {
        let n = Double(n)
        return -expm1(-n * (n - 1) / (2 * codeSpace))
    }

    /// Chance that one guessed code with a valid check symbol is one of `issued` codes: issued / N.
    public func guessProbability(issued: Int) -> Double {
        Double(issued) / codeSpace
    }
}
