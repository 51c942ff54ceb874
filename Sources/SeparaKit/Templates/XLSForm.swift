import Foundation

/// An XLSForm as written in Excel or KoboToolbox, read structurally the way pyxform reads it — before
/// any Separa rule is applied — so that the reading can be compared with pyxform's own output.
///
/// Header spellings accepted: `label::English (en)`, `label:English` (single colon), `label` (no
/// language: key `default`), any case (`LABEL::EN`), surrounding whitespace and newlines, spaces
/// for underscores (`list name`), and pyxform's old aliases (`bind:required`, `bind:constraint`,
/// `bind:relevant`, `jr:constraintMsg`, `requiredMsg`, `calculate` for `calculation`, `caption`).
/// Language keys are kept exactly as pyxform keys them (`English (en)`, `english`, `العربية`); see
/// ``XLSFormImporter`` for their mapping to language codes. Like pyxform, cell texts get straight quotes
/// for typographic ones (Excel's autocorrect) and, unless the settings say `clean_text_values: no`, are
/// trimmed with runs of spaces collapsed.
public struct XLSForm: Sendable {
    /// One row of the `survey` sheet.
    public struct SurveyRow: Sendable, Hashable {
        /// The Excel row number.
        public let row: Int
        /// The `type` cell as written, trimmed.
        public let rawType: String
        /// The type as pyxform names it in its JSON: `select one`, `select all that apply`, `integer`,
        /// `group` / `repeat` for `begin group` / `begin repeat`, `end group` / `end repeat`, `photo` for `image`…
        public let type: String
        /// The choice list of a select (`select_one yes_no` → `yes_no`), or the file of a `select_one_from_file`.
        public let listName: String?
        public let name: String
        /// Label per pyxform language key.
        public let labels: [String: String]
        /// Hint per pyxform language key.
        public let hints: [String: String]
        /// Every other non-empty cell by normalised column (`required`, `relevant`, `constraint`,
        /// `constraint_message::English (en)`, `purpose`, `sheet`…).
        public let columns: [String: String]

        /// The cell of a normalised column (without a language).
        public subscript(column: String) -> String? { columns[column] }

        /// Cells of a column with a language, by language key (e.g. all `constraint_message::…`).
        public func localized(_ column: String) -> [String: String] {
            var result: [String: String] = [:]
            for (key, value) in columns {
                if key == column { result["default"] = value }
                if key.hasPrefix(column + "::") { result[String(key.dropFirst(column.count + 2))] = value }
            }
            return result
        }
    }

    /// One row of the `choices` sheet.
    public struct ChoiceRow: Sendable, Hashable {
        public let row: Int
        public let listName: String
        public let name: String
        public let labels: [String: String]
        /// Other non-empty cells by normalised column (`image`, filter columns such as `district`…).
        public let columns: [String: String]
    }

    /// The file name used in messages.
    public let file: String
    /// The `survey` sheet's name as written (`survey`, `SURVEY`), and its data rows in order.
    public let surveySheet: String
    public let survey: [SurveyRow]
    /// The `choices` sheet's name as written, if any.
    public let choicesSheet: String?
    /// Choice lists in the order they first appear, each with its rows.
    public let choiceLists: [(name: String, rows: [ChoiceRow])]
    /// The `settings` sheet's name as written, if any; its header row number; its values by normalised column.
    public let settingsSheet: String?
    public let settingsRow: Int
    public let settings: [String: String]
    /// Rows of an optional Separa `purposes` sheet (name and label per language).
    public let purposesSheet: String?
    public let purposes: [ChoiceRow]
    /// Language keys in the order their columns first appear (survey labels, then hints, then choices).
    public let languages: [String]
    /// Names of the other sheets (e.g. `external_choices`, `entities`, `osm`, `license`).
    public let otherSheets: [String]
    /// Header rows by sheet role (`survey`, `choices`, `settings`), for messages about missing columns.
    public let headerRows: [String: Int]
    /// Normalised survey columns, in header order.
    public let surveyColumns: [String]

