import GRDB
import GRDBSQLite

// The one file that calls SQLite's C API directly (everything else goes through GRDB): reading a column of
// the current row in place, for scans of a million records where copying each value into a `Data` or a
// `String` would dominate; and binding and running an insert a million times (ingest), where GRDB's
// `StatementArguments` (an array of existentials, each string copied to a C string) would dominate.

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

extension Statement {
    /// Binds parameter `index` (1-based) to a copy of `text` (`sqlite3_bind_text`, `SQLITE_TRANSIENT`).
    /// The binding stays until it is bound again, across ``executeOnce(_:binding:at:)``.
    func bindText(_ text: String, at index: Int32) {
        var text = text
        _ = text.withUTF8 { bytes in
            if let base = UnsafeRawPointer(bytes.baseAddress), !bytes.isEmpty {
                sqlite3_bind_text(
                    sqliteStatement, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient
                )
            } else {
                sqlite3_bind_text(sqliteStatement, index, "", 0, Self.transient)  // a null pointer would bind NULL
            }
        }
    }

    /// Binds parameter `index` (1-based) to an integer (`sqlite3_bind_int64`).
    func bindInt(_ value: Int, at index: Int32) {
        _ = sqlite3_bind_int64(sqliteStatement, index, Int64(value))
    }

    /// How a run of ``executeOnce(_:binding:at:)`` ended, short of an error.
    enum Outcome {
        case done
        /// A foreign key refused the row (a one-row statement fails on it at once); nothing was changed.
        case foreignKeyViolation
    }

    /// Runs the statement once, which must return no row, with parameter `index` bound to `text` as UTF-8
    /// in place (`SQLITE_STATIC`: not copied; unbound again before returning), the other parameters as
    /// bound before. `db.changesCount` tells what it changed.
    ///
    /// - Throws: `DatabaseError` with SQLite's code and message (which never hold a bound value).
    func executeOnce(_ db: Database, binding text: UnsafeBufferPointer<UInt8>, at index: Int32) throws -> Outcome {
        let statement = sqliteStatement
        if let base = UnsafeRawPointer(text.baseAddress), !text.isEmpty {
            sqlite3_bind_text(statement, index, base.assumingMemoryBound(to: CChar.self), Int32(text.count), nil)
        } else {
            sqlite3_bind_text(statement, index, "", 0, Self.transient)
        }
        let code = sqlite3_step(statement)
        // On failure, the extended code (SQLITE_CONSTRAINT_FOREIGNKEY) and the message are the connection's
        // until the next call: read them before the reset.
        var failure: (code: Int32, message: String?)?
        if code != SQLITE_DONE {
            let connection = db.sqliteConnection
            failure = (
                connection.map { sqlite3_extended_errcode($0) } ?? code,
                connection.map { String(cString: sqlite3_errmsg($0)) }
            )
        }
        sqlite3_reset(statement)
        sqlite3_bind_null(statement, index)
        guard let failure else { return .done }
        if failure.code == ResultCode.SQLITE_CONSTRAINT_FOREIGNKEY.rawValue { return .foreignKeyViolation }
        throw DatabaseError(resultCode: ResultCode(rawValue: failure.code), message: failure.message, sql: sql)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
