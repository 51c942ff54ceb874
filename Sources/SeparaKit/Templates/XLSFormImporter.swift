import Foundation

/// Turns an ``XLSForm`` into a ``Template``, reporting in pyxform's style (sheet, row, what to do)
/// every feature Separa cannot put on paper.
///
/// Besides the standard columns, Separa reads:
/// - survey: `sheet` (`identity` or `sensitive`), `purpose` (a sentence, per language as
///   `purpose::English (en)`, or the name of a row of an optional `purposes` sheet), `summary::…` (the
///   words read in the consent), `allow_free_text` (yes), `max_length`, `date_format` (e.g. DD/MM/YYYY);
/// - settings: `form_id`, `version`, `form_title` or `title::…`, `default_language`, `retention_months`,
///   `controller`, `contact`, `access::…`, `storage::…`, `date_format`.
///
/// Groups are flattened (a top-level group on the sensitive sheet starts a new page titled with its
/// label). Refused, each at its sheet and row: repeats, calculations, `relevant`, `choice_filter`,
/// external choices, locations, media, device metadata, time types; constraints other than a range.
/// The result still needs ``TemplateChecker`` (missing purposes and sheets are reported there too).
public enum XLSFormImporter {
    /// How one header language became a code.
    public struct LanguageMapping: Hashable, Sendable, CustomStringConvertible {
        /// The language as the header wrote it (`English (en)`, `english`, `default`).
        public let header: String
        /// The code used in the template.
        public let code: String
        public let method: LanguageNames.Method

        public var description: String { "label::\(header) → \(code) (\(method.rawValue))" }
    }

    /// The imported template (nil when the workbook could not be read), the findings, and the language mapping.
    public struct Result: Sendable {
        public let template: Template?
        public let diagnostics: [TemplateDiagnostic]
        public let languages: [LanguageMapping]
    }

    /// Reads and converts the XLSForm at `url`; `file` is the name used in messages.
    public static func importForm(at url: URL, file: String? = nil) -> Result {
        let file = file ?? url.lastPathComponent
        do {
            let workbook = try XLSXWorkbook(contentsOf: url)
            let form = try XLSForm(workbook: workbook, file: file)
            return convert(form)
        } catch let error as XLSXWorkbook.ReadError {
            return Result(
                template: nil,
                diagnostics: [TemplateDiagnostic(.error, .structure, at: .file(file), error.description, fix: "")],
                languages: [])
        } catch let error as TemplateError {
            if case .unreadable(_, let diagnostics) = error {
                return Result(template: nil, diagnostics: diagnostics, languages: [])
            }
            return Result(
                template: nil,
                diagnostics: [TemplateDiagnostic(.error, .structure, at: .file(file), error.description, fix: "")],
                languages: [])
        } catch {
            return Result(
                template: nil,
                diagnostics: [
                    TemplateDiagnostic(.error, .structure, at: .file(file), "cannot read the workbook", fix: "")
                ], languages: [])
        }
    }

    /// Converts a structurally read form.
    public static func convert(_ form: XLSForm) -> Result {
        var converter = Converter(form: form)
        let template = converter.run()
        return Result(template: template, diagnostics: converter.diagnostics, languages: converter.mappings)
    }

