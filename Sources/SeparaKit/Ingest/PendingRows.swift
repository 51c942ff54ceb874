import Foundation

/// One row read and checked, waiting for the store.
struct PendingRow {
    let line: Int
    /// The cells as read, for the rejects file.
    let cells: [String]
    var code: String = ""
    var visitDate: String = ""
    /// The record's JSON (``RowParser/parse(_:)``); ingest keeps it in its chunk's byte buffer instead, at
    /// `jsonStart..<jsonEnd` (``RowParser/parse(_:json:)``).
    var json: String = ""
    var jsonStart = 0
    var jsonEnd = 0
    /// Why the code is not a valid code (set by ``PendingChunk/prepare(randomLength:)``).
    var codeError: CodeError?
    var problem: RowRejection?
}

/// The rows of one chunk and their records' JSON texts, in one byte buffer reused from chunk to chunk.
struct PendingChunk {
    var rows: [PendingRow] = []
    var json: [UInt8] = []
    /// After ``prepare(randomLength:)``: the rows whose code is valid, in the store's key order.
    var order: [Int] = []

    init() {
        rows.reserveCapacity(FileImport.chunkSize)
        json.reserveCapacity(FileImport.chunkSize * 512)
        order.reserveCapacity(FileImport.chunkSize)
    }

    var count: Int { rows.count }

    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        json.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
    }

    /// The work that needs no store: each good row's code in canonical form (or the reason it is not a
    /// code, in `codeError`), and the rows with a valid code sorted in the store's key order.
    mutating func prepare(randomLength: Int) {
        order.removeAll(keepingCapacity: true)
        for index in rows.indices where rows[index].problem == nil {
            do {
                rows[index].code = try CaseCode.parse(rows[index].code, expectedRandomLength: randomLength).canonical
                order.append(index)
            } catch {
                rows[index].codeError = error
            }
        }
        rows.withUnsafeBufferPointer { rows in
            order.sort {
                (rows[$0].code, rows[$0].visitDate, rows[$0].line) < (rows[$1].code, rows[$1].visitDate, rows[$1].line)
            }
        }
    }
}
