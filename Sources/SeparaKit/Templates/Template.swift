import Foundation

/// Text in several languages, keyed by the language codes of `separa.json` (`en`, `fr`, `es`, `ar`…).
///
/// A form imported from an XLSForm whose header names a language Separa cannot map to a code keeps
/// that name as its key (e.g. `Tetun`); the checker then asks for a code.
public struct LocalizedText: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    /// The text per language key.
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }
    public init(dictionaryLiteral elements: (String, String)...) {
        self.values = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The text in `language`, or nil when it is missing or blank.
    public subscript(language: String) -> String? {
        get {
            guard let text = values[language], !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return nil
            }
            return text
        }
        set { values[language] = newValue }
    }

    /// Whether no language has a non-blank text.
    public var isEmpty: Bool { values.values.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }

    /// The declared languages (in order) that have no text.
    public func missing(in languages: [String]) -> [String] { languages.filter { self[$0] == nil } }

    /// The text in `language`, else in the first of `fallbacks` that has one.
    public func text(in language: String, fallbacks: [String] = []) -> String? {
        if let text = self[language] { return text }
        for other in fallbacks { if let text = self[other] { return text } }
        return nil
    }
}

/// Which paper a field is printed on.
public enum Sheet: String, Codable, CaseIterable, Sendable, CustomStringConvertible {
    /// The identity slip: names, phone, consent. Its content goes only into the locked key file.
    case identity
    /// A sensitive sheet page: keyed only by the case code, transcribed into the store.
    case sensitive

    public var description: String { rawValue }
}

/// Where a template element was written: a YAML line, or an XLSForm sheet and row.
public enum SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// A whole file (or a template built in code when `file` is empty).
    case file(String)
    /// A line (1-based) of a YAML template.
    case yaml(file: String, line: Int)
    /// A row (1-based, as Excel numbers it) of a sheet in an XLSForm workbook.
    case sheet(file: String, sheet: String, row: Int)

    /// The file the location is in.
    public var file: String {
        switch self {
        case .file(let file), .yaml(let file, _), .sheet(let file, _, _): return file
        }
    }

    /// `templates/intake.yaml:42`, or `form.xlsx [sheet: survey] [row : 12]`.
    public var description: String {
        switch self {
        case .file(let file): return file
        case .yaml(let file, let line): return "\(file):\(line)"
        case .sheet(let file, let sheet, let row): return "\(file) [sheet: \(sheet)] [row : \(row)]"
        }
    }
}

/// Why a purpose is there: a short sentence per language, read aloud in the consent text.
///
/// Fields point to a purpose by its `id`; the consent statement groups what is collected by purpose.
public struct Purpose: Hashable, Sendable {
    /// The purpose's key in the template, e.g. `contact`.
    public var id: String
    /// The sentence per language, e.g. "To call you back about your case".
    public var text: LocalizedText
    public var location: SourceLocation?

    public init(id: String, text: LocalizedText, location: SourceLocation? = nil) {
        self.id = id
        self.text = text
        self.location = location
    }
}

/// One choice of a choice list: a stable name (what ingest stores) and a label per language.
public struct Choice: Hashable, Sendable {
    public var name: String
    public var label: LocalizedText
    public var location: SourceLocation?

    public init(name: String, label: LocalizedText, location: SourceLocation? = nil) {
        self.name = name
        self.label = label
        self.location = location
    }
}

/// A named, ordered list of choices used by `select_one` / `select_multiple` fields.
public struct ChoiceList: Hashable, Sendable {
    public var name: String
    public var choices: [Choice]
    public var location: SourceLocation?

    public init(name: String, choices: [Choice], location: SourceLocation? = nil) {
        self.name = name
        self.choices = choices
        self.location = location
    }

    /// The choice named `name` exactly.
    public func choice(named name: String) -> Choice? { choices.first { $0.name == name } }
}