    /// Reads the form's sheets from a workbook. Throws when there is no `survey` sheet, or it has no `type` column.
    public init(workbook: XLSXWorkbook, file: String) throws(TemplateError) {
        self.file = file
        guard let survey = workbook.sheet(named: "survey") else {
            throw .unreadable(
                file: file,
                diagnostics: [
                    TemplateDiagnostic(
                        .error, .structure, at: .file(file), "the workbook has no 'survey' sheet",
                        fix: "an XLSForm needs sheets survey, choices and settings (see xlsform.org)")
                ])
        }
        var languages: [String] = []
        func noteLanguage(_ language: String?) {
            if let language, !languages.contains(language) { languages.append(language) }
        }
        var headerRows: [String: Int] = [:]
        var clean = true
        if let sheet = workbook.sheet(named: "settings"), let header = sheet.rows.first,
            let values = sheet.rows.dropFirst().first
        {
            for (index, column) in Self.columns(of: header) where column.column.base == "clean_text_values" {
                if let value = values[index]?.trimmingCharacters(in: .whitespaces).lowercased(),
                    ["no", "false", "false()"].contains(value)
                {
                    clean = false
                }
            }
        }

        // survey
        self.surveySheet = survey.name
        var surveyRows: [SurveyRow] = []
        var surveyColumns: [String] = []
        if let header = survey.rows.first {
            headerRows["survey"] = header.number
            let columns = Self.columns(of: header)
            surveyColumns = columns.values.sorted { $0.index < $1.index }.map(\.column.key)
            guard columns.values.contains(where: { $0.column.base == "type" }) else {
                throw .unreadable(
                    file: file,
                    diagnostics: [
                        TemplateDiagnostic(
                            .error, .structure, at: .sheet(file: file, sheet: survey.name, row: header.number),
                            "the first row has no 'type' column",
                            fix: "the first row names the columns: type, name, label…")
                    ])
            }
            for column in columns.values.sorted(by: { $0.index < $1.index }) where column.column.base == "label" {
                noteLanguage(column.column.language ?? "default")
            }
            for row in survey.rows.dropFirst() {
                var labels: [String: String] = [:]
                var hints: [String: String] = [:]
                var others: [String: String] = [:]
                var type = ""
                var name = ""
                for (index, cell) in row.cells {
                    guard let column = columns[index]?.column else { continue }
                    let text = clean ? Self.cleanText(Self.straightenQuotes(cell)) : Self.straightenQuotes(cell)
                    let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard !value.isEmpty else { continue }
                    switch column.base {
                    case "type": type = value
                    case "name": name = value
                    case "label": labels[column.language ?? "default"] = text
                    case "hint": hints[column.language ?? "default"] = text
                    default: others[column.key] = text
                    }
                }
                if type.isEmpty && name.isEmpty && labels.isEmpty { continue }
                let (pyType, list) = Self.pyxformType(type)
                surveyRows.append(
                    SurveyRow(
                        row: row.number, rawType: type, type: pyType, listName: list, name: name, labels: labels,
                        hints: hints, columns: others))
            }
            for column in columns.values.sorted(by: { $0.index < $1.index }) where column.column.base == "hint" {
                noteLanguage(column.column.language ?? "default")
            }
        }
        self.survey = surveyRows
        self.surveyColumns = surveyColumns

        // choices
        func readChoices(_ sheet: XLSXWorkbook.Worksheet, listColumn: Bool) -> [ChoiceRow] {
            guard let header = sheet.rows.first else { return [] }
            let columns = Self.columns(of: header)
            for column in columns.values.sorted(by: { $0.index < $1.index }) where column.column.base == "label" {
                noteLanguage(column.column.language ?? "default")
            }
            var result: [ChoiceRow] = []
            for row in sheet.rows.dropFirst() {
                var labels: [String: String] = [:]
                var others: [String: String] = [:]
                var list = ""
                var name = ""
                for (index, cell) in row.cells {
                    guard let column = columns[index]?.column else { continue }
                    let text = Self.straightenQuotes(cell)  // pyxform cleans survey texts only
                    let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard !value.isEmpty else { continue }
                    switch column.base {
                    case "list_name": list = value
                    case "name": name = value
                    case "label": labels[column.language ?? "default"] = text
                    default: others[column.key] = text
                    }
                }
                if listColumn && list.isEmpty && name.isEmpty { continue }
                if !listColumn && name.isEmpty && labels.isEmpty { continue }
                result.append(ChoiceRow(row: row.number, listName: list, name: name, labels: labels, columns: others))
            }
            return result
        }
        var lists: [(name: String, rows: [ChoiceRow])] = []
        if let choices = workbook.sheet(named: "choices") {
            self.choicesSheet = choices.name
            headerRows["choices"] = choices.rows.first?.number
            for row in readChoices(choices, listColumn: true) {
                if let index = lists.firstIndex(where: { $0.name == row.listName }) {
                    lists[index].rows.append(row)
                } else {
                    lists.append((row.listName, [row]))
                }
            }
        } else {
            self.choicesSheet = nil
        }
        self.choiceLists = lists

        // settings: a header row and one row of values.
        var settings: [String: String] = [:]
        var settingsRow = 0
        if let sheet = workbook.sheet(named: "settings"), let header = sheet.rows.first {
            self.settingsSheet = sheet.name
            headerRows["settings"] = header.number
            let columns = Self.columns(of: header)
            if let values = sheet.rows.dropFirst().first {
                settingsRow = values.number
                for (index, cell) in values.cells {
                    guard let column = columns[index]?.column else { continue }
                    let text = clean ? Self.cleanText(Self.straightenQuotes(cell)) : Self.straightenQuotes(cell)
                    let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !value.isEmpty { settings[column.key] = value }
                }
            }
        } else {
            self.settingsSheet = workbook.sheet(named: "settings")?.name
        }
        self.settings = settings
        self.settingsRow = settingsRow

        if let sheet = workbook.sheet(named: "purposes") {
            self.purposesSheet = sheet.name
            self.purposes = readChoices(sheet, listColumn: false)
        } else {
            self.purposesSheet = nil
            self.purposes = []
        }
        self.languages = languages
        self.headerRows = headerRows
        let known: Set<String> = ["survey", "choices", "settings", "purposes"]
        self.otherSheets = workbook.sheets.map(\.name).filter {
            !known.contains($0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
        }
    }

    /// A header cell, normalised: `base` (lower case, `_` for spaces, aliases resolved), an optional
    /// language, and `key` (`base` or `base::language`).
    struct Column: Hashable {
        let base: String
        let language: String?
        var key: String { language.map { "\(base)::\($0)" } ?? base }
    }

    static let aliases: [String: String] = [
        "list_name": "list_name", "listname": "list_name", "caption": "label", "value": "name",
        "bind:required": "required", "bind:constraint": "constraint", "bind:relevant": "relevant",
        "bind:calculate": "calculation", "calculate": "calculation", "bind:readonly": "read_only",
        "readonly": "read_only",
        "jr:constraintmsg": "constraint_message", "bind:jr:constraintmsg": "constraint_message",
        "constraintmsg": "constraint_message",
        "jr:requiredmsg": "required_message", "bind:jr:requiredmsg": "required_message",
        "requiredmsg": "required_message",
        "jr:count": "repeat_count", "control:jr:count": "repeat_count", "body:appearance": "appearance",
        "control:appearance": "appearance",
        "media:image": "image", "media:audio": "audio", "media:video": "video",
    ]

    /// pyxform's `clean_text_values` (on unless the settings say no): surrounding whitespace trimmed and
    /// runs of spaces collapsed into one.
    static func cleanText(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.contains("  ") else { return trimmed }
        var result = ""
        var previousSpace = false
        for character in trimmed {
            if character == " " {
                if !previousSpace { result.append(character) }
                previousSpace = true
            } else {
                result.append(character)
                previousSpace = false
            }
        }
        return result
    }

    /// Typographic quotes (from Excel's autocorrect) made straight, as pyxform does to every cell.
    static func straightenQuotes(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0x2018...0x201F).contains($0.value) }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x2018, 0x2019, 0x201A, 0x201B: result.append("'")
            case 0x201C, 0x201D, 0x201E, 0x201F: result.append("\"")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// Reads a header row: column index → normalised column.
    static func columns(of header: XLSXWorkbook.Row) -> [Int: (index: Int, column: Column)] {
        var result: [Int: (Int, Column)] = [:]
        for (index, text) in header.cells {
            let column = parseHeader(text)
            if !column.base.isEmpty { result[index] = (index, column) }
        }
        return result
    }

