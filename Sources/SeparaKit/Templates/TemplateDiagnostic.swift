import Foundation

/// One finding about a template: where, what is wrong, and what to change.
///
/// Messages name fields, choices and columns of the template — never data about a person.
public struct TemplateDiagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Comparable {
        /// The template cannot be printed or ingested until this is fixed.
        case error
        /// Allowed, but worth changing; ``Rule/freeTextOnSensitiveSheet`` also needs `--allow-free-text`.
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
    }

    /// Which rule a finding comes from (stable, for tests and tools).
    public enum Rule: String, Sendable, CaseIterable {
        /// The file cannot be read, or its structure is wrong (missing key, wrong type).
        case structure
        /// A feature Separa does not support on paper (repeat, calculate, relevant, geopoint, media…).
        case unsupportedFeature
        /// An identity field (name, phone, address, document number, date of birth…) on a sensitive sheet.
        case identityOnSensitiveSheet
        /// A question about protection incidents or sexual and gender-based violence.
        case protectionIncident
        /// A field without a purpose, or pointing to an undeclared purpose.
        case missingPurpose
        /// A select without choices, or whose list does not exist.
        case selectWithoutChoices
        /// A text missing for a declared language (label, choice, title, purpose, consent settings).
        case missingTranslation
        /// Two fields, or two choices of a list, with the same name (or labels ingest cannot tell apart).
        case duplicateName
        /// A name that cannot be a column header (letters, digits and `_`, starting with a letter).
        case invalidName
        /// Free text on a sensitive sheet (data minimisation).
        case freeTextOnSensitiveSheet
        /// Free text that the template does not explicitly allow.
        case freeTextNotAllowed
        /// A bad value: range, retention, id, version, language code, date format.
        case invalidValue
        /// A language the identity and SGBV word lists do not cover: its labels were not checked.
        case uncheckedLanguage
        /// The XLSForm lacks a Separa column (`sheet`, `purpose`).
        case missingSeparaColumn
    }

    public var severity: Severity
    public var rule: Rule
    public var location: SourceLocation?
    /// What is wrong, naming the field, choice or column.
    public var message: String
    /// What to change.
    public var fix: String

    public init(_ severity: Severity, _ rule: Rule, at location: SourceLocation?, _ message: String, fix: String) {
        self.severity = severity
        self.rule = rule
        self.location = location
        self.message = message
        self.fix = fix
    }

    /// `templates/intake.yaml:42: error: … Fix: …`, or in pyxform's style for workbooks:
    /// `form.xlsx: error: [row : 12] On the 'survey' sheet, … Fix: …`.
    public var description: String {
        let text = message + (fix.isEmpty ? "" : ". " + fix.prefix(1).uppercased() + fix.dropFirst())
        switch location {
        case .sheet(let file, let sheet, let row)?:
            return "\(file): \(severity.rawValue): [row : \(row)] On the '\(sheet)' sheet, \(text)"
        case let location?:
            return "\(location): \(severity.rawValue): \(text)"
        case nil:
            return "\(severity.rawValue): \(text)"
        }
    }

    /// Whether this finding stops printing and ingest, given the `--allow-free-text` choice.
    public func blocks(allowFreeText: Bool) -> Bool {
        severity == .error || (rule == .freeTextOnSensitiveSheet && !allowFreeText)
    }
}

extension Array where Element == TemplateDiagnostic {
    /// The errors.
    public var errors: [TemplateDiagnostic] { filter { $0.severity == .error } }
    /// The warnings.
    public var warnings: [TemplateDiagnostic] { filter { $0.severity == .warning } }
    /// Whether any finding stops printing and ingest.
    public func blocks(allowFreeText: Bool) -> Bool { contains { $0.blocks(allowFreeText: allowFreeText) } }
}

/// Why a template cannot be found, read, written or used.
public enum TemplateError: Error, Sendable, CustomStringConvertible {
    /// No template with this id or file name in `templates/`.
    case notFound(name: String, folder: String, available: [String])
    /// Two files in `templates/` declare the same id.
    case duplicateID(id: TemplateID, files: [String])
    /// The template file could not be read or parsed; the diagnostics say where.
    case unreadable(file: String, diagnostics: [TemplateDiagnostic])
    /// The template breaks the checker's rules; printing and ingest refuse it.
    case refused(id: TemplateID, diagnostics: [TemplateDiagnostic])
    /// `template import` would overwrite an existing file.
    case wouldOverwrite(path: String)
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let name, let folder, let available):
            return "no template '\(name)' in \(folder)"
                + (available.isEmpty
                    ? "; the folder holds no template" : "; available: " + available.joined(separator: ", "))
                + ". Run 'separa template list'"
        case .duplicateID(let id, let files):
            return
                "template id '\(id)' is declared by several files (\(files.joined(separator: ", "))): give each template its own id"
        case .unreadable(let file, let diagnostics):
            return "cannot read template \(file):\n" + diagnostics.map(\.description).joined(separator: "\n")
        case .refused(let id, let diagnostics):
            let blocking = diagnostics.filter { $0.severity == .error || $0.rule == .freeTextOnSensitiveSheet }
            return "template '\(id)' is refused:\n" + blocking.map(\.description).joined(separator: "\n")
        case .wouldOverwrite(let path):
            return "\(path) exists; nothing was written. Pass --force to replace it"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