/// The template's settings: how long data is kept and who answers for it.
///
/// `controller`, `contact` and `retentionMonths` fall back to `separa.json` when the template leaves them out.
public struct TemplateSettings: Hashable, Sendable {
    /// Months the data is kept after the person's last visit; nil: the workspace's `retentionMonths`.
    public var retentionMonths: Int?
    /// The organisation responsible for the data; nil: the workspace's controller.
    public var controller: String?
    /// Whom to contact for questions or complaints; nil: the workspace's controller contact.
    public var contact: String?
    /// Who can see the data, per language (read in the consent text).
    public var access: LocalizedText
    /// How the data is stored, per language (read in the consent text).
    public var storage: LocalizedText
    public var location: SourceLocation?

    public init(
        retentionMonths: Int? = nil, controller: String? = nil, contact: String? = nil,
        access: LocalizedText = [:], storage: LocalizedText = [:], location: SourceLocation? = nil
    ) {
        self.retentionMonths = retentionMonths
        self.controller = controller
        self.contact = contact
        self.access = access
        self.storage = storage
        self.location = location
    }
}

/// One page of the sensitive sheet: an optional title and its fields, in print order.
public struct Page: Hashable, Sendable {
    public var title: LocalizedText
    public var fields: [Field]

    public init(title: LocalizedText = [:], fields: [Field]) {
        self.title = title
        self.fields = fields
    }
}

/// A form template: what is collected, on which paper, why, and in which languages.
///
/// Load templates with ``TemplateLibrary`` (or ``TemplateYAML`` / ``XLSFormImporter``), and run
/// ``TemplateChecker`` before printing or ingesting: a loaded template may still break the rules
/// (identity on a sensitive sheet, SGBV questions, missing purposes…).
public struct Template: Hashable, Sendable {
    public var id: TemplateID
    /// The template's version as written (e.g. `1`, `2024-03`); printed on every page.
    public var version: String
    /// The form's title per language.
    public var title: LocalizedText
    /// The template's language codes, in the order forms show them.
    public var languages: [String]
    /// The identity slip's fields.
    public var identity: [Field]
    /// The sensitive sheet's pages (at least one for a usable template).
    public var sensitivePages: [Page]
    /// Choice lists by name, in the order they were written.
    public var choiceLists: [ChoiceList]
    /// The purposes fields refer to, in the order they were written.
    public var purposes: [Purpose]
    public var settings: TemplateSettings
    /// The file the template was read from (a display path such as `templates/intake.yaml`).
    public var source: SourceLocation?

    public init(
        id: TemplateID, version: String, title: LocalizedText, languages: [String], identity: [Field],
        sensitivePages: [Page], choiceLists: [ChoiceList], purposes: [Purpose], settings: TemplateSettings,
        source: SourceLocation? = nil
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.languages = languages
        self.identity = identity
        self.sensitivePages = sensitivePages
        self.choiceLists = choiceLists
        self.purposes = purposes
        self.settings = settings
        self.source = source
    }

    /// The sensitive sheet's fields, all pages in order.
    public var sensitiveFields: [Field] { sensitivePages.flatMap(\.fields) }

    /// Every field: the identity slip's, then the sensitive sheet's.
    public var allFields: [Field] { identity + sensitiveFields }

    /// The fields that collect an answer (everything but notes), in print order.
    public var dataFields: [Field] { allFields.filter { $0.kind != .note } }

    /// The field named `name` exactly.
    public func field(named name: String) -> Field? { allFields.first { $0.name == name } }

    /// The choice list named `name`.
    public func choiceList(named name: String) -> ChoiceList? { choiceLists.first { $0.name == name } }

    /// The purpose with key `id`.
    public func purpose(_ id: String) -> Purpose? { purposes.first { $0.id == id } }

    /// The choices a field offers: its list for selects, the built-in yes/no list for `yes_no`,
    /// nil for other kinds (and for a select whose list is missing).
    public func choices(for field: Field) -> ChoiceList? {
        switch field.kind {
        case .selectOne(let list), .selectMultiple(let list): return choiceList(named: list)
        case .yesNo: return BuiltInChoices.yesNo
        default: return nil
        }
    }
}

