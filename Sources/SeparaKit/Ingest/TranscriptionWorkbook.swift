import Foundation
import ZIPFoundation

/// The transcription sheet as an Excel workbook (`.xlsx`) that stops typos at the keyboard, in Excel and in
/// LibreOffice alike.
///
/// Sheet `transcription`: the header row (bold, wrapped, frozen with the code column), then data validation
/// on rows 2 to ``lastRow``:
/// - `select_one` and `yes_no`: a dropdown of the choice labels in the sheet's language, read from the
///   hidden sheet `lists` through a defined name (the form every Excel since 2007 and LibreOffice accept);
/// - one 0/1 column per choice of a `select_multiple`: a dropdown of `1` and `0`;
/// - `integer` and `decimal`: the template's range;
/// - `age`: whole years 0–120 or one of the bands `0-4` `5-11` `12-17` `18-59` `60+`;
/// - `date`: the declared format, e.g. `DD/MM/YYYY`, and a date that exists;
/// - free text: its maximum length.
///
/// Dates are kept as text. Typed into a General cell, `05/03/2024` becomes a date serial number that the
/// spreadsheet then writes to CSV in the computer's own date format (`3/5/2024` on a US Excel) — which ingest
/// would read as the 3rd of May, or refuse. So the date columns are formatted as Text (`@`): what the clerk
/// types is what the CSV holds, and a custom rule checks its shape and that the date exists (the `DATE`
/// round trip of ``dateFormula(format:cell:)``). The code and age columns are Text as well, so that leading
/// zeros survive and `5-11` is not taken for the 5th of November; free text is Text, so that nothing typed
/// is run as a formula. Prompts and error messages are in the sheet's language (English when Separa has no
/// words for it).
///
/// Written by hand on top of ZIPFoundation because no SpreadsheetML writer is among the project's
/// dependencies, and the parts needed are few and fixed; every part is small, static XML.
public enum TranscriptionWorkbook {
    /// The last row that carries the checks (and the Text format, through the column styles).
    public static let lastRow = 5000
    /// The name of the data sheet.
    public static let sheetName = "transcription"
    /// The name of the hidden sheet holding the choice labels.
    public static let listsSheetName = "lists"

    /// The workbook's bytes for `template`, headed in `language`.
    public static func data(template: Template, language: String) throws(TranscriptionError) -> Data {
        try data(template: template, language: language, rows: [])
    }

