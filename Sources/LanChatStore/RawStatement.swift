import Foundation
import GRDB
import GRDBSQLite

/// Binds and steps a cached statement through SQLite's C API. The entry and link inserts run once per
/// entry in a catch-up, and GRDB's general argument path (an array of existentials, checked per call)
/// cost a quarter of each insert; these statements' arguments are fixed by their SQL.
struct RawStatement {
    private let statement: Statement
    private var handle: SQLiteStatement { statement.sqliteStatement }
    /// Tells SQLite to copy the bytes: the buffers bound here do not outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    enum Value {
        case blob([UInt8])
        case int(Int64)
        case text(String)
        case null
    }

    /// Runs the statement once with these values, in the order of its parameters.
    func execute(_ values: [Value]) throws {
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32 =
                switch value {
                case .blob(let bytes): bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), Self.transient) }
                case .int(let number): sqlite3_bind_int64(handle, index, number)
                case .text(let string): sqlite3_bind_text(handle, index, string, -1, Self.transient)
                case .null: sqlite3_bind_null(handle, index)
                }
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "binding parameter \(index)", sql: statement.sql) }
        }
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: statement.sql)
        }
    }
}
