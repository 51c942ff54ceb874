import Foundation
import Yams

/// Reads and writes the YAML form of templates (the shipped templates and `template import`'s output).
///
/// ```yaml
/// id: visit
/// version: 1
/// languages: [en, fr]
/// title: {en: Service visit, fr: Visite}
/// settings:
///   retentionMonths: 24            # optional: separa.json's value otherwise
///   controller: Red Cross of …      # optional: separa.json's value otherwise
///   contact: …                      # optional: separa.json's value otherwise
///   access: {en: …, fr: …}
///   storage: {en: …, fr: …}
/// purposes:
///   services: {en: To plan the help we give, fr: …}
/// identity:
///   - {name: consent, type: yes_no, label: {…}, purpose: consent, required: true}
/// sensitive:
///   - title: {en: …, fr: …}       # one entry per page
///     fields:
///       - name: visit_date
///         type: date
///         format: DD/MM/YYYY
///         label: {en: Date of visit, fr: Date de la visite}
///         purpose: services
/// choices:
///   services:
///     - {name: food, label: {en: Food, fr: Nourriture}}
/// ```
/// Field keys: `name`, `type` (``FieldKind/typeNames``), `label`, `hint`, `summary`, `required`,
/// `purpose`, and per type `choices` (selects), `min`/`max` (integer, decimal), `format` (date),
/// `maxLength` and `allowFreeText` (text).
public enum TemplateYAML {
    /// Parses a YAML template. Returns the template (nil when its structure is too broken to build one)
    /// and the structural findings, each citing `file:line`.
    ///
    /// - Parameter file: the display path used in messages, e.g. `templates/intake.yaml`.
    public static func decode(_ text: String, file: String) -> (template: Template?, diagnostics: [TemplateDiagnostic])
    {
        var reader = Reader(file: file)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return (nil, [reader.yamlError(error)])
        } catch {
            return (
                nil,
                [
                    TemplateDiagnostic(
                        .error, .structure, at: .file(file), "not valid YAML", fix: "check the indentation and quotes")
                ]
            )
        }
        guard let node else {
            return (
                nil,
                [
                    TemplateDiagnostic(
                        .error, .structure, at: .file(file), "the file is empty",
                        fix: "write a template (see templates/visit.yaml)")
                ]
            )
        }
        let template = reader.template(node)
        return (template, reader.diagnostics)
    }

    /// Writes `template` as YAML, in the key order shown in the type's documentation.
    public static func encode(_ template: Template) throws -> String {
        var root: [(Node, Node)] = [
            ("id", Node(template.id.rawValue)),
            ("version", Node(template.version)),
            ("languages", Node(template.languages.map { Node($0) }, .implicit, .flow)),
            ("title", localized(template.title, template.languages)),
        ]
        var settings: [(Node, Node)] = []
        if let months = template.settings.retentionMonths {
            settings.append(("retentionMonths", Node(String(months), Tag(.int))))
        }
        if let controller = template.settings.controller { settings.append(("controller", Node(controller))) }
        if let contact = template.settings.contact { settings.append(("contact", Node(contact))) }
        settings.append(("access", localized(template.settings.access, template.languages)))
        settings.append(("storage", localized(template.settings.storage, template.languages)))
        root.append(("settings", Node(settings)))
        root.append(("purposes", Node(template.purposes.map { (Node($0.id), localized($0.text, template.languages)) })))
        root.append(("identity", Node(template.identity.map { field($0, template.languages) })))
        root.append(
            (
                "sensitive",
                Node(
                    template.sensitivePages.map { page -> Node in
                        var pairs: [(Node, Node)] = []
                        if !page.title.isEmpty { pairs.append(("title", localized(page.title, template.languages))) }
                        pairs.append(("fields", Node(page.fields.map { field($0, template.languages) })))
                        return Node(pairs)
                    })
            ))
        root.append(
            (
                "choices",
                Node(
                    template.choiceLists.map { list in
                        (
                            Node(list.name),
                            Node(
                                list.choices.map { choice in
                                    Node(
                                        [
                                            ("name", Node(choice.name)),
                                            ("label", localized(choice.label, template.languages)),
                                        ], .implicit, .flow)
                                })
                        )
                    })
            ))
        let body = try Yams.serialize(node: Node(root), width: -1, allowUnicode: true)
        return "# Separa form template '\(template.id)'. Check it with: separa template check \(template.id)\n" + body
    }

    private static func localized(_ text: LocalizedText, _ languages: [String]) -> Node {
        let ordered =
            languages.filter { text.values[$0] != nil } + text.values.keys.filter { !languages.contains($0) }.sorted()
        return Node(ordered.map { (Node($0), Node(text.values[$0]!)) }, .implicit, .flow)
    }

    private static func field(_ field: Field, _ languages: [String]) -> Node {
        var pairs: [(Node, Node)] = [("name", Node(field.name)), ("type", Node(field.kind.typeName))]
        switch field.kind {
        case .selectOne(let list), .selectMultiple(let list): pairs.append(("choices", Node(list)))
        case .integer(let min, let max):
            if let min { pairs.append(("min", Node(String(min), Tag(.int)))) }
            if let max { pairs.append(("max", Node(String(max), Tag(.int)))) }
        case .decimal(let min, let max):
            if let min { pairs.append(("min", Node(plainNumber(min), Tag(.float)))) }
            if let max { pairs.append(("max", Node(plainNumber(max), Tag(.float)))) }
        case .date(let format): pairs.append(("format", Node(format.pattern)))
        case .text(let maxLength):
            if let maxLength { pairs.append(("maxLength", Node(String(maxLength), Tag(.int)))) }
            if field.allowFreeText { pairs.append(("allowFreeText", Node("true", Tag(.bool)))) }
        case .yesNo, .age, .note: break
        }
        pairs.append(("label", localized(field.label, languages)))
        if !field.hint.isEmpty { pairs.append(("hint", localized(field.hint, languages))) }
        if !field.summary.isEmpty { pairs.append(("summary", localized(field.summary, languages))) }
        if field.required { pairs.append(("required", Node("true", Tag(.bool)))) }
        if !field.purpose.isEmpty || field.kind != .note { pairs.append(("purpose", Node(field.purpose))) }
        return Node(pairs)
    }

    private static func plainNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Walks a composed YAML tree into a ``Template``, collecting findings with line numbers.
