import Foundation

/// Why a rejoin was refused or failed. Messages name options, fields and choices, never a value from the
/// key file or a record; when a rejoin fails, no output file is left behind.
public enum RejoinError: Error, Sendable, CustomStringConvertible {
    /// `--purpose` is empty or blank.
    case emptyPurpose
    /// The purpose looks like identity (a phone number, an e-mail address, a "name:" label): it goes into
    /// the audit log, which must never name a person.
    case purposeLooksLikeIdentity(what: String)
    /// The purpose holds a name, phone number or other identity value of someone in the key file.
    case purposeNamesAPerson
    /// The purpose is longer than the audit log takes, or holds a line break or control character.
    case purposeNotOneLine(maximum: Int)
    /// A `--where` condition is not `FIELD=VALUE`, `visit_date>=DATE` or `visit_date<=DATE`.
    case malformedCondition(position: Int)
    /// A `--where` condition names no field of the template that can filter.
    case unknownField(field: String, template: String, filterable: [String])
    /// The field exists but cannot filter: an identity field, or a field that is not a choice.
    case notFilterable(field: String, reason: String, filterable: [String])
    /// The value is neither a choice name nor a label of the field's choices.
    case unknownChoice(field: String, choices: [String])
    /// The value matches the labels of several choices.
    case ambiguousChoice(field: String, candidates: [String])
    /// `>=` or `<=` on a field other than `visit_date`.
    case rangeNotAllowed(field: String)
    /// A `visit_date` condition whose value is not a date `YYYY-MM-DD`.
    case badDate(position: Int)
    /// A `code` condition whose value is not a valid case code.
    case badCode(position: Int, problem: CodeError)
    /// The output file's name does not end as its kind asks (`.age` encrypted, `.csv` plain).
    case wrongExtension(path: String, expected: String)
    /// The template could not be read.
    case template(TemplateError)
    /// The key file could not be opened (``KeyFileError/wrongPassphrase(path:)`` among others).
    case keyFile(KeyFileError)
    /// The store could not be read or the audit log written.
    case store(StoreError)
    /// A stored record's fields are not readable JSON (named by code, template and date only).
    case damagedRecord(code: String, template: String, visitDate: String)
    /// The output could not be written or encrypted; nothing was left at the destination.
    case cannotWrite(path: String, reason: String)

    /// Whether the command line was at fault (exit status 64) rather than the workspace or the disk.
    public var isUsage: Bool {
        switch self {
        case .emptyPurpose, .purposeLooksLikeIdentity, .purposeNamesAPerson, .purposeNotOneLine, .malformedCondition,
            .unknownField,
            .notFilterable, .unknownChoice, .ambiguousChoice, .rangeNotAllowed, .badDate, .badCode, .wrongExtension:
            return true
        case .template(let error):
            if case .notFound = error { return true }
            return false
        case .keyFile, .store, .damagedRecord, .cannotWrite:
            return false
        }
    }

    public var description: String {
        switch self {
        case .emptyPurpose:
            return "--purpose is required: say why the re-identified view is needed (e.g. 'follow-up of referrals')"
        case .purposeLooksLikeIdentity(let what):
            return
                "--purpose looks like \(what): the purpose goes into the audit log and must never name or reach a person; describe the task instead"
        case .purposeNamesAPerson:
            return
                "--purpose holds a name or contact of someone in the key file: the purpose goes into the audit log and must never name a person; describe the task instead; nothing was written"
        case .purposeNotOneLine(let maximum):
            return "--purpose must be one line of at most \(maximum) characters, without control characters"
        case .malformedCondition(let position):
            return
                "--where #\(position): write FIELD=VALUE, or visit_date>=YYYY-MM-DD / visit_date<=YYYY-MM-DD"
        case .unknownField(let field, let template, let filterable):
            return
                "--where: template \(template) has no field '\(field)' to filter on; fields: \(filterable.joined(separator: ", "))"
        case .notFilterable(let field, let reason, let filterable):
            return
                "--where: field '\(field)' cannot filter (\(reason)); fields: \(filterable.joined(separator: ", "))"
        case .unknownChoice(let field, let choices):
            return "--where \(field): no such choice; choices: \(choices.joined(separator: ", "))"
        case .ambiguousChoice(let field, let candidates):
            return
                "--where \(field): the value matches several choices (\(candidates.joined(separator: ", "))); use the choice name"
        case .rangeNotAllowed(let field):
            return "--where \(field): >= and <= work with visit_date only; use \(field)=VALUE"
        case .badDate(let position):
            return "--where #\(position): visit_date takes a date YYYY-MM-DD"
        case .badCode(let position, let problem):
            return "--where #\(position): code: \(problem)"
        case .wrongExtension(let path, let expected):
            return expected == ".age"
                ? "-o \(path): an encrypted rejoin is written to a file ending in .age (or ask for --plaintext, knowingly)"
                : "-o \(path): a --plaintext rejoin is written to a file ending in .csv"
        case .template(let error):
            return "\(error)"
        case .keyFile(let error):
            return "\(error)"
        case .store(let error):
            return "\(error)"
        case .damagedRecord(let code, let template, let visitDate):
            return
                "the store's record \(CodeFormat.group(code)) / \(template) / \(visitDate) is damaged (its fields are not JSON); nothing was written"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason); nothing was written"
        }
    }
}
