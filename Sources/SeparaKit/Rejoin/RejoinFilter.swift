import Foundation

/// Which records a rejoin takes: the `--where` conditions, parsed against the template.
///
/// Conditions on different fields must all hold (AND); several conditions on the same field are
/// alternatives (OR): `--where nationality=afg --where nationality=syr --where sex=female` takes women
/// from Afghanistan or Syria. A `select_multiple` field holds when the record's list *contains* the choice.
/// `visit_date>=DATE` and `visit_date<=DATE` are bounds that both apply (a range), alongside any
/// `visit_date=DATE` alternatives. Values are kept as choice names, dates and canonical codes only, so the
/// filter can be written to the audit log as it is.
public struct RejoinFilter: Hashable, Sendable {
    /// One field's condition: the record's value must be one of `names` (for a `select_multiple` field,
    /// its list must contain one of them).
    public struct ChoiceCondition: Hashable, Sendable {
        /// The field's name.
        public var field: String
        /// The accepted choice names, in the order first given.
        public var names: [String]
        /// Whether the field is a `select_multiple` (contains, rather than equals).
        public var contains: Bool
    }

    /// The choice conditions, one per field, in the order first given.
    public private(set) var choices: [ChoiceCondition] = []
    /// Canonical case codes (any of them); empty: every code.
    public private(set) var codes: [String] = []
    /// Exact visit dates (any of them), `YYYY-MM-DD`; empty: any date within the bounds.
    public private(set) var dates: [String] = []
    /// The first visit date taken: the latest of the `visit_date>=` dates (bounds narrow, never widen).
    public private(set) var from: String?
    /// The last visit date taken: the earliest of the `visit_date<=` dates.
    public private(set) var through: String?

    /// The filter that takes every record.
    public init() {}

    /// Parses `conditions` (as given to `--where`) against `template`.
    ///
    /// FIELD is a choice field of the sensitive sheet (`select_one`, `select_multiple`, `yes_no`) named by
    /// its name or label, or `code`, or `visit_date`. VALUE is a choice name or label in any of the
    /// template's languages (case and accents ignored), a case code in any spelling, or a date `YYYY-MM-DD`.
    public init(_ conditions: [String], template: Template, randomLength: Int? = nil) throws(RejoinError) {
        for (index, condition) in conditions.enumerated() {
            let position = index + 1
            guard let (rawField, op, rawValue) = Self.split(condition) else {
                throw .malformedCondition(position: position)
            }
            let name = rawField.trimmingCharacters(in: .whitespaces)
            let value = rawValue.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !value.isEmpty else { throw .malformedCondition(position: position) }
            switch name.lowercased() {
            case "code":
                guard op == "=" else { throw .rangeNotAllowed(field: "code") }
                do {
                    let code = try CaseCode.parse(value, expectedRandomLength: randomLength)
                    if !codes.contains(code.canonical) { codes.append(code.canonical) }
                } catch {
                    throw .badCode(position: position, problem: error)
                }
            case TemplateChecker.visitDateField:
                guard let day = CalendarDay(iso: value) else { throw .badDate(position: position) }
                switch op {
                case ">=": from = max(from ?? day.description, day.description)
                case "<=": through = min(through ?? day.description, day.description)
                default: if !dates.contains(day.description) { dates.append(day.description) }
                }
            default:
                let field = try Self.field(named: name, in: template)
                guard op == "=" else { throw .rangeNotAllowed(field: field.name) }
                guard let list = template.choices(for: field) else {
                    throw .unknownChoice(field: field.name, choices: [])
                }
                switch list.choice(matching: value) {
                case .found(let choice):
                    if let index = choices.firstIndex(where: { $0.field == field.name }) {
                        if !choices[index].names.contains(choice.name) { choices[index].names.append(choice.name) }
                    } else {
                        var contains = false
                        if case .selectMultiple = field.kind { contains = true }
                        choices.append(ChoiceCondition(field: field.name, names: [choice.name], contains: contains))
                    }
                case .notFound:
                    throw .unknownChoice(field: field.name, choices: list.choices.map(\.name))
                case .ambiguous(let names):
                    throw .ambiguousChoice(field: field.name, candidates: names)
                }
            }
        }
    }

    /// The names `--where` accepts for `template`: `code`, `visit_date`, then its sensitive choice fields.
    public static func filterableFields(of template: Template) -> [String] {
        ["code", TemplateChecker.visitDateField] + template.sensitiveFields.filter(isChoice).map(\.name)
    }

    static func isChoice(_ field: Field) -> Bool {
        switch field.kind {
        case .selectOne, .selectMultiple, .yesNo: return true
        default: return false
        }
    }

    /// The sensitive choice field `name` names (by name or label in any language).
    private static func field(named name: String, in template: Template) throws(RejoinError) -> Field {
        let filterable = filterableFields(of: template)
        let field: Field
        switch template.field(matchingHeader: name) {
        case .found(let found): field = found
        case .notFound:
            throw .unknownField(field: name, template: template.id.rawValue, filterable: filterable)
        case .ambiguous(let names):
            throw .notFilterable(
                field: name, reason: "it names several fields: \(names.joined(separator: ", "))",
                filterable: filterable)
        }
        if field.sheet == .identity {
            throw .notFilterable(
                field: field.name,
                reason: "an identity field: identity lives only in the key file; see separa key find",
                filterable: filterable)
        }
        guard isChoice(field) else {
            throw .notFilterable(
                field: field.name, reason: "a \(field.kind.typeName) field; only choice fields filter",
                filterable: filterable)
        }
        return field
    }

    /// `FIELD>=VALUE`, `FIELD<=VALUE` or `FIELD=VALUE`, split at the first operator.
    private static func split(_ condition: String) -> (String, String, String)? {
        guard let equals = condition.firstIndex(of: "=") else { return nil }
        let before = condition[..<equals]
        let value = String(condition[condition.index(after: equals)...])
        if let last = before.last, last == ">" || last == "<" {
            return (String(before.dropLast()), String(last) + "=", value)
        }
        return (String(before), "=", value)
    }

    /// Whether a record's fields (as decoded from its JSON) satisfy the choice conditions. Codes and dates
    /// are chosen by the store query (``codes``, ``dates``, ``from``, ``through``).
    func matchesChoices(_ fields: [String: StoredValue]) -> Bool {
        for condition in choices {
            if condition.contains {
                guard case .list(let names)? = fields[condition.field] else { return false }
                if !condition.names.contains(where: { names.contains($0) }) { return false }
            } else {
                guard case .text(let value)? = fields[condition.field], condition.names.contains(value) else {
                    return false
                }
            }
        }
        return true
    }

    /// Whether the filter takes every record of the template.
    public var isEmpty: Bool { choices.isEmpty && codes.isEmpty && dates.isEmpty && from == nil && through == nil }

    /// The filter as the audit log records it: `nationality=afg|syr, sex=female, visit_date>=2026-01-01`
    /// (choice names, dates and codes only), or `all` when it takes every record.
    public var auditText: String {
        var parts: [String] = []
        if !codes.isEmpty { parts.append("code=" + codes.joined(separator: "|")) }
        for condition in choices { parts.append("\(condition.field)=" + condition.names.joined(separator: "|")) }
        if !dates.isEmpty { parts.append("visit_date=" + dates.joined(separator: "|")) }
        if let from { parts.append("visit_date>=\(from)") }
        if let through { parts.append("visit_date<=\(through)") }
        return parts.isEmpty ? "all" : parts.joined(separator: ", ")
    }
}