private struct Reader {
    let file: String
    var diagnostics: [TemplateDiagnostic] = []

    init(file: String) { self.file = file }

    func at(_ node: Node?) -> SourceLocation {
        guard let line = node?.mark?.line else { return .file(file) }
        return .yaml(file: file, line: line)
    }

    mutating func error(_ node: Node?, _ rule: TemplateDiagnostic.Rule, _ message: String, fix: String) {
        diagnostics.append(TemplateDiagnostic(.error, rule, at: at(node), message, fix: fix))
    }

    mutating func error(_ node: Node?, _ message: String, fix: String) {
        error(node, .structure, message, fix: fix)
    }

    mutating func yamlError(_ error: YamlError) -> TemplateDiagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return TemplateDiagnostic(
                .error, .structure, at: .yaml(file: file, line: mark.line),
                "not valid YAML (\(problem), column \(mark.column))",
                fix: "check the indentation, colons and quotes on this line and the one before")
        default:
            return TemplateDiagnostic(
                .error, .structure, at: .file(file), "not valid YAML", fix: "check the indentation and quotes")
        }
    }

    /// The pairs of a mapping node, with unknown keys reported.
    mutating func pairs(_ node: Node, _ what: String, allowed: Set<String>?) -> [(
        key: String, keyNode: Node, value: Node
    )] {
        guard let mapping = node.mapping else {
            error(
                node, "\(what) must be a mapping of keys to values",
                fix: "write it as 'key: value' lines, indented under \(what)")
            return []
        }
        var result: [(String, Node, Node)] = []
        var seen: Set<String> = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            if let allowed, !allowed.contains(name) {
                error(
                    key, "unknown key '\(name)' in \(what)",
                    fix: "use one of: " + allowed.sorted().joined(separator: ", "))
                continue
            }
            if !seen.insert(name).inserted {
                error(key, .duplicateName, "'\(name)' is written twice in \(what)", fix: "keep one")
                continue
            }
            result.append((name, key, value))
        }
        return result
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            error(node, "\(what) must be a single value", fix: "write it on the same line after the colon")
            return nil
        }
        return scalar.string
    }

    mutating func int(_ node: Node, _ what: String) -> Int? {
        guard let text = string(node, what) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            error(node, .invalidValue, "\(what) must be a whole number", fix: "write digits only, e.g. 24")
            return nil
        }
        return value
    }

    mutating func double(_ node: Node, _ what: String) -> Double? {
        guard let text = string(node, what) else { return nil }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            error(
                node, .invalidValue, "\(what) must be a number", fix: "write digits with a point for decimals, e.g. 2.5"
            )
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        guard let text = string(node, what) else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            error(node, .invalidValue, "\(what) must be true or false", fix: "write true or false")
            return nil
        }
    }

    mutating func localized(_ node: Node, _ what: String) -> LocalizedText {
        if node.scalar != nil {
            error(
                node, .missingTranslation, "\(what) must give one text per language", fix: "write it as {en: …, fr: …}")
            return [:]
        }
        var text = LocalizedText()
        for (key, _, value) in pairs(node, what, allowed: nil) {
            if let string = string(value, "\(what) in '\(key)'") { text.values[key] = string }
        }
        return text
    }

    mutating func template(_ root: Node) -> Template? {
        let keys: Set<String> = [
            "id", "version", "title", "languages", "settings", "purposes", "identity", "sensitive", "choices",
        ]
        var id: TemplateID?
        var version = ""
        var title = LocalizedText()
        var languages: [String] = []
        var settings = TemplateSettings(location: at(root))
        var purposes: [Purpose] = []
        var identity: [Field] = []
        var pages: [Page] = []
        var lists: [ChoiceList] = []
        var seenKeys: Set<String> = []
        for (key, keyNode, value) in pairs(root, "the template", allowed: keys) {
            seenKeys.insert(key)
            switch key {
            case "id":
                if let text = string(value, "id") {
                    id = TemplateID(text)
                    if !TemplateID(text).isValid {
                        error(
                            value, .invalidValue, "id '\(text)' is not a valid template id",
                            fix: "use lower-case letters, digits, _ or -, starting with a letter (at most 40)")
                    }
                }
            case "version": version = string(value, "version") ?? ""
            case "title": title = localized(value, "title")
            case "languages":
                if let sequence = value.sequence {
                    languages = sequence.compactMap { string($0, "a language") }
                } else {
                    error(value, "languages must be a list", fix: "write e.g. languages: [en, fr, es, ar]")
                }
            case "settings": settings = self.settings(value)
            case "purposes":
                for (name, nameNode, text) in pairs(value, "purposes", allowed: nil) {
                    purposes.append(
                        Purpose(id: name, text: localized(text, "purpose '\(name)'"), location: at(nameNode)))
                }
            case "identity": identity = fields(value, sheet: .identity, "identity")
            case "sensitive":
                guard let sequence = value.sequence else {
                    error(
                        value, "sensitive must be a list of pages",
                        fix: "write '- fields:' under sensitive, one entry per page")
                    continue
                }
                for pageNode in sequence {
                    var page = Page(fields: [])
                    for (pageKey, _, pageValue) in pairs(pageNode, "a sensitive page", allowed: ["title", "fields"]) {
                        if pageKey == "title" { page.title = localized(pageValue, "page title") }
                        if pageKey == "fields" { page.fields = fields(pageValue, sheet: .sensitive, "fields") }
                    }
                    pages.append(page)
                }
            case "choices":
                for (name, nameNode, list) in pairs(value, "choices", allowed: nil) {
                    var choices: [Choice] = []
                    if let sequence = list.sequence {
                        for choiceNode in sequence {
                            var choice = Choice(name: "", label: [:], location: at(choiceNode))
                            for (choiceKey, _, choiceValue) in pairs(
                                choiceNode, "a choice of '\(name)'", allowed: ["name", "label"])
                            {
                                if choiceKey == "name" { choice.name = string(choiceValue, "choice name") ?? "" }
                                if choiceKey == "label" { choice.label = localized(choiceValue, "choice label") }
                            }
                            if choice.name.isEmpty {
                                error(
                                    choiceNode, "a choice of list '\(name)' has no name",
                                    fix: "add name: (what ingest stores, e.g. female)")
                            }
                            choices.append(choice)
                        }
                    } else if list.scalar?.string.isEmpty == false || list.mapping != nil {
                        error(
                            list, "choice list '\(name)' must be a list of choices",
                            fix: "write '- {name: …, label: {…}}' lines under it")
                    }
                    lists.append(ChoiceList(name: name, choices: choices, location: at(nameNode)))
                }
            default: _ = keyNode
            }
        }
        for required in ["id", "version", "title", "languages", "identity", "sensitive"]
        where !seenKeys.contains(required) {
            error(root, "the template has no '\(required)'", fix: "add '\(required):' at the top level")
        }
        guard let id else { return nil }
        return Template(
            id: id, version: version, title: title, languages: languages, identity: identity, sensitivePages: pages,
            choiceLists: lists, purposes: purposes, settings: settings, source: .file(file))
    }

    mutating func settings(_ node: Node) -> TemplateSettings {
        var settings = TemplateSettings(location: at(node))
        for (key, _, value) in pairs(
            node, "settings", allowed: ["retentionMonths", "controller", "contact", "access", "storage"])
        {
            switch key {
            case "retentionMonths": settings.retentionMonths = int(value, "retentionMonths")
            case "controller": settings.controller = string(value, "controller")
            case "contact": settings.contact = string(value, "contact")
            case "access": settings.access = localized(value, "settings.access")
            case "storage": settings.storage = localized(value, "settings.storage")
            default: break
            }
        }
        return settings
    }

    mutating func fields(_ node: Node, sheet: Sheet, _ what: String) -> [Field] {
        guard let sequence = node.sequence else {
            if node.scalar?.string.isEmpty != true {
                error(node, "\(what) must be a list of fields", fix: "write one '- name: …' entry per field")
            }
            return []
        }
        return sequence.compactMap { field($0, sheet: sheet) }
    }

    mutating func field(_ node: Node, sheet: Sheet) -> Field? {
        let allowed: Set<String> = [
            "name", "type", "label", "hint", "summary", "required", "purpose", "choices", "min", "max", "format",
            "maxLength",
            "allowFreeText",
        ]
        var values: [String: Node] = [:]
        for (key, _, value) in pairs(node, "a field", allowed: allowed) { values[key] = value }
        let name = values["name"].flatMap { string($0, "name") } ?? ""
        let shown = name.isEmpty ? "a field" : "field '\(name)'"
        if name.isEmpty { error(node, "a field has no name", fix: "add name: (a column header, e.g. visit_date)") }
        guard let typeNode = values["type"], let type = string(typeNode, "type") else {
            error(node, "\(shown) has no type", fix: "add type: one of " + FieldKind.typeNames.joined(separator: ", "))
            return nil
        }
        func forbid(_ keys: [String]) {
            for key in keys where values[key] != nil {
                error(values[key], "\(shown): '\(key)' does not apply to type \(type)", fix: "remove it")
            }
        }
        let kind: FieldKind
        switch type {
        case "select_one", "select_multiple":
            forbid(["min", "max", "format", "maxLength", "allowFreeText"])
            let list = values["choices"].flatMap { string($0, "choices") } ?? ""
            if list.isEmpty {
                error(
                    node, .selectWithoutChoices, "\(shown) has no choice list",
                    fix: "add choices: NAME, and list NAME under choices:")
            }
            kind = type == "select_one" ? .selectOne(list: list) : .selectMultiple(list: list)
        case "integer":
            forbid(["choices", "format", "maxLength", "allowFreeText"])
            kind = .integer(
                min: values["min"].flatMap { int($0, "min") }, max: values["max"].flatMap { int($0, "max") })
        case "decimal":
            forbid(["choices", "format", "maxLength", "allowFreeText"])
            kind = .decimal(
                min: values["min"].flatMap { double($0, "min") }, max: values["max"].flatMap { double($0, "max") })
        case "date":
            forbid(["choices", "min", "max", "maxLength", "allowFreeText"])
            var format = DateFormat.dayMonthYear
            if let formatNode = values["format"], let pattern = string(formatNode, "format") {
                do throws(DateFormat.Problem) {
                    format = try DateFormat(pattern: pattern)
                } catch {
                    self.error(
                        formatNode, .invalidValue, "\(shown): date format '\(pattern)' is not understood",
                        fix: "write it as DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD")
                }
            } else {
                error(
                    node, .invalidValue, "\(shown) has no date format",
                    fix: "add format: DD/MM/YYYY (the order printed on the form)")
            }
            kind = .date(format: format)
        case "yes_no", "age", "note":
            forbid(["choices", "min", "max", "format", "maxLength", "allowFreeText"])
            kind = type == "yes_no" ? .yesNo : type == "age" ? .age : .note
        case "text":
            forbid(["choices", "min", "max", "format"])
            kind = .text(maxLength: values["maxLength"].flatMap { int($0, "maxLength") })
        default:
            error(
                typeNode, .invalidValue, "\(shown) has unknown type '\(type)'",
                fix: "use one of " + FieldKind.typeNames.joined(separator: ", "))
            return nil
        }
        var field = Field(name: name, kind: kind, label: [:], purpose: "", sheet: sheet, location: at(node))
        if let label = values["label"] { field.label = localized(label, "the label of \(shown)") }
        if let hint = values["hint"] { field.hint = localized(hint, "the hint of \(shown)") }
        if let summary = values["summary"] { field.summary = localized(summary, "the summary of \(shown)") }
        if let required = values["required"] { field.required = bool(required, "required") ?? false }
        if let purpose = values["purpose"] { field.purpose = string(purpose, "purpose") ?? "" }
        if let allow = values["allowFreeText"] { field.allowFreeText = bool(allow, "allowFreeText") ?? false }
        return field
    }
}