    /// The workbook with `rows` typed in (for tests: a filled sheet to round-trip through a spreadsheet).
    static func data(template: Template, language: String, rows: [[String]]) throws(TranscriptionError) -> Data {
        let plan = Plan(template: template, language: language)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rootRelationships),
            ("xl/workbook.xml", plan.workbookXML),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", styles),
            ("xl/worksheets/sheet1.xml", plan.sheetXML(rows: rows)),
            ("xl/worksheets/sheet2.xml", plan.listsXML),
        ]
        do {
            let archive = try Archive(accessMode: .create)
            for (path, text) in parts {
                let bytes = Data(text.utf8)
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: fixedDate,
                    compressionMethod: .deflate
                ) { position, size in
                    bytes.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw TranscriptionError.workbook("no archive data") }
            return data
        } catch let error as TranscriptionError {
            throw error
        } catch {
            throw .workbook(String(describing: error))
        }
    }

    /// Entries carry a fixed time, so that the same template gives the same bytes.
    static let fixedDate = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01

    // MARK: - Columns

    /// What a column checks.
    enum Rule: Equatable {
        /// A dropdown of the labels in the defined name.
        case list(name: String)
        /// `1` or `0`.
        case tick
        case whole(min: Int?, max: Int?)
        case decimal(min: Double?, max: Double?)
        case date(DateFormat)
        case age
        /// Text of at most this many characters.
        case maxLength(Int)
        /// Nothing to check; a prompt only.
        case promptOnly
    }

    struct Column {
        let header: String
        /// Cells formatted as Text (`@`).
        let isText: Bool
        let rule: Rule?
        let width: Double
    }

    /// Everything the parts need, worked out once.
    struct Plan {
        let language: String
        let rightToLeft: Bool
        let columns: [Column]
        /// Choice lists used by dropdowns: defined name and labels, in column order of the lists sheet.
        let lists: [(name: String, labels: [String])]
        let phrases: TranscriptionPhrases

        init(template: Template, language: String) {
            self.language = language
            rightToLeft = TranscriptionPhrases.rightToLeftLanguages.contains(language)
            phrases = TranscriptionPhrases.forLanguage(language)
            let fallbacks = template.languages
            var lists: [(name: String, labels: [String])] = []
            var listIndex: [String: Int] = [:]
            var columns: [Column] = []
            for column in template.transcriptionColumns {
                let header = column.header(language: language, template: template)
                var longest = header.count
                let isText: Bool
                let rule: Rule?
                switch column {
                case .code:
                    isText = true
                    rule = .promptOnly
                    longest = max(longest, 16)
                case .choice:
                    isText = false
                    rule = .tick
                case .field(let field):
                    switch field.kind {
                    case .selectOne, .yesNo, .selectMultiple:
                        let list = template.choices(for: field)
                        let key = list?.name ?? field.name
                        let labels =
                            list?.choices.map { $0.label.text(in: language, fallbacks: fallbacks) ?? $0.name } ?? []
                        if listIndex[key] == nil {
                            listIndex[key] = lists.count
                            lists.append((name: "separa_list_\(lists.count + 1)", labels: labels))
                        }
                        longest = max(longest, (labels.map(\.count).max() ?? 0) + 3)
                        isText = true
                        rule = .list(name: lists[listIndex[key]!].name)
                    case .integer(let min, let max):
                        isText = false
                        rule = .whole(min: min, max: max)
                    case .decimal(let min, let max):
                        isText = false
                        rule = .decimal(min: min, max: max)
                    case .date(let format):
                        isText = true
                        rule = .date(format)
                    case .age:
                        isText = true
                        rule = .age
                    case .text(let maxLength):
                        isText = true
                        rule = maxLength.map { .maxLength($0) }
                    case .note:
                        isText = false
                        rule = nil
                    }
                }
                // Excel measures widths in characters of the default font; long headers wrap instead.
                let width = Double(min(max(longest, 8), 40)) * 1.1 + 2
                columns.append(Column(header: header, isText: isText, rule: rule, width: (width * 10).rounded() / 10))
            }
            self.columns = columns
            self.lists = lists
        }

        var workbookXML: String {
            var xml = xmlDeclaration
            xml += "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
            xml += "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
            xml += "<sheet name=\"\(sheetName)\" sheetId=\"1\" r:id=\"rId1\"/>"
            xml += "<sheet name=\"\(listsSheetName)\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/>"
            xml += "</sheets>"
            if !lists.isEmpty {
                xml += "<definedNames>"
                for (index, list) in lists.enumerated() {
                    let letter = TranscriptionWorkbook.columnLetter(index)
                    let last = max(list.labels.count, 1)
                    xml += "<definedName name=\"\(list.name)\">\(listsSheetName)!$\(letter)$1:$\(letter)$\(last)"
                    xml += "</definedName>"
                }
                xml += "</definedNames>"
            }
            return xml + "</workbook>"
        }

        func sheetXML(rows: [[String]]) -> String {
            let lastColumn = TranscriptionWorkbook.columnLetter(max(columns.count - 1, 0))
            var xml = xmlDeclaration
            xml += "<worksheet xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
            xml += "<dimension ref=\"A1:\(lastColumn)\(rows.count + 1)\"/>"
            xml +=
                "<sheetViews><sheetView\(rightToLeft ? " rightToLeft=\"1\"" : "") tabSelected=\"1\" workbookViewId=\"0\">"
            // The header row and the code column stay in view while the clerk types.
            xml += "<pane xSplit=\"1\" ySplit=\"1\" topLeftCell=\"B2\" activePane=\"bottomRight\" state=\"frozen\"/>"
            xml += "<selection pane=\"topRight\" activeCell=\"B1\" sqref=\"B1\"/>"
            xml += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>"
            xml += "<selection pane=\"bottomRight\" activeCell=\"B2\" sqref=\"B2\"/></sheetView></sheetViews>"
            xml += "<cols>"
            for (index, column) in columns.enumerated() {
                xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(column.width)\""
                xml += column.isText ? " style=\"\(Style.text)\"" : ""
                xml += " customWidth=\"1\"/>"
            }
            xml += "</cols><sheetData>"
            xml += "<row r=\"1\">"
            for (index, column) in columns.enumerated() {
                xml += inlineCell(row: 1, column: index, text: column.header, style: Style.header)
            }
            xml += "</row>"
            for (offset, row) in rows.enumerated() {
                let number = offset + 2
                xml += "<row r=\"\(number)\">"
                for (index, text) in row.enumerated() where index < columns.count && !text.isEmpty {
                    let column = columns[index]
                    if !column.isText, Double(text) != nil {
                        xml += "<c r=\"\(TranscriptionWorkbook.columnLetter(index))\(number)\"><v>\(text)</v></c>"
                    } else {
                        xml += inlineCell(row: number, column: index, text: text, style: column.isText ? Style.text : 0)
                    }
                }
                xml += "</row>"
            }
            xml += "</sheetData>"
            let validations = columns.enumerated().compactMap { index, column in
                column.rule.map { validation($0, column: index) }
            }
            if !validations.isEmpty {
                xml += "<dataValidations count=\"\(validations.count)\">" + validations.joined() + "</dataValidations>"
            }
            xml +=
                "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
            // Digits in the Text columns (ages, codes) are meant as text: no "number stored as text" flags.
            let textRanges = columns.indices.filter { columns[$0].isText }.map { index -> String in
                let letter = TranscriptionWorkbook.columnLetter(index)
                return "\(letter)2:\(letter)\(lastRow)"
            }
            if !textRanges.isEmpty {
                xml += "<ignoredErrors><ignoredError sqref=\"\(textRanges.joined(separator: " "))\" "
                xml += "numberStoredAsText=\"1\"/></ignoredErrors>"
            }
            return xml + "</worksheet>"
        }

        var listsXML: String {
            var xml = xmlDeclaration
            xml += "<worksheet xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\"><sheetData>"
            let height = lists.map(\.labels.count).max() ?? 0
            for row in 0..<height {
                xml += "<row r=\"\(row + 1)\">"
                for (index, list) in lists.enumerated() where row < list.labels.count {
                    xml += inlineCell(row: row + 1, column: index, text: list.labels[row], style: 0)
                }
                xml += "</row>"
            }
            return xml + "</sheetData></worksheet>"
        }

        func inlineCell(row: Int, column: Int, text: String, style: Int) -> String {
            let reference = "\(TranscriptionWorkbook.columnLetter(column))\(row)"
            let styleAttribute = style == 0 ? "" : " s=\"\(style)\""
            return "<c r=\"\(reference)\"\(styleAttribute) t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                + escape(text) + "</t></is></c>"
        }

        /// One `<dataValidation>` for rows 2 to ``lastRow`` of the 0-based `column`.
        func validation(_ rule: Rule, column: Int) -> String {
            let letter = TranscriptionWorkbook.columnLetter(column)
            let cell = "\(letter)2"
            let range = "\(cell):\(letter)\(lastRow)"
            var attributes: [(String, String)] = []
            var formulas: [String] = []
            let message: String
            switch rule {
            case .list(let name):
                attributes.append(("type", "list"))
                formulas = [name]
                message = phrases.chooseFromList
            case .tick:
                attributes.append(("type", "list"))
                formulas = ["\"1,0\""]
                message = phrases.tick
            case .whole(let min, let max):
                attributes.append(("type", "whole"))
                let (op, bounds) = Self.bounds(
                    min.map(String.init), max.map(String.init), unbounded: ("-999999999999", "999999999999"))
                attributes.append(("operator", op))
                formulas = bounds
                message = phrases.wholeNumber(min.map(String.init), max.map(String.init))
            case .decimal(let min, let max):
                attributes.append(("type", "decimal"))
                let (op, bounds) = Self.bounds(
                    min.map(Self.plain), max.map(Self.plain), unbounded: ("-1E+15", "1E+15"))
                attributes.append(("operator", op))
                formulas = bounds
                message = phrases.number(min.map(Self.plain), max.map(Self.plain))
            case .date(let format):
                attributes.append(("type", "custom"))
                formulas = [TranscriptionWorkbook.dateFormula(format: format, cell: cell)]
                let example = format.format(CalendarDate(year: 2024, month: 3, day: 5)!)
                message = phrases.date(format.pattern, example)
            case .age:
                attributes.append(("type", "custom"))
                formulas = [TranscriptionWorkbook.ageFormula(cell: cell)]
                message = phrases.age
            case .maxLength(let length):
                attributes.append(("type", "textLength"))
                attributes.append(("operator", "lessThanOrEqual"))
                formulas = [String(length)]
                message = phrases.maxLength(length)
            case .promptOnly:
                attributes.append(("type", "none"))
                message = phrases.code
            }
            attributes += [("allowBlank", "1"), ("showInputMessage", "1"), ("prompt", message)]
            if rule != .promptOnly {
                attributes += [
                    ("showErrorMessage", "1"), ("errorStyle", "stop"), ("errorTitle", phrases.errorTitle),
                    ("error", message),
                ]
            }
            attributes.append(("sqref", range))
            var xml = "<dataValidation"
            for (name, value) in attributes { xml += " \(name)=\"\(escape(value))\"" }
            xml += ">"
            for (index, formula) in formulas.enumerated() {
                xml += "<formula\(index + 1)>\(escape(formula))</formula\(index + 1)>"
            }
            return xml + "</dataValidation>"
        }

        /// The operator and formulas for an optional range.
        static func bounds(_ min: String?, _ max: String?, unbounded: (String, String)) -> (String, [String]) {
            switch (min, max) {
            case (let min?, let max?): return ("between", [min, max])
            case (let min?, nil): return ("greaterThanOrEqual", [min])
            case (nil, let max?): return ("lessThanOrEqual", [max])
            case (nil, nil): return ("between", [unbounded.0, unbounded.1])
            }
        }

        /// A bound as a formula number: `3`, `1.5`.
        static func plain(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
    }

    /// The custom rule for a date typed as text in `format` into `cell` (the range's first cell; the rule
    /// is relative to it): the separators in place, four-digit year from 1000, and a date that exists —
    /// `DATE(y, m, d)` normalises 31/02 to 02/03, so day and month must come back unchanged.
    ///
    /// Only the declared format with two-digit day and month passes (`05/03/2024`, not `5/3/2024`): a rule
    /// for every spelling ingest accepts would pass Excel's 255-character limit on validation formulas.
    static func dateFormula(format: DateFormat, cell: String) -> String {
        var start = 1
        var parts: [DateFormat.Part: String] = [:]
        var separators: [Int] = []
        for (index, part) in format.order.enumerated() {
            let length = part == .year ? 4 : 2
            parts[part] = "--MID(\(cell),\(start),\(length))"
            start += length
            if index < 2 {
                separators.append(start)
                start += 1
            }
        }
        let (day, month, year) = (parts[.day]!, parts[.month]!, parts[.year]!)
        let date = "DATE(\(year),\(month),\(day))"
        let separator = String(format.separator)
        return "AND(LEN(\(cell))=10,"
            + separators.map { "MID(\(cell),\($0),1)=\"\(separator)\"," }.joined()
            + "\(year)>999,DAY(\(date))=\(day),MONTH(\(date))=\(month))"
    }

    /// The custom rule for an age typed as text into `cell`: one of the bands, or whole years 0–120.
    static func ageFormula(cell: String) -> String {
        let bands = AgeBand.allCases.map { "\(cell)=\"\($0.rawValue)\"" }.joined(separator: ",")
        let years =
            "IFERROR(AND(LEN(\(cell))<4,--\(cell)>=0,--\(cell)<=\(AgeValue.maximumYears),"
            + "--\(cell)=INT(--\(cell))),FALSE())"
        return "OR(\(bands),\(years))"
    }

    /// Excel's column letters for a 0-based index: `A`…`Z`, `AA`….
    static func columnLetter(_ index: Int) -> String {
        var number = index + 1
        var letters = ""
        while number > 0 {
            let remainder = (number - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            number = (number - 1) / 26
        }
        return letters
    }

    // MARK: - Fixed parts

    /// Indexes into `cellXfs` of ``styles``.
    enum Style {
        static let text = 1
        static let header = 2
    }

    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let xmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    static let contentTypes =
        xmlDeclaration
        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        + "<Override PartName=\"/xl/workbook.xml\" "
        + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        + "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
        + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        + "<Override PartName=\"/xl/worksheets/sheet2.xml\" "
        + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        + "<Override PartName=\"/xl/styles.xml\" "
        + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        + "</Types>"

    static let rootRelationships =
        xmlDeclaration
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" "
        + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
        + "Target=\"xl/workbook.xml\"/></Relationships>"

    static let workbookRelationships =
        xmlDeclaration
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" "
        + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
        + "Target=\"worksheets/sheet1.xml\"/>"
        + "<Relationship Id=\"rId2\" "
        + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
        + "Target=\"worksheets/sheet2.xml\"/>"
        + "<Relationship Id=\"rId3\" "
        + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
        + "Target=\"styles.xml\"/></Relationships>"

    /// Cell formats: 0 General, 1 Text (`@`, built-in format 49), 2 the header (bold, wrapped, top-aligned).
    static let styles =
        xmlDeclaration
        + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
        + "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"3\">"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"49\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" "
        + "applyFont=\"1\" applyAlignment=\"1\"><alignment vertical=\"top\" wrapText=\"1\"/></xf>"
        + "</cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"
}