    /// Types refused, with why and what to do instead.
    static let unsupportedTypes: [String: (why: String, fix: String)] = {
        var table: [String: (String, String)] = [:]
        for type in ["repeat"] {
            table[type] = (
                "repeats are not supported: a paper form has a fixed number of lines",
                "ask the question once, or ask how many (integer); delete 'begin repeat' and its 'end repeat'"
            )
        }
        table["calculate"] = (
            "calculations are not supported on paper", "delete the row; compute the value later from the data"
        )
        for type in ["geopoint", "gps", "geotrace", "geoshape", "start-geopoint", "osm"] {
            table[type] = (
                "locations are not supported: paper cannot record one, and a location can identify the person",
                "delete the row, or ask for the place with select_one and a short list of places"
            )
        }
        for type in ["photo", "audio", "video", "file", "background-audio", "signature"] {
            table[type] = (
                "media are not supported: a photo, recording or signature identifies the person and cannot be transcribed",
                "delete the row"
            )
        }
        table["barcode"] = (
            "barcodes are not supported on paper", "delete the row (the case code is printed on every page already)"
        )
        for type in [
            "start", "end", "today", "deviceid", "subscriberid", "simserial", "username", "audit", "uri:deviceid",
            "uri:subscriberid", "uri:simserial", "uri:username", "uri:email", "uri:phonenumber",
        ] {
            table[type] = ("this value is filled in by a phone; a paper form has none", "delete the row")
        }
        for type in ["phonenumber", "email"] {
            table[type] = (
                "this is filled in by a phone, and it identifies the person",
                "delete the row; a phone number, if needed, belongs on the identity slip (type text, sheet identity)"
            )
        }
        for type in ["time", "datetime"] {
            table[type] = ("times are not supported", "use type date, or delete the row")
        }
        for type in ["acknowledge", "trigger"] {
            table[type] = ("this type is not supported", "use yes_no")
        }
        table["range"] = ("ranges are not supported", "use integer with a constraint such as . >= 0 and . <= 10")
        table["rank"] = ("ranking is not supported on paper", "use select_multiple")
        table["hidden"] = ("hidden values are not supported on paper", "delete the row")
        for type in [
            "xml-external", "csv-external", "select one external", "select_one_external", "select_multiple_external",
        ] {
            table[type] = (
                "choices from an external file are not supported",
                "put the choices on the choices sheet and use select_one"
            )
        }
        table["entity"] = ("entities are not supported", "delete the row")
        return table
    }()
}

private struct Converter {
    let form: XLSForm
    var diagnostics: [TemplateDiagnostic] = []
    var mappings: [XLSFormImporter.LanguageMapping] = []
    var codes: [String: String] = [:]  // header language key -> code
    var languages: [String] = []

    init(form: XLSForm) { self.form = form }

    func at(_ sheet: String?, _ row: Int) -> SourceLocation {
        .sheet(file: form.file, sheet: sheet ?? "survey", row: row)
    }

    mutating func error(_ rule: TemplateDiagnostic.Rule, _ location: SourceLocation, _ message: String, fix: String) {
        diagnostics.append(TemplateDiagnostic(.error, rule, at: location, message, fix: fix))
    }

    mutating func warning(_ rule: TemplateDiagnostic.Rule, _ location: SourceLocation, _ message: String, fix: String) {
        diagnostics.append(TemplateDiagnostic(.warning, rule, at: location, message, fix: fix))
    }

    /// Header language keys → codes, in form order, the settings' default language first.
    mutating func mapLanguages() {
        let defaultLanguage = form.settings["default_language"]
        var keys = form.languages
        for (key, _) in form.settings where key.contains("::") {
            let language = String(key[key.range(of: "::")!.upperBound...])
            if !keys.contains(language) { keys.append(language) }
        }
        for key in keys {
            let (code, method) = LanguageNames.code(for: key, defaultLanguage: defaultLanguage)
            codes[key] = code
            mappings.append(XLSFormImporter.LanguageMapping(header: key, code: code, method: method))
            if !languages.contains(code) { languages.append(code) }
        }
        if let defaultLanguage,
            let code = codes[defaultLanguage] ?? Optional(LanguageNames.code(for: defaultLanguage).code),
            let index = languages.firstIndex(of: code), index > 0
        {
            languages.remove(at: index)
            languages.insert(code, at: 0)
        }
    }