    /// `label::English (en)` → (label, "English (en)"); `label:english` → (label, "english");
    /// `bind:required` → (required, nil); `LIST NAME` → (list_name, nil); `media::audio::chinese` → (audio, chinese).
    static func parseHeader(_ text: String) -> Column {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var base: String
        var language: String?
        if let range = trimmed.range(of: "::") {
            base = String(trimmed[..<range.lowerBound])
            language = String(trimmed[range.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
            // media::audio::chinese
            if base.lowercased() == "media", let language0 = language, let inner = language0.range(of: "::") {
                base = String(language0[..<inner.lowerBound])
                language = String(language0[inner.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
            } else if base.lowercased() == "media", let language0 = language {
                base = language0
                language = nil
            }
        } else {
            base = trimmed
        }
        var lower = base.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().replacingOccurrences(
            of: " ", with: "_")
        if language == nil, let colon = lower.firstIndex(of: ":") {
            let prefix = String(lower[..<colon])
            if ["bind", "jr", "body", "control", "media", "instance"].contains(prefix) {
                // pyxform's old prefixed spellings, resolved through the aliases below.
            } else {
                language = String(base[base.index(after: base.firstIndex(of: ":")!)...]).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                lower = prefix
            }
        }
        if let alias = aliases[lower] { lower = alias }
        if lower.hasPrefix("bind:") { lower = String(lower.dropFirst(5)) }
        if language?.isEmpty == true { language = nil }
        return Column(base: lower, language: language)
    }

    /// The type as pyxform's JSON names it, and a select's list (or file).
    static func pyxformType(_ raw: String) -> (String, String?) {
        let words = raw.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first else { return ("", nil) }
        let lower = first.lowercased()
        let rest = words.dropFirst()
        // `select_one LIST or_other`: the list is LIST (pyxform adds an "other" choice and a text question).
        let listWords = words.last?.lowercased() == "or_other" ? Array(words.dropLast()) : words
        func list(after count: Int) -> String? {
            listWords.count > count ? listWords[count...].joined(separator: " ") : nil
        }
        switch lower {
        case "select_one", "select1":
            return ("select one", list(after: 1))
        case "select_multiple":
            return ("select all that apply", list(after: 1))
        case "select_one_from_file":
            return ("select one", list(after: 1))
        case "select_multiple_from_file":
            return ("select all that apply", list(after: 1))
        case "select_one_external":
            return ("select one external", list(after: 1))
        case "select":
            // select one X, select one from X, select all that apply from X, select multiple from X
            let tail = rest.map { $0.lowercased() }
            if tail.first == "one" {
                let skip = tail.dropFirst().first == "from" ? 3 : 2
                return ("select one", list(after: skip))
            }
            if tail.starts(with: ["all", "that", "apply"]) {
                let skip = tail.dropFirst(3).first == "from" ? 5 : 4
                return ("select all that apply", list(after: skip))
            }
            if tail.first == "multiple" {
                let skip = tail.dropFirst().first == "from" ? 3 : 2
                return ("select all that apply", list(after: skip))
            }
            return (raw.lowercased(), nil)
        case "begin" where !rest.isEmpty, "end" where !rest.isEmpty:
            let what = rest.first!.lowercased()
            return (lower == "begin" ? what : "end \(what)", nil)
        case "begin_group": return ("group", nil)
        case "end_group": return ("end group", nil)
        case "begin_repeat": return ("repeat", nil)
        case "end_repeat": return ("end repeat", nil)
        case "image": return ("photo", nil)
        case "imei": return ("deviceid", nil)
        case "int": return ("integer", nil)
        case "string": return ("text", nil)
        case "rank": return ("rank", list(after: 1))
        default: return (lower, list(after: 1))
        }
    }
}