/// Escapes text for XML content and attributes; drops the control characters XML 1.0 cannot hold.
private func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\n": out += "&#10;"
        case "\t": out += "&#9;"
        default:
            if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// The few sentences the workbook shows (prompts and error messages), per language.
struct TranscriptionPhrases: Sendable {
    let chooseFromList: String
    let tick: String
    let wholeNumber: @Sendable (String?, String?) -> String
    let number: @Sendable (String?, String?) -> String
    let date: @Sendable (String, String) -> String
    let age: String
    let maxLength: @Sendable (Int) -> String
    let code: String
    let errorTitle: String

    /// Languages whose sheets read right to left.
    static let rightToLeftLanguages: Set<String> = ["ar", "fa", "ps", "ur", "he", "ckb", "dv", "yi"]

    /// The phrases in `language`, else in English.
    static func forLanguage(_ language: String) -> TranscriptionPhrases {
        switch language {
        case "fr": return french
        case "es": return spanish
        case "ar": return arabic
        default: return english
        }
    }

    static let bands = AgeBand.allCases.map(\.rawValue).joined(separator: ", ")

    /// Builds "… from A to B" style phrases from the four cases.
    static func ranged(
        _ both: @escaping @Sendable (String, String) -> String, _ atLeast: @escaping @Sendable (String) -> String,
        _ atMost: @escaping @Sendable (String) -> String, _ neither: String
    ) -> @Sendable (String?, String?) -> String {
        { min, max in
            switch (min, max) {
            case (let min?, let max?): return both(min, max)
            case (let min?, nil): return atLeast(min)
            case (nil, let max?): return atMost(max)
            case (nil, nil): return neither
            }
        }
    }