    func localized(_ values: [String: String]) -> LocalizedText {
        var text = LocalizedText()
        for (key, value) in values {
            let code =
                codes[key] ?? LanguageNames.code(for: key, defaultLanguage: form.settings["default_language"]).code
            text.values[code] = value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }

    /// Settings cells with a language (`access::English (en)`), plus the plain cell under `default`.
    func settingsText(_ base: String) -> LocalizedText {
        var values: [String: String] = [:]
        for (key, value) in form.settings {
            if key == base { values["default"] = value }
            if key.hasPrefix(base + "::") { values[String(key.dropFirst(base.count + 2))] = value }
        }
        return localized(values)
    }

    mutating func run() -> Template {
        mapLanguages()
        let settingsLocation = at(form.settingsSheet ?? "settings", form.settingsRow == 0 ? 1 : form.settingsRow)
        let idSource =
            form.settings["form_id"] ?? URL(fileURLWithPath: form.file).deletingPathExtension().lastPathComponent
        var id = TemplateID(idSource)
        if !id.isValid {
            let folded = TextKey.words(idSource).joined(separator: "_").filter { $0.isASCII }
            var candidate = folded.first?.isLetter == true ? folded : "form_" + folded
            if candidate.count > 40 { candidate = String(candidate.prefix(40)) }
            id = TemplateID(candidate)
            warning(
                .invalidValue, settingsLocation, "form_id '\(idSource)' is not a Separa template id: '\(id)' is used",
                fix: "set form_id to lower-case letters, digits and _ if you want another id")
        }
        var version = form.settings["version"] ?? ""
        if version.isEmpty {
            version = "1"
            warning(
                .invalidValue, settingsLocation, "the form has no version: 1 is used",
                fix: "add a version column to the settings sheet")
        }
        var title = settingsText("title")
        if title.isEmpty, let formTitle = form.settings["form_title"], let first = languages.first {
            title.values[first] = formTitle
        }
        var settings = TemplateSettings(location: settingsLocation)
        if let months = form.settings["retention_months"] {
            settings.retentionMonths = Int(months)
            if settings.retentionMonths == nil {
                error(
                    .invalidValue, settingsLocation, "retention_months must be a whole number",
                    fix: "write the number of months, e.g. 24")
            }
        }
        settings.controller = form.settings["controller"]
        settings.contact = form.settings["contact"]
        settings.access = settingsText("access")
        settings.storage = settingsText("storage")
        var defaultDateFormat = DateFormat.dayMonthYear
        if let pattern = form.settings["date_format"] {
            do throws(DateFormat.Problem) { defaultDateFormat = try DateFormat(pattern: pattern) } catch {
                self.error(
                    .invalidValue, settingsLocation, "date_format '\(pattern)' is not understood",
                    fix: "write DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD")
            }
        }

        for sheet in form.otherSheets {
            let lower = sheet.lowercased()
            if ["external_choices", "entities", "osm"].contains(lower) {
                error(
                    .unsupportedFeature, at(sheet, 1), "the '\(sheet)' sheet is not supported",
                    fix: "delete the sheet; put choices on the choices sheet")
            }
        }

        // Purposes: an optional sheet of named purposes, and free-text purposes on the survey rows.
        var purposes: [Purpose] = form.purposes.map {
            Purpose(id: $0.name, text: localized($0.labels), location: at(form.purposesSheet, $0.row))
        }
        func purposeID(for text: LocalizedText, named name: String?, location: SourceLocation) -> String {
            if let name, purposes.contains(where: { $0.id == name }) { return name }
            if let existing = purposes.first(where: { $0.text == text }) { return existing.id }
            let id = "purpose_\(purposes.count + 1)"
            purposes.append(Purpose(id: id, text: text, location: location))
            return id
        }

        // Choice lists.
        var lists: [ChoiceList] = []
        for (name, rows) in form.choiceLists {
            var choices: [Choice] = []
            for row in rows {
                let location = at(form.choicesSheet, row.row)
                if row.listName.isEmpty {
                    error(
                        .structure, location, "the choice has no list_name",
                        fix: "write the name of its list in the list_name column")
                    continue
                }
                if row.name.isEmpty {
                    error(
                        .structure, location, "a choice of list '\(row.listName)' has no name",
                        fix: "write a name (what is stored, e.g. yes) in the name column")
                }
                for media in ["image", "audio", "video", "big-image"]
                where row.columns.keys.contains(where: { $0 == media || $0.hasPrefix(media + "::") }) {
                    error(
                        .unsupportedFeature, location, "choice media ('\(media)') are not supported",
                        fix: "delete the \(media) column: paper shows the label only")
                }
                choices.append(Choice(name: row.name, label: localized(row.labels), location: location))
            }
            if !name.isEmpty {
                lists.append(
                    ChoiceList(name: name, choices: choices, location: at(form.choicesSheet, rows.first?.row ?? 1)))
            }
        }

        // Survey.
        let hasSheetColumn = form.surveyColumns.contains("sheet")
        let hasPurposeColumn = form.surveyColumns.contains { $0 == "purpose" || $0.hasPrefix("purpose::") }
        let headerRow = form.headerRows["survey"] ?? 1
        if !hasSheetColumn {
            error(
                .missingSeparaColumn, at(form.surveySheet, headerRow), "there is no 'sheet' column",
                fix:
                    "add a 'sheet' column: identity for the identity slip (name, phone, consent), sensitive for everything else"
            )
        }
        if !hasPurposeColumn {
            error(
                .missingSeparaColumn, at(form.surveySheet, headerRow), "there is no 'purpose' column",
                fix: "add a 'purpose' column (or purpose::English (en)…) saying why each question is asked")
        }
        var identity: [Field] = []
        var pages: [Page] = [Page(fields: [])]
        var depth = 0
        var lastSheet: Sheet = .sensitive
        var names: [String: Int] = [:]
        for row in form.survey {
            let location = at(form.surveySheet, row.row)
            checkColumns(row, location)
            switch row.type {
            case "":
                error(
                    .structure, location, "the row has no type",
                    fix: "write its type (integer, select_one LIST…) or delete the row")
                continue
            case "group", "repeat":
                if row.type == "repeat" {
                    let (why, fix) = XLSFormImporter.unsupportedTypes["repeat"]!
                    error(.unsupportedFeature, location, why, fix: fix)
                }
                depth += 1
                if depth == 1 {
                    if !pages.last!.fields.isEmpty { pages.append(Page(fields: [])) }
                    pages[pages.count - 1].title = localized(row.labels)
                }
                continue
            case "end group", "end repeat":
                depth = max(0, depth - 1)
                if depth == 0 && !pages.last!.fields.isEmpty { pages.append(Page(fields: [])) }
                continue
            default: break
            }
            if let (why, fix) = XLSFormImporter.unsupportedTypes[row.type] {
                error(.unsupportedFeature, location, "type '\(row.rawType)': \(why)", fix: fix)
                continue
            }
            guard let kind = kind(of: row, location, defaultDateFormat: defaultDateFormat) else { continue }
            if row.name.isEmpty {
                error(
                    .structure, location, "the question has no name",
                    fix: "write a name (a column header, e.g. age) in the name column")
                continue
            }
            if let first = names[row.name] {
                error(
                    .duplicateName, location, "the name '\(row.name)' is already used on row \(first)",
                    fix: "give each question its own name")
                continue
            }
            names[row.name] = row.row
            var sheet: Sheet
            switch row["sheet"]?.trimmingCharacters(in: .whitespaces).lowercased() {
            case "identity"?: sheet = .identity
            case "sensitive"?: sheet = .sensitive
            case let other?:
                error(
                    .invalidValue, location, "sheet '\(other)' is not identity or sensitive",
                    fix: "write identity or sensitive")
                sheet = .sensitive
            case nil:
                sheet = kind == .note ? lastSheet : .sensitive
                if hasSheetColumn && kind != .note {
                    error(
                        .missingSeparaColumn, location, "'\(row.name)' has no sheet",
                        fix: "write identity or sensitive in its sheet column")
                }
            }
            lastSheet = sheet
            var field = Field(
                name: row.name, kind: kind, label: localized(row.labels), hint: localized(row.hints), purpose: "",
                sheet: sheet, location: location)
            field.required = required(row, location)
            field.summary = localized(row.localized("summary"))
            if let allow = row["allow_free_text"]?.lowercased() {
                field.allowFreeText = ["yes", "true", "1", "true()"].contains(allow)
            }
            // A range constraint's message is printed with the hint: it tells the person filling the form the limits.
            let isNumber: Bool
            switch kind {
            case .integer, .decimal: isNumber = true
            default: isNumber = false
            }
            if row["constraint"] != nil, isNumber {
                let messages = localized(row.localized("constraint_message"))
                for (language, message) in messages.values {
                    let hint = field.hint.values[language].map { $0 + " " } ?? ""
                    field.hint.values[language] = hint + message
                }
            }
            let purposeCells = row.localized("purpose")
            if kind != .note && !purposeCells.isEmpty {
                let plain = purposeCells["default"]?.trimmingCharacters(in: .whitespaces)
                let isName =
                    purposeCells.count == 1 && plain.map { name in form.purposes.contains { $0.name == name } } == true
                field.purpose =
                    isName ? plain! : purposeID(for: localized(purposeCells), named: nil, location: location)
            } else if kind != .note && hasPurposeColumn {
                error(
                    .missingPurpose, location, "'\(row.name)' has no purpose",
                    fix:
                        "say in its purpose column why it is asked (or delete the question: collect only what you need)"
                )
            }
            if sheet == .identity {
                identity.append(field)
            } else {
                pages[pages.count - 1].fields.append(field)
            }
        }
        pages.removeAll { $0.fields.isEmpty }
        return Template(
            id: id, version: version, title: title, languages: languages, identity: identity, sensitivePages: pages,
            choiceLists: lists, purposes: purposes, settings: settings, source: .file(form.file))
    }

    /// Columns whose content Separa cannot honour on paper.
    mutating func checkColumns(_ row: XLSForm.SurveyRow, _ location: SourceLocation) {
        if row["relevant"] != nil {
            error(
                .unsupportedFeature, location, "'relevant' is not supported: paper cannot skip questions by itself",
                fix:
                    "delete the formula; if the question is only for some people, say so in its hint (printed beside the question)"
            )
        }
        if row["calculation"] != nil && row.type != "calculate" {
            error(.unsupportedFeature, location, "'calculation' is not supported on paper", fix: "delete the formula")
        }
        if row["choice_filter"] != nil {
            error(
                .unsupportedFeature, location, "'choice_filter' is not supported: paper shows every choice",
                fix: "delete the filter and keep the list short, or split it into several questions")
        }
        if row["repeat_count"] != nil && row.type != "repeat" {
            error(.unsupportedFeature, location, "'repeat_count' is not supported", fix: "delete it")
        }
        if row["trigger"] != nil {
            error(.unsupportedFeature, location, "'trigger' is not supported on paper", fix: "delete it")
        }
        for media in ["image", "audio", "video", "big-image"]
        where row.columns.keys.contains(where: { $0 == media || $0.hasPrefix(media + "::") }) {
            error(
                .unsupportedFeature, location, "media ('\(media)') are not supported on paper",
                fix: "delete the \(media) column")
        }
    }

    mutating func required(_ row: XLSForm.SurveyRow, _ location: SourceLocation) -> Bool {
        guard let value = row["required"]?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        switch value {
        case "yes", "true", "true()", "1": return true
        case "no", "false", "false()", "0", "": return false
        default:
            error(
                .unsupportedFeature, location, "'required' holds a formula",
                fix: "write yes or no: paper cannot make a question required only sometimes")
            return false
        }
    }

    /// The Separa kind of a question row, or nil (reported) when it has none.
    mutating func kind(of row: XLSForm.SurveyRow, _ location: SourceLocation, defaultDateFormat: DateFormat)
        -> FieldKind?
    {
        let constraint = row["constraint"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        func range<T>(_ parse: (String) -> T?) -> (T?, T?)? {
            guard let constraint else { return (nil, nil) }
            guard let bounds = Self.parseRange(constraint) else {
                error(
                    .unsupportedFeature, location, "the constraint is not a range Separa can check",
                    fix: "write it as . >= MIN and . <= MAX, or delete it")
                return nil
            }
            return (bounds.min.flatMap(parse), bounds.max.flatMap(parse))
        }
        func noConstraint() {
            if constraint != nil {
                error(
                    .unsupportedFeature, location,
                    "constraints are only supported on integer and decimal questions (as a range)",
                    fix: "delete the constraint")
            }
        }
        switch row.type {
        case "select one", "select all that apply":
            noConstraint()
            if row.rawType.lowercased().hasPrefix("select_one_from_file")
                || row.rawType.lowercased().hasPrefix("select_multiple_from_file")
            {
                error(
                    .unsupportedFeature, location, "choices from a file are not supported",
                    fix: "put the choices on the choices sheet and use select_one LIST")
                return nil
            }
            guard let list = row.listName, !list.isEmpty else {
                error(
                    .selectWithoutChoices, location, "'\(row.rawType)' names no choice list",
                    fix: "write the list after the type, e.g. select_one yes_no")
                return nil
            }
            if list.contains(" ") || list.hasSuffix(".csv") || list.hasSuffix(".xml") || list.hasSuffix(".geojson") {
                error(
                    .unsupportedFeature, location, "choices from a file are not supported",
                    fix: "put the choices on the choices sheet and use select_one LIST")
                return nil
            }
            if row.rawType.lowercased().contains(" or_other") || row.rawType.lowercased().hasSuffix("or_other") {
                error(.unsupportedFeature, location, "'or_other' adds free text", fix: "add an 'other' choice instead")
                return nil
            }
            return row.type == "select one" ? .selectOne(list: list) : .selectMultiple(list: list)
        case "integer":
            guard let (min, max) = range({ Int($0) }) else { return nil }
            return .integer(min: min, max: max)
        case "decimal":
            guard let (min, max) = range({ Double($0) }) else { return nil }
            return .decimal(min: min, max: max)
        case "date":
            noConstraint()
            if let pattern = row["date_format"] {
                do throws(DateFormat.Problem) { return .date(format: try DateFormat(pattern: pattern)) } catch {
                    self.error(
                        .invalidValue, location, "date_format '\(pattern)' is not understood",
                        fix: "write DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD")
                    return nil
                }
            }
            return .date(format: defaultDateFormat)
        case "text":
            noConstraint()
            return .text(maxLength: row["max_length"].flatMap { Int($0) })
        case "note":
            return .note
        case "yes_no":
            noConstraint()
            return .yesNo
        case "age":
            noConstraint()
            return .age
        default:
            error(
                .unsupportedFeature, location, "unknown type '\(row.rawType)'",
                fix:
                    "use one of: select_one LIST, select_multiple LIST, integer, decimal, date, text, note, yes_no, age"
            )
            return nil
        }
    }

    /// Reads `. >= 0 and . <= 120` (also `>`/`<`, bounds in either order, or just one bound).
    /// Strict inequalities on whole numbers are turned into inclusive bounds by the caller's parse only
    /// when exact, so `. > 0` gives min 0 — close enough to be printed, and flagged nowhere: the form's
    /// author wrote the limit.
    static func parseRange(_ constraint: String) -> (min: String?, max: String?)? {
        let parts = constraint.replacingOccurrences(of: "&&", with: " and ").components(separatedBy: " and ")
        var min: String?
        var max: String?
        for part in parts {
            let compact = part.filter { !$0.isWhitespace }
            guard compact.hasPrefix(".") else { return nil }
            let rest = compact.dropFirst()
            let operators = [">=", "<=", ">", "<"]
            guard let op = operators.first(where: { rest.hasPrefix($0) }) else { return nil }
            let value = String(rest.dropFirst(op.count))
            guard Double(value) != nil else { return nil }
            if op.hasPrefix(">") { min = value } else { max = value }
        }
        return (min == nil && max == nil) ? nil : (min, max)
    }
}
