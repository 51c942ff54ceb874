import Foundation

/// Reading a CSV of transcribed identity slips: a `code` column and the template's identity fields, each
/// named by field name or by label in any of the template's languages (case, accents and spacing ignored,
/// as for transcription files).
public enum IdentitySlips {
    /// The column header of the code.
    public static let codeColumn = "code"

    /// What a header cell holds.
    enum Column: Hashable {
        case code
        case field(Field)
    }

    /// The identity fields a CSV may carry (notes left out).
    static func fields(of template: Template) -> [Field] { template.identity.filter(\.collectsData) }

    /// Maps the header row onto the template; refuses unknown, ambiguous, duplicate and missing columns
    /// (an unknown column would be a place for values nobody meant to keep).
    static func map(_ header: [String], template: Template, file: String) throws(SheetError) -> [Column] {
        var lookup: [String: Column] = [TextKey.normalize(codeColumn): .code]
        var ambiguous: Set<String> = []
        for field in fields(of: template) {
            for spelling in [field.name] + field.label.values.values {
                let key = TextKey.normalize(spelling)
                guard !key.isEmpty else { continue }
                if let existing = lookup[key], existing != .field(field) {
                    ambiguous.insert(key)
                } else {
                    lookup[key] = .field(field)
                }
            }
        }
        var columns: [Column] = []
        var seen: [Column: Int] = [:]
        for (index, cell) in header.enumerated() {
            let key = TextKey.normalize(cell)
            let position = index + 1
            if key.isEmpty { throw .emptyHeader(file: file, column: position) }
            if ambiguous.contains(key) { throw .ambiguousHeader(file: file, column: position) }
            guard let column = lookup[key] else { throw .unknownColumn(file: file, column: position) }
            if let earlier = seen[column] { throw .duplicateColumn(file: file, column: position, first: earlier) }
            seen[column] = position
            columns.append(column)
        }
        guard seen[.code] != nil else { throw .missingColumn(file: file, name: codeColumn) }
        for field in fields(of: template) where field.required && seen[.field(field)] == nil {
            throw .missingColumn(file: file, name: field.name)
        }
        return columns
    }
}

/// Why one identity-slip row was not sealed. Never carries a value from the row.
public enum SlipProblem: Hashable, Sendable, CustomStringConvertible {
    /// A problem with the code or a required field, as ingest reports it.
    case row(RowProblem)
    /// The same code is on an earlier line of this file.
    case duplicateInFile(line: Int)
    /// The code is already linked to a person in the key file (found at merge).
    case alreadyLinked
    /// The code is already linked to a person in an earlier inbox file of the same merge.
    case duplicateInInbox
    /// The consent the template records is not given: no identity is kept (the slip stays on paper only).
    case noConsent
    /// A field the template's identity slip does not have.
    case notAField
    /// A line break, tab or other control character inside a field.
    case controlCharacter
    /// An inbox entry that is not one person's slip as `key add` writes it (unreadable, or with keys of
    /// its own).
    case notAnEntry
    /// An inbox entry whose code is not in the canonical form `key add` writes.
    case notCanonical
    /// An inbox entry for a template this workspace does not have.
    case unknownTemplate
    /// An inbox entry carrying earlier codes: only a reissue writes a person's history.
    case carriesHistory
    /// An inbox entry whose `added_at` does not fall within its inbox file's time.
    case addedAtOutOfWindow
    /// An inbox entry that no `key add` in the audit log sealed (written by hand into the inbox).
    case notSealedByKeyAdd

    public var description: String {
        switch self {
        case .row(let problem): return problem.description
        case .duplicateInFile(let line): return "same code as line \(line) of this file; keep one slip"
        case .alreadyLinked:
            return "this code is already linked to a person in the key file; compare the slips with the key holder"
        case .duplicateInInbox: return "two inbox entries for this code; the earlier one was kept"
        case .noConsent:
            return "consent is not given: no identity is kept for this person; keep the slip on paper only"
        case .notAField: return "a field this template's identity slip does not have: held, never merged"
        case .controlCharacter: return "a line break or control character inside a field: type it on one line"
        case .notAnEntry: return "not an identity slip as 'separa key add' writes it: held, never merged"
        case .notCanonical: return "the code is not written as 'separa key add' writes it: held, never merged"
        case .unknownTemplate: return "a template this workspace does not have: held, never merged"
        case .carriesHistory:
            return "carries earlier codes, which only 'separa key reissue' writes: held, never merged"
        case .addedAtOutOfWindow:
            return "its time does not match its inbox file's time (back-dated?): held, never merged"
        case .notSealedByKeyAdd:
            return
                "no 'separa key add' in the audit log sealed it (written into the inbox by hand?): held, never merged"
        }
    }
}

/// One rejected identity-slip row: its line, column and reason — and nothing from its cells.
public struct SlipRejection: Hashable, Sendable {
    /// The line in the CSV (1-based).
    public let line: Int
    /// The column's header name when the problem is one cell.
    public let column: String?
    public let problem: SlipProblem

    /// The rejection as every row problem is shown (``RowDiagnostic``), for `file`.
    public func diagnostic(file: String) -> RowDiagnostic {
        RowDiagnostic(file: file, line: line, columnName: column, reason: problem.description)
    }
}