/// A question, or a printed note, of a template.
public struct Field: Hashable, Sendable {
    /// The field's name: a CSV column header and the key in the store (`a-z A-Z 0-9 _`, starting with a letter).
    public var name: String
    public var kind: FieldKind
    /// The question per language.
    public var label: LocalizedText
    /// Help printed beside the question, per language (may be empty).
    public var hint: LocalizedText
    /// A few words naming what is recorded, for the consent text ("your age"); empty: the label is used.
    public var summary: LocalizedText
    /// Whether an answer is needed for the row to be accepted at ingest.
    public var required: Bool
    /// The key of the field's ``Purpose``; empty when missing (the checker refuses that, except for notes).
    public var purpose: String
    public var sheet: Sheet
    /// For `text` fields: the template explicitly allows free text here (the checker still warns on a
    /// sensitive sheet, and print/ingest then need `--allow-free-text`).
    public var allowFreeText: Bool
    public var location: SourceLocation?

    public init(
        name: String, kind: FieldKind, label: LocalizedText, hint: LocalizedText = [:], summary: LocalizedText = [:],
        required: Bool = false, purpose: String, sheet: Sheet, allowFreeText: Bool = false,
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.kind = kind
        self.label = label
        self.hint = hint
        self.summary = summary
        self.required = required
        self.purpose = purpose
        self.sheet = sheet
        self.allowFreeText = allowFreeText
        self.location = location
    }

    /// Whether the field collects an answer (every kind but `note`).
    public var collectsData: Bool { kind != .note }
}

/// What kind of answer a field takes, with the data needed to check it.
public enum FieldKind: Hashable, Sendable {
    /// One choice from the named list.
    case selectOne(list: String)
    /// Any number of choices from the named list (ingest: separated by spaces, `;` or `,`).
    case selectMultiple(list: String)
    /// A whole number, within the bounds when given.
    case integer(min: Int?, max: Int?)
    /// A decimal number, within the bounds when given.
    case decimal(min: Double?, max: Double?)
    /// A calendar date written in the declared format.
    case date(format: DateFormat)
    /// Yes or no (built-in choices `yes` / `no`, labelled in every language Separa ships).
    case yesNo
    /// An age: whole years 0–120, or one of the ``AgeBand``s ticked on paper when the age is not known.
    case age
    /// Short free text (only where the template allows it), at most `maxLength` characters when given.
    case text(maxLength: Int?)
    /// Printed text only (an instruction); collects nothing.
    case note

    /// The type's name as written in YAML templates: `select_one`, `integer`, `yes_no`…
    public var typeName: String {
        switch self {
        case .selectOne: return "select_one"
        case .selectMultiple: return "select_multiple"
        case .integer: return "integer"
        case .decimal: return "decimal"
        case .date: return "date"
        case .yesNo: return "yes_no"
        case .age: return "age"
        case .text: return "text"
        case .note: return "note"
        }
    }

    /// The choice list a select uses.
    public var listName: String? {
        switch self {
        case .selectOne(let list), .selectMultiple(let list): return list
        default: return nil
        }
    }

    /// Whether this is free text.
    public var isText: Bool {
        if case .text = self { return true }
        return false
    }

    /// All type names a YAML template may use.
    public static let typeNames = [
        "select_one", "select_multiple", "integer", "decimal", "date", "yes_no", "age", "text", "note",
    ]
}

/// Choice lists Separa provides itself.
public enum BuiltInChoices {
    /// `yes` / `no` with labels in the languages Separa ships (en, fr, es, ar, and a few more).
    public static let yesNo = ChoiceList(
        name: "yes_no",
        choices: [
            Choice(
                name: "yes",
                label: LocalizedText([
                    "en": "Yes", "fr": "Oui", "es": "Sí", "ar": "نعم", "pt": "Sim", "it": "Sì", "de": "Ja", "fa": "بله",
                    "ru": "Да", "uk": "Так", "tr": "Evet", "sw": "Ndiyo",
                ])),
            Choice(
                name: "no",
                label: LocalizedText([
                    "en": "No", "fr": "Non", "es": "No", "ar": "لا", "pt": "Não", "it": "No", "de": "Nein", "fa": "خیر",
                    "ru": "Нет", "uk": "Ні", "tr": "Hayır", "sw": "Hapana",
                ])),
        ])
}
