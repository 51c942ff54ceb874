import Foundation

/// Enforces Separa's rules on a template; run before every print and ingest.
///
/// Errors (the template is refused):
/// - an identity field (name, phone, e-mail, address, document or ID number, date of birth, photo,
///   signature) on a sensitive sheet, recognised by type, field name, and label or hint in every
///   language the template declares;
/// - any field about protection incidents or sexual and gender-based violence, in any language the
///   word lists cover (name, label, hint, and the labels of its choices);
/// - a field without a declared purpose, a select without choices, a text missing for a declared
///   language, a duplicate field or choice name, free text the template does not explicitly allow on a
///   sensitive sheet, and bad values (ranges, retention, id, date formats).
///
/// Warnings: free text on a sensitive sheet (print and ingest need `allowFreeText`), languages the word
/// lists do not cover, language keys that are not codes, unused purposes.
public enum TemplateChecker {
    /// The reason printed with every protection-incident refusal.
    public static let protectionReason =
        "disclosures of protection incidents and sexual or gender-based violence are not documented: staff give protection and information, and keep no notes"

    /// Field names every sensitive sheet carries implicitly; a template may not declare them.
    /// The sensitive-sheet field every template must have: records are keyed by code, template and this date.
    public static let visitDateField = "visit_date"

    public static let reservedNames: Set<String> = ["code", "case_code", "batch", "template", "template_version"]

    /// All findings for `template`, errors first, each with its location and what to change.
    public static func check(_ template: Template) -> [TemplateDiagnostic] {
        var run = Run(template: template)
        run.checkTemplate()
        return run.diagnostics.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity < b.element.severity : a.offset < b.offset
        }.map(\.element)
    }

    /// Throws ``TemplateError/refused(id:diagnostics:)`` unless `template` may be printed or ingested:
    /// no errors, and no free text on a sensitive sheet unless `allowFreeText`.
    ///
    /// - Returns: the warnings, for the caller to show.
    @discardableResult
    public static func requireUsable(_ template: Template, allowFreeText: Bool) throws(TemplateError)
        -> [TemplateDiagnostic]
    {
        let diagnostics = check(template)
        if diagnostics.blocks(allowFreeText: allowFreeText) {
            throw .refused(id: template.id, diagnostics: diagnostics)
        }
        return diagnostics.warnings
    }

    /// Whether `name` can be a field or choice name: ASCII letters, digits and `_`, starting with a letter,
    /// at most 64 characters.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter, name.count <= 64 else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

private struct Run {
    let template: Template
    var diagnostics: [TemplateDiagnostic] = []
    var file: String { template.source?.file ?? "template '\(template.id)'" }

    init(template: Template) { self.template = template }

    func place(_ location: SourceLocation?) -> SourceLocation? { location ?? template.source }

    mutating func error(_ rule: TemplateDiagnostic.Rule, _ location: SourceLocation?, _ message: String, fix: String) {
        diagnostics.append(TemplateDiagnostic(.error, rule, at: place(location), message, fix: fix))
    }

    mutating func warning(_ rule: TemplateDiagnostic.Rule, _ location: SourceLocation?, _ message: String, fix: String)
    {
        diagnostics.append(TemplateDiagnostic(.warning, rule, at: place(location), message, fix: fix))
    }

    /// Reports the declared languages `text` lacks.
    mutating func requireTranslations(
        _ text: LocalizedText, _ what: String, _ location: SourceLocation?, optional: Bool = false
    ) {
        if optional && text.isEmpty { return }
        let missing = text.missing(in: template.languages)
        guard !missing.isEmpty else { return }
        error(
            .missingTranslation, location, "\(what) has no text in \(missing.joined(separator: ", "))",
            fix:
                "add the \(missing.count == 1 ? "translation" : "translations") (\(missing.map { "\($0): …" }.joined(separator: ", ")))"
        )
    }

    mutating func checkTemplate() {
        checkHeader()
        checkVisitDate()
        checkPurposes()
        checkFields()
        checkChoiceLists()
    }

    /// Every record is keyed by code, template and visit date, so the sensitive sheet must carry the date.
    mutating func checkVisitDate() {
        let field = template.sensitiveFields.first { $0.name == TemplateChecker.visitDateField }
        guard let field else {
            error(
                .structure, template.source, "the sensitive sheet has no '\(TemplateChecker.visitDateField)' field",
                fix:
                    "add a required date field named \(TemplateChecker.visitDateField) (e.g. format DD/MM/YYYY): records are kept per code and visit date"
            )
            return
        }
        if case .date = field.kind, field.required { return }
        error(
            .structure, field.location, "'\(TemplateChecker.visitDateField)' must be a required date field",
            fix: "set type: date, a format such as DD/MM/YYYY, and required: true")
    }

