/// One problem with one row of an input file — a transcription, a slips sheet, an inbox file, a code list —
/// and the one way Separa prints it: `file:line: column 'name': reason`.
///
/// Never carries a value from the row: where, and why. Ingest, key add, key merge and code lists each keep
/// their own typed problems and hand them out as diagnostics, so that a person reads every kind the same way.
public struct RowDiagnostic: Hashable, Sendable, CustomStringConvertible {
    /// The file as the person knows it (`sheets.csv`, `keys/inbox/….age`).
    public var file: String
    /// 1-based line in the file.
    public var line: Int
    /// 1-based column, when the problem is one cell and the column has no name.
    public var column: Int?
    /// The column's header, when the problem is one cell.
    public var columnName: String?
    /// A pseudonymous case code the row is about, as printed, when it says which paper to fetch.
    public var code: String?
    /// What is wrong and what to do.
    public var reason: String

    public init(
        file: String, line: Int, column: Int? = nil, columnName: String? = nil, code: String? = nil, reason: String
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.columnName = columnName
        self.code = code
        self.reason = reason
    }

    /// `file:line: column 'name': CODE: reason`; the column and the code only when known.
    public var description: String {
        var text = "\(file):\(line):"
        if let columnName {
            text += " column '\(columnName)':"
        } else if let column {
            text += " column \(column):"
        }
        if let code { text += " \(code):" }
        return text + " \(reason)"
    }
}
