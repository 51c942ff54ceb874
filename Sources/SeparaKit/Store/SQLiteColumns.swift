import GRDB
import GRDBSQLite

// The one file that calls SQLite's C API directly (everything else goes through GRDB): reading a column of
// the current row in place, for scans of a million records where copying each value into a `Data` or a
// `String` would dominate.

extension Statement {
    /// Calls `body` with the bytes of column `index` (0-based) of the row the statement is on, in SQLite's
    /// own buffer: valid only inside `body`, until the statement steps again. NULL gives an empty buffer.
    ///
    /// The corresponding C functions are `sqlite3_column_text` and `sqlite3_column_bytes`.
    func withColumnBytes<T>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let pointer = sqlite3_column_text(sqliteStatement, index)
        let count = Int(sqlite3_column_bytes(sqliteStatement, index))
        return try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }
}