    mutating func checkHeader() {
        if !template.id.isValid {
            error(
                .invalidValue, template.source, "template id '\(template.id)' is not valid",
                fix: "use lower-case letters, digits, _ or -, starting with a letter (at most 40)")
        }
        if template.version.trimmingCharacters(in: .whitespaces).isEmpty {
            error(
                .invalidValue, template.source, "the template has no version",
                fix: "set version (e.g. 1); raise it whenever the questions change")
        }
        if template.languages.isEmpty {
            error(
                .structure, template.source, "the template declares no language",
                fix: "list its languages, e.g. languages: [en, fr, es, ar]")
        }
        var seen: Set<String> = []
        for language in template.languages {
            if !seen.insert(language).inserted {
                error(.duplicateName, template.source, "language '\(language)' is declared twice", fix: "keep one")
            }
            if !WorkspaceConfig.isLanguageCode(language) {
                warning(
                    .invalidValue, template.source, "'\(language)' is not a language code",
                    fix: "use a code such as en, fr, es, ar, sw or tet (in an XLSForm: label::Tetun (tet))")
            } else if !template.identity.isEmpty && !ConsentText.languages.contains(language) {
                warning(
                    .missingTranslation, template.source,
                    "Separa has no consent wording in '\(language)': the identity slip reads the consent in the template's other languages",
                    fix: "make sure someone can read one of them to the person, or interpret it")
            }
            if WorkspaceConfig.isLanguageCode(language) && !TemplateKeywords.coveredLanguages.contains(language) {
                warning(
                    .uncheckedLanguage, template.source,
                    "Separa has no word lists for '\(language)': its labels were not checked for identity or violence words",
                    fix: "have a speaker of the language review every label of a sensitive sheet")
            }
        }
        requireTranslations(template.title, "the title", template.source)
        if template.sensitiveFields.filter(\.collectsData).isEmpty {
            error(
                .structure, template.source, "the sensitive sheet collects nothing",
                fix: "add at least one field under sensitive")
        }
        let settings = template.settings
        if let months = settings.retentionMonths, !(1...240).contains(months) {
            error(
                .invalidValue, settings.location, "retentionMonths must be between 1 and 240",
                fix: "keep data no longer than needed: e.g. 12 or 24")
        }
        requireTranslations(
            settings.access, "settings.access (who can see the data, read in the consent text)", settings.location)
        requireTranslations(
            settings.storage, "settings.storage (how the data is kept, read in the consent text)", settings.location)
    }

    mutating func checkPurposes() {
        var used: Set<String> = []
        for field in template.allFields { used.insert(field.purpose) }
        var seen: Set<String> = []
        for purpose in template.purposes {
            if !seen.insert(purpose.id).inserted {
                error(.duplicateName, purpose.location, "purpose '\(purpose.id)' is declared twice", fix: "keep one")
            }
            requireTranslations(purpose.text, "purpose '\(purpose.id)'", purpose.location)
            if !used.contains(purpose.id) {
                warning(
                    .missingPurpose, purpose.location, "purpose '\(purpose.id)' is not used by any field",
                    fix: "remove it, or it is read in the consent for nothing")
            }
        }
    }

    mutating func checkFields() {
        var names: [String: Field] = [:]
        var keys: [String: Field] = [:]
        for field in template.allFields {
            let shown = "field '\(field.name)'"
            if !TemplateChecker.isValidName(field.name) {
                error(
                    .invalidName, field.location, "field name '\(field.name)' cannot be a column header",
                    fix: "use letters, digits and _ only, starting with a letter")
            }
            if TemplateChecker.reservedNames.contains(field.name.lowercased()) {
                error(
                    .invalidName, field.location, "field name '\(field.name)' is reserved",
                    fix: "every sheet carries the case code already: remove the field, or rename it")
            }
            if let first = names[field.name] {
                error(
                    .duplicateName, field.location,
                    "field name '\(field.name)' is used twice (first at \(first.location?.description ?? "an earlier field"))",
                    fix: "give each field its own name")
            } else {
                names[field.name] = field
            }
            requireTranslations(field.label, "the label of \(shown)", field.location)
            requireTranslations(field.hint, "the hint of \(shown)", field.location, optional: true)
            requireTranslations(field.summary, "the summary of \(shown)", field.location, optional: true)
            if field.collectsData {
                for key in Set([TextKey.normalize(field.name)] + field.label.values.values.map(TextKey.normalize))
                where !key.isEmpty {
                    if let other = keys[key], other.name != field.name {
                        error(
                            .duplicateName, field.location,
                            "\(shown) and field '\(other.name)' have the same name or label",
                            fix: "change one label so that a CSV column can name only one of them")
                    } else {
                        keys[key] = field
                    }
                }
            }
            checkKind(field)
            checkPurpose(field)
            checkProtection(field)
            if field.sheet == .sensitive { checkIdentity(field) }
        }
    }