    static let english = TranscriptionPhrases(
        chooseFromList: "Choose from the list.",
        tick: "1 if ticked on the sheet, 0 or empty if not.",
        wholeNumber: ranged(
            { "A whole number from \($0) to \($1)." }, { "A whole number of at least \($0)." },
            { "A whole number of at most \($0)." }, "A whole number."),
        number: ranged(
            { "A number from \($0) to \($1)." }, { "A number of at least \($0)." }, { "A number of at most \($0)." },
            "A number."),
        date: { "A date written \($0), for example \($1)." },
        age: "Age in whole years (0 to 120), or a band: \(bands).",
        maxLength: { "At most \($0) characters." },
        code: "Copy the case code from the sheet.",
        errorTitle: "Not accepted")

    static let french = TranscriptionPhrases(
        chooseFromList: "Choisissez dans la liste.",
        tick: "1 si la case est cochée sur la feuille, 0 ou vide sinon.",
        wholeNumber: ranged(
            { "Un nombre entier de \($0) à \($1)." }, { "Un nombre entier d’au moins \($0)." },
            { "Un nombre entier d’au plus \($0)." }, "Un nombre entier."),
        number: ranged(
            { "Un nombre de \($0) à \($1)." }, { "Un nombre d’au moins \($0)." }, { "Un nombre d’au plus \($0)." },
            "Un nombre."),
        date: { "Une date écrite \($0), par exemple \($1)." },
        age: "Âge en années entières (0 à 120), ou une tranche : \(bands).",
        maxLength: { "Au plus \($0) caractères." },
        code: "Recopiez le code du dossier depuis la feuille.",
        errorTitle: "Valeur refusée")

