import Foundation

/// What an identity slip may hold, checked the same way when a clerk adds it (`key add`) and when the
/// coordinator merges it (`key merge`): nothing in `keys/inbox/` is trusted, since every clerk can write
/// there and `keys/recipient.txt` is public, so merge judges every entry again, as if typed by a stranger.
public enum SlipRules {
    /// The longest text one identity field may hold (characters).
    public static let maximumFieldLength = 200

    /// How far an entry's `added_at` may be from the time in its inbox file's name.
    public static let addedAtWindow: TimeInterval = 24 * 3600

    /// The identity fields of `template` that record consent (purpose `consent`, yes/no or a select):
    /// each must say yes, or no identity is kept.
    public static func consentFields(of template: Template) -> [Field] {
        IdentitySlips.fields(of: template).filter { field in
            guard field.purpose == "consent" else { return false }
            switch field.kind {
            case .yesNo, .selectOne: return true
            default: return false
            }
        }
    }

    /// Checks and normalises one slip's fields for `template`: only the template's identity fields, the
    /// required ones present, each one line of at most ``maximumFieldLength`` characters with no control
    /// character, and every consent field read as a choice and given. Consent fields are stored as their
    /// choice name (`yes`).
    ///
    /// - Returns: the fields as they are to be sealed, or the problem and the field it concerns.
    public static func check(_ fields: [String: String], template: Template) -> Result<
        [String: String], SlipFieldProblem
    > {
        let allowed = IdentitySlips.fields(of: template)
        let names = Set(allowed.map(\.name))
        // The unexpected name is never shown: a name an inbox file chose may itself be identity.
        if fields.keys.contains(where: { !names.contains($0) }) {
            return .failure(SlipFieldProblem(field: nil, problem: .notAField))
        }
        var checked: [String: String] = [:]
        for field in allowed {
            guard let value = fields[field.name], !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                if field.required { return .failure(SlipFieldProblem(field: field.name, problem: .row(.required))) }
                continue
            }
            if value.count > maximumFieldLength {
                return .failure(SlipFieldProblem(field: field.name, problem: .row(.tooLong(max: maximumFieldLength))))
            }
            if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                return .failure(SlipFieldProblem(field: field.name, problem: .controlCharacter))
            }
            checked[field.name] = value
        }
        for field in consentFields(of: template) {
            guard let value = checked[field.name] else {
                return .failure(SlipFieldProblem(field: field.name, problem: .noConsent))
            }
            guard let list = template.choices(for: field), case .found(let choice) = list.choice(matching: value)
            else { return .failure(SlipFieldProblem(field: field.name, problem: .row(.unknownChoice))) }
            guard choice.name == "yes" else {
                return .failure(SlipFieldProblem(field: field.name, problem: .noConsent))
            }
            checked[field.name] = choice.name
        }
        return .success(checked)
    }
}

/// A slip field that cannot be kept, and why.
public struct SlipFieldProblem: Error, Hashable, Sendable {
    /// The template's field name; nil for a field the template does not have (its name, chosen by whoever
    /// wrote the entry, is never repeated).
    public let field: String?
    public let problem: SlipProblem
}