    mutating func checkPurpose(_ field: Field) {
        guard field.collectsData else { return }
        if field.purpose.trimmingCharacters(in: .whitespaces).isEmpty {
            error(
                .missingPurpose, field.location, "field '\(field.name)' has no purpose",
                fix:
                    "say why it is collected: add purpose: KEY and declare KEY under purposes (or drop the field: collect only what you need)"
            )
        } else if template.purpose(field.purpose) == nil {
            error(
                .missingPurpose, field.location,
                "field '\(field.name)' uses purpose '\(field.purpose)', which is not declared",
                fix: "declare '\(field.purpose)' under purposes, with a sentence per language")
        }
    }

    mutating func checkKind(_ field: Field) {
        let shown = "field '\(field.name)'"
        switch field.kind {
        case .selectOne(let list), .selectMultiple(let list):
            if list.isEmpty { return }  // reported when read
            guard let choices = template.choiceList(named: list) else {
                error(
                    .selectWithoutChoices, field.location, "\(shown) uses choice list '\(list)', which does not exist",
                    fix: "add list '\(list)' under choices, or correct the name")
                return
            }
            if choices.choices.isEmpty {
                error(
                    .selectWithoutChoices, field.location, "\(shown) uses choice list '\(list)', which has no choices",
                    fix: "add its choices")
            }
        case .integer(let min, let max):
            if let min, let max, min > max {
                error(.invalidValue, field.location, "\(shown): min is above max", fix: "swap them")
            }
        case .decimal(let min, let max):
            if let min, let max, min > max {
                error(.invalidValue, field.location, "\(shown): min is above max", fix: "swap them")
            }
        case .yesNo:
            let missing = BuiltInChoices.yesNo.choices.flatMap { $0.label.missing(in: template.languages) }
            if !missing.isEmpty {
                error(
                    .missingTranslation, field.location,
                    "\(shown): Separa has no built-in yes/no words in \(Set(missing).sorted().joined(separator: ", "))",
                    fix: "use select_one with your own yes/no choice list")
            }
        case .text(let maxLength):
            if let maxLength, maxLength < 1 {
                error(
                    .invalidValue, field.location, "\(shown): maxLength must be at least 1",
                    fix: "set a positive length or remove it")
            }
            if field.sheet == .sensitive {
                if !field.allowFreeText {
                    error(
                        .freeTextNotAllowed, field.location, "\(shown) is free text on a sensitive sheet",
                        fix:
                            "collect only what you need: use select_one or select_multiple; if free text is truly needed, set allowFreeText: true and a maxLength"
                    )
                } else {
                    warning(
                        .freeTextOnSensitiveSheet, field.location,
                        "\(shown) is free text on a sensitive sheet (data minimisation)",
                        fix: "prefer choices; printing and ingest need --allow-free-text")
                }
            }
        case .note:
            if field.required {
                error(
                    .invalidValue, field.location, "\(shown) is a note and cannot be required", fix: "remove required")
            }
        case .date, .age: break
        }
    }

    /// The texts of a field in a given language: label, hint, summary, and its choices' labels.
    func texts(of field: Field, in language: String, includeChoices: Bool) -> [String] {
        var texts = [field.label[language], field.hint[language], field.summary[language]].compactMap { $0 }
        if includeChoices, let list = field.kind.listName, let choices = template.choiceList(named: list) {
            texts += choices.choices.compactMap { $0.label[language] }
        }
        return texts
    }