    static let spanish = TranscriptionPhrases(
        chooseFromList: "Elija de la lista.",
        tick: "1 si la casilla está marcada en la hoja, 0 o vacío si no.",
        wholeNumber: ranged(
            { "Un número entero de \($0) a \($1)." }, { "Un número entero de al menos \($0)." },
            { "Un número entero de como máximo \($0)." }, "Un número entero."),
        number: ranged(
            { "Un número de \($0) a \($1)." }, { "Un número de al menos \($0)." },
            { "Un número de como máximo \($0)." },
            "Un número."),
        date: { "Una fecha escrita \($0), por ejemplo \($1)." },
        age: "Edad en años cumplidos (0 a 120), o un tramo: \(bands).",
        maxLength: { "Como máximo \($0) caracteres." },
        code: "Copie el código del caso de la hoja.",
        errorTitle: "Valor no aceptado")

    static let arabic = TranscriptionPhrases(
        chooseFromList: "اختر من القائمة.",
        tick: "1 إذا كان المربع مؤشَّراً على الورقة، و0 أو فارغ إذا لم يكن.",
        wholeNumber: ranged(
            { "عدد صحيح من \($0) إلى \($1)." }, { "عدد صحيح لا يقل عن \($0)." }, { "عدد صحيح لا يزيد على \($0)." },
            "عدد صحيح."),
        number: ranged(
            { "رقم من \($0) إلى \($1)." }, { "رقم لا يقل عن \($0)." }, { "رقم لا يزيد على \($0)." }, "رقم."),
        date: { "تاريخ مكتوب بالصيغة \($0)، مثلاً \($1)." },
        age: "العمر بالسنوات الكاملة (من 0 إلى 120)، أو فئة عمرية: \(bands).",
        maxLength: { "\($0) حرفاً على الأكثر." },
        code: "انسخ رمز الحالة من الورقة.",
        errorTitle: "قيمة غير مقبولة")
}
