/// Why a sheet (a transcription, a slips sheet, a rejects file) is refused before any row is read. Messages
/// name the file and column,
/// never a value from the file.
public enum SheetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is empty: no header.
    case noHeader(file: String)
    /// A header cell is empty.
    case emptyHeader(file: String, column: Int)
    /// A header cell names no column of the template.
    case unknownColumn(file: String, column: Int)
    /// A header cell could name two columns.
    case ambiguousHeader(file: String, column: Int)
    /// Two header cells name the same column.
    case duplicateColumn(file: String, column: Int, first: Int)
    /// A required column is missing.
    case missingColumn(file: String, name: String)
    /// The header itself cannot be read (encoding, quoting…).
    case unreadableHeader(CSVError)
    /// The file cannot be opened or read.
    case unreadable(CSVError)
    /// Two files of the same import are the same file.
    case sameFileTwice(file: String)

    public var description: String {
        switch self {
        case .noHeader(let file):
            return "\(file): the file is empty; it needs a header row (make one with 'separa transcription TEMPLATE')"
        case .emptyHeader(let file, let column):
            return "\(file):1: column \(column): empty header; name the column, or delete it if it is empty"
        case .unknownColumn(let file, let column):
            return "\(file):1: column \(column): not a column of this template; delete it, or check the template "
                + "name (columns hold only the form's fields: no notes, no names); nothing was imported"
        case .ambiguousHeader(let file, let column):
            return "\(file):1: column \(column): the header could name two columns; use the field name "
                + "(see 'separa transcription TEMPLATE')"
        case .duplicateColumn(let file, let column, let first):
            return "\(file):1: column \(column): the same field as column \(first); keep one of them"
        case .missingColumn(let file, let name):
            return "\(file):1: the column '\(name)' is missing; add it (see 'separa transcription TEMPLATE'); "
                + "nothing was imported"
        case .unreadableHeader(let error):
            return "\(error) (in the header row); nothing was imported"
        case .unreadable(let error):
            return "\(error); nothing was imported"
        case .sameFileTwice(let file):
            return "\(file) is given twice"
        }
    }
}

/// Why one row was not stored. The reason goes into the rejects file next to the original row, and never
/// repeats a value.
public enum RowProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The CSV record itself is malformed (see ``CSVError``).
    case malformed(String)
    /// The code column is empty.
    case missingCode
    /// The code is not a valid code.
    case invalidCode(CodeError, nearby: [String])
    /// A valid code that this workspace never issued.
    case unregisteredCode
    /// A code replaced by another one.
    case revokedCode
    /// A required field is empty.
    case required
    /// Not a whole number, or out of range.
    case notWholeNumber(min: Int?, max: Int?)
    /// Not a number, or out of range.
    case notNumber(min: Double?, max: Double?)
    /// Not a date in the declared format.
    case badDate(DateFormat.Problem, pattern: String)
    /// Not one of the choices.
    case unknownChoice
    /// Could be two choices.
    case ambiguousChoice
    /// Not 1, 0 or empty in a tick column.
    case notTick
    /// Not an age in years (0–120) nor an age band.
    case badAge
    /// Free text where the template does not allow it, or without `--allow-free-text`.
    case freeTextNotAllowed
    /// Free text that looks like identity (a phone number, an e-mail address, a name).
    case looksLikeIdentity(String)
    /// A cell that a spreadsheet would run as a formula.
    case formula
    /// Text longer than the field allows.
    case tooLong(max: Int)
    /// The same code and visit date as an earlier row of this file.
    case duplicateInFile(line: Int)
    /// A different record for this code, template and visit date is already stored.
    case conflict
    /// With `--strict`: this row was fine, but others were not, so nothing was stored.
    case strictRollback
    /// A visit date after the day of the import (ISO `today`): a slip of the year or month.
    case visitDateInFuture(today: String)

    public var description: String {
        switch self {
        case .malformed(let text): return text
        case .missingCode: return "the code is empty; copy it from the sheet"
        case .invalidCode(let error, let nearby):
            let hint =
                nearby.isEmpty
                ? "; no registered code is one edit away: check the paper"
                : "; registered codes one edit away: \(nearby.joined(separator: " ")) (compare with the paper; nothing was corrected)"
            return "invalid code: \(error)\(hint)"
        case .unregisteredCode: return "code not registered in this workspace: check the paper"
        case .revokedCode: return "code revoked: ask a key holder (separa key resolve)"
        case .required: return "required, but empty"
        case .notWholeNumber(let min, let max): return "not a whole number" + Self.range(min, max)
        case .notNumber(let min, let max): return "not a number" + Self.range(min, max)
        case .badDate(let problem, let pattern): return "not a date in the form \(pattern): \(problem)"
        case .unknownChoice: return "not one of the choices (write the choice's name or its label)"
        case .ambiguousChoice: return "could be two choices: write the choice's name"
        case .notTick: return "write 1 if ticked, 0 or nothing if not"
        case .badAge: return "not an age: whole years 0–120, or a band 0-4, 5-11, 12-17, 18-59, 60+"
        case .freeTextNotAllowed:
            return "free text is not allowed here (the template does not allow it, or --allow-free-text was not given)"
        case .looksLikeIdentity(let what):
            return "looks like \(what): identity belongs on the identity slip only; remove it"
        case .formula: return "looks like a spreadsheet formula; type the value itself"
        case .tooLong(let max): return "longer than \(max) characters"
        case .duplicateInFile(let line): return "same code and visit date as line \(line) of this file"
        case .conflict:
            return
                "a different record for this code and visit date is already stored; compare with the paper, and use --replace to take this one"
        case .strictRollback: return "not stored: --strict, and other rows were rejected"
        case .visitDateInFuture(let today):
            return "the visit date is after today (\(today)): check the day, month and year on the paper"
        }
    }

    static func range<T: Comparable & CustomStringConvertible>(_ min: T?, _ max: T?) -> String {
        switch (min, max) {
        case (let min?, let max?): return " from \(min) to \(max)"
        case (let min?, nil): return " of at least \(min)"
        case (nil, let max?): return " of at most \(max)"
        default: return ""
        }
    }
}

/// A rejected row: where, which column, why.
public struct RowRejection: Error, Sendable, Hashable {
    public let line: Int
    /// 1-based column in the file; nil when the problem is the whole row.
    public let column: Int?
    /// The column's name (for messages), when there is one.
    public let columnName: String?
    public let problem: RowProblem

    /// The rejection as every row problem is shown (``RowDiagnostic``), for `file`.
    public func diagnostic(file: String) -> RowDiagnostic {
        RowDiagnostic(file: file, line: line, column: column, columnName: columnName, reason: problem.description)
    }
}