    mutating func checkProtection(_ field: Field) {
        // A note collects nothing: it may tell staff how to refer a disclosure without writing it down.
        guard field.collectsData else { return }
        var found: String?
        if let word = TemplateKeywords.protectionMatch(fieldName: field.name) { found = "'\(word)' in its name" }
        if found == nil, let list = field.kind.listName, let word = TemplateKeywords.protectionMatch(fieldName: list) {
            found = "'\(word)' in its choice list's name"
        }
        if found == nil, let list = field.kind.listName, let choices = template.choiceList(named: list) {
            for choice in choices.choices {
                if let word = TemplateKeywords.protectionMatch(fieldName: choice.name) {
                    found = "'\(word)' in choice '\(choice.name)'"
                    break
                }
            }
        }
        if found == nil {
            outer: for language in languagesOf(field) {
                for text in texts(of: field, in: language, includeChoices: true) {
                    if let word = TemplateKeywords.protectionMatch(text, language: language) {
                        found = "'\(word)' in its \(language) text"
                        break outer
                    }
                }
            }
        }
        guard let found else { return }
        error(
            .protectionIncident, field.location,
            "field '\(field.name)' asks about a protection incident or sexual or gender-based violence (\(found)): \(TemplateChecker.protectionReason)",
            fix:
                "remove the field; if a person discloses, refer them as your protection procedure says, and write nothing down"
        )
    }

    /// The languages whose texts a field is checked in: the template's, and any other key its label uses.
    func languagesOf(_ field: Field) -> [String] {
        var languages = template.languages
        for key in field.label.values.keys.sorted() where !languages.contains(key) { languages.append(key) }
        return languages
    }

    mutating func checkIdentity(_ field: Field) {
        guard field.collectsData else { return }
        var found: (TemplateKeywords.IdentityKind, String)?
        if let word = TemplateKeywords.identityMatch(fieldName: field.name) {
            found = (word.kind, "its name")
        }
        if found == nil {
            outer: for language in languagesOf(field) {
                for text in texts(of: field, in: language, includeChoices: false) {
                    if let word = TemplateKeywords.identityMatch(text, language: language) {
                        found = (word.kind, "its \(language) text ('\(word.phrase)')")
                        break outer
                    }
                }
            }
        }
        if found == nil, case .date = field.kind {
            // By type: a date about the person's birth is a date of birth, whatever the words around it.
            let birthWords = [
                "birth", "born", "naissance", "ne", "nee", "nacimiento", "nacio", "ميلاد", "ولاده", "مواليد",
            ]
            for language in languagesOf(field) {
                let words = texts(of: field, in: language, includeChoices: false).flatMap(TextKey.words)
                if words.contains(where: birthWords.contains) {
                    found = (.birthDate, "its type (a date) and its \(language) label")
                    break
                }
            }
        }
        guard let (kind, where_) = found else { return }
        error(
            .identityOnSensitiveSheet, field.location,
            "field '\(field.name)' looks like \(kind.rawValue) (\(where_)) and is on a sensitive sheet: identity must never sit next to sensitive data",
            fix: kind == .birthDate
                ? "use type age on the sensitive sheet; a date of birth, if needed at all, belongs on the identity slip"
                : "move it to the identity slip (identity:), or remove it")
    }

    mutating func checkChoiceLists() {
        var seenLists: Set<String> = []
        for list in template.choiceLists {
            if !seenLists.insert(list.name).inserted {
                error(.duplicateName, list.location, "choice list '\(list.name)' is declared twice", fix: "keep one")
            }
            var names: Set<String> = []
            var keys: [String: String] = [:]
            for choice in list.choices where !choice.name.isEmpty {
                if !names.insert(choice.name).inserted {
                    error(
                        .duplicateName, choice.location ?? list.location,
                        "choice '\(choice.name)' appears twice in list '\(list.name)'",
                        fix: "give each choice its own name")
                }
                if !TemplateChecker.isValidName(choice.name) && !choice.name.allSatisfy(\.isNumber) {
                    error(
                        .invalidName, choice.location ?? list.location,
                        "choice name '\(choice.name)' in list '\(list.name)' has spaces or signs",
                        fix: "use letters, digits and _ only (ingest separates several choices with spaces)")
                }
                requireTranslations(
                    choice.label, "choice '\(choice.name)' of list '\(list.name)'", choice.location ?? list.location)
                for key in Set([TextKey.normalize(choice.name)] + choice.label.values.values.map(TextKey.normalize))
                where !key.isEmpty {
                    if let other = keys[key], other != choice.name {
                        error(
                            .duplicateName, choice.location ?? list.location,
                            "choices '\(other)' and '\(choice.name)' of list '\(list.name)' have the same name or label",
                            fix: "change one label so that a transcribed answer names only one choice")
                    } else {
                        keys[key] = choice.name
                    }
                }
            }
        }
    }
}
