import Foundation
import Testing
import ZIPFoundation

@testable import SeparaKit

/// The real third-party XLSForms of ../shared/testdata/xlsforms, read structurally and compared with the
/// JSON pyxform 4.5.0 produces for them; then imported, where Separa refuses what paper cannot carry.
@Suite("XLSForm reading against pyxform", .enabled(if: TestPaths.hasSharedTestData, TestPaths.sharedTestDataMissing))
struct XLSFormPyxformTests {
    static let forms = [
        "onadata/childrens_survey_sw", "onadata/form_with_unicode_in_relevant_column", "onadata/good_eats_multilang",
        "onadata/multi_lingual_form", "onadata/subdistrict_profiling_tool", "onadata/tutorial",
        "pyxform/UCL_Biomass_Plot_Form",
        "pyxform/case_insensitivity", "pyxform/choice_filter_test", "pyxform/xl_date_ambiguous",
        "pyxform/xlsform_spec_test",
        "pyxform/yes_or_no_question",
    ]

    static func folder() throws -> URL { try #require(TestPaths.sharedTestData).appendingPathComponent("xlsforms") }

    static func read(_ form: String) throws -> XLSForm {
        let url = try folder().appendingPathComponent("\(form).xlsx")
        return try XLSForm(workbook: try XLSXWorkbook(contentsOf: url), file: url.lastPathComponent)
    }

    static func expected(_ form: String) throws -> [String: Any] {
        let data = try Data(contentsOf: try folder().appendingPathComponent("expected/\(form).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// pyxform's label (a string, or a language map) as a language map; a bare string is keyed `default`.
    static func labels(_ value: Any?) -> [String: String] {
        if let text = value as? String { return ["default": text.trimmingCharacters(in: .whitespacesAndNewlines)] }
        guard let map = value as? [String: String] else { return [:] }
        return map.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// pyxform's question tree in document order, without the `meta` group it adds.
    static func flatten(_ node: [String: Any]) -> [[String: Any]] {
        var result: [[String: Any]] = []
        for child in node["children"] as? [[String: Any]] ?? [] {
            if child["name"] as? String == "meta", (child["control"] as? [String: Any])?["bodyless"] as? Bool == true {
                continue
            }
            result.append(child)
            result += flatten(child)
        }
        return result
    }

    /// pyxform's question tree without the nodes pyxform adds itself: the text question of
    /// `select_one LIST or_other` (`NAME_other`), the hidden select of a labelled table-list group
    /// (`reserved_name_for_field_list_labels_N`), and the count calculation of a repeat whose
    /// repeat_count is an expression (`REPEAT_count`).
    static func pyxformQuestions(_ form: String, _ structure: XLSForm) throws -> [[String: Any]] {
        let names = Set(structure.survey.map(\.name))
        let orOther = Set(
            structure.survey.filter { $0.rawType.lowercased().hasSuffix("or_other") }.map { $0.name + "_other" })
        let repeats = Set(structure.survey.filter { $0.type == "repeat" }.map { $0.name + "_count" })
        return flatten(try expected(form)).filter { node in
            let name = node["name"] as? String ?? ""
            if names.contains(name) { return true }
            return
                !(orOther.contains(name) || repeats.contains(name)
                || name.hasPrefix("reserved_name_for_field_list_labels_"))
        }
    }

    /// pyxform's choice lists without the "other" choice it appends for `or_other`.
    static func pyxformChoices(_ form: String, _ structure: XLSForm) throws -> [String: [[String: Any]]] {
        var lists = try expected(form)["choices"] as? [String: [[String: Any]]] ?? [:]
        for row in structure.survey where row.rawType.lowercased().hasSuffix("or_other") {
            if let list = row.listName, lists[list]?.last?["name"] as? String == "other",
                !(structure.choiceLists.first { $0.name == list }?.rows.contains { $0.name == "other" } ?? false)
            {
                lists[list]?.removeLast()
            }
        }
        return lists
    }

    static func trimmed(_ map: [String: String]) -> [String: String] {
        map.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    @Test("questions: the same types and names, in the same order", arguments: forms)
    func questions(form: String) throws {
        let structure = try Self.read(form)
        let ours = structure.survey.filter { !$0.type.hasPrefix("end ") }.map { "\($0.type) \($0.name)" }
        let theirs = try Self.pyxformQuestions(form, structure).map {
            "\($0["type"] as? String ?? "?") \($0["name"] as? String ?? "?")"
        }
        #expect(ours == theirs)
    }

    @Test("labels and hints: the same text in the same languages", arguments: forms)
    func labelsAndHints(form: String) throws {
        let structure = try Self.read(form)
        let ours = structure.survey.filter { !$0.type.hasPrefix("end ") }
        let theirs = try Self.pyxformQuestions(form, structure)
        try #require(ours.count == theirs.count)
        for (row, node) in zip(ours, theirs) {
            #expect(Self.trimmed(row.labels) == Self.labels(node["label"]), "row \(row.row) label")
            #expect(Self.trimmed(row.hints) == Self.labels(node["hint"]), "row \(row.row) hint")
        }
    }

    @Test("choices: the same lists, names and labels (cached values of formula cells included)", arguments: forms)
    func choices(form: String) throws {
        let ours = try Self.read(form)
        let theirs = try Self.pyxformChoices(form, ours)
        for (list, choices) in theirs {
            let rows = try #require(ours.choiceLists.first { $0.name == list }?.rows, "list \(list) missing")
            #expect(rows.map(\.name) == choices.map { $0["name"] as? String ?? "" }, "list \(list)")
            for (row, choice) in zip(rows, choices) {
                #expect(Self.trimmed(row.labels) == Self.labels(choice["label"]), "list \(list) row \(row.row)")
            }
        }
    }

    @Test("languages: the same language keys as pyxform's labels", arguments: forms)
    func languages(form: String) throws {
        let ours = try Self.read(form)
        var theirs: Set<String> = []
        let expected = try Self.expected(form)
        for node in try Self.pyxformQuestions(form, ours) { theirs.formUnion(Self.labels(node["label"]).keys) }
        for choices in try Self.pyxformChoices(form, ours).values {
            for choice in choices { theirs.formUnion(Self.labels(choice["label"]).keys) }
        }
        var used: Set<String> = []
        for row in ours.survey { used.formUnion(row.labels.keys) }
        for list in ours.choiceLists { for row in list.rows { used.formUnion(row.labels.keys) } }
        #expect(used == theirs)
        if let defaultLanguage = expected["default_language"] as? String, defaultLanguage != "default" {
            #expect(ours.settings["default_language"] == defaultLanguage)
        }
    }

    @Test("a settings formula (=NOW()) is read as its cached date-time, as pyxform renders it")
    func cachedFormulaDate() throws {
        let form = try Self.read("pyxform/UCL_Biomass_Plot_Form")
        #expect(form.settings["version"] == (try Self.expected("pyxform/UCL_Biomass_Plot_Form")["version"] as? String))
        #expect(form.settings["version"] == "2022-04-11 16:26:28.971000")
    }

    @Test(
        "each form is refused at the sheet and row of a feature paper cannot carry",
        arguments: [
            ("onadata/childrens_survey_sw", "survey", 4), ("onadata/good_eats_multilang", "survey", 2),
            ("onadata/good_eats_multilang", "survey", 8), ("onadata/subdistrict_profiling_tool", "survey", 6),
            ("onadata/tutorial", "survey", 5), ("onadata/tutorial", "survey", 7), ("onadata/tutorial", "survey", 14),
            ("pyxform/UCL_Biomass_Plot_Form", "survey", 11), ("pyxform/UCL_Biomass_Plot_Form", "survey", 16),
            ("pyxform/case_insensitivity", "SURVEY", 3), ("pyxform/xlsform_spec_test", "survey", 15),
            ("pyxform/xlsform_spec_test", "survey", 34), ("pyxform/xlsform_spec_test", "survey", 36),
        ])
    func refusedAtRow(form: String, sheet: String, row: Int) throws {
        let url = try Self.folder().appendingPathComponent("\(form).xlsx")
        let result = XLSFormImporter.importForm(at: url)
        let error = try #require(
            result.diagnostics.first {
                $0.location == .sheet(file: url.lastPathComponent, sheet: sheet, row: row)
                    && $0.rule == .unsupportedFeature
            })
        #expect(
            error.description.hasPrefix("\(url.lastPathComponent): error: [row : \(row)] On the '\(sheet)' sheet, "))
        #expect(!error.fix.isEmpty)
    }

    @Test("every row using an unsupported type or column is reported, on its own row", arguments: forms)
    func everyUnsupportedRowReported(form: String) throws {
        let structure = try Self.read(form)
        let result = XLSFormImporter.convert(structure)
        let reported = Set(
            result.diagnostics.filter { $0.rule == .unsupportedFeature }.compactMap { diagnostic -> Int? in
                if case .sheet(_, let sheet, let row)? = diagnostic.location, sheet == structure.surveySheet {
                    return row
                }
                return nil
            })
        for row in structure.survey {
            let unsupported =
                XLSFormImporter.unsupportedTypes[row.type] != nil || row.type == "repeat"
                || ["relevant", "calculation", "choice_filter"].contains { row[$0] != nil }
            if unsupported { #expect(reported.contains(row.row), "row \(row.row) (\(row.rawType)) not reported") }
        }
        // The forms with such rows are refused.
        if !reported.isEmpty { #expect(throws: TemplateError.self) { try Self.refuse(result) } }
    }

    static func refuse(_ result: XLSFormImporter.Result) throws {
        if result.diagnostics.contains(where: {
            $0.severity == .error && TemplateImport.blockingRules.contains($0.rule)
        }) {
            throw TemplateError.unreadable(file: "", diagnostics: result.diagnostics)
        }
    }

    @Test("the minimal legacy form loads; the checker then asks for Separa's sheet and purpose columns")
    func yesOrNoQuestion() throws {
        let url = try Self.folder().appendingPathComponent("pyxform/yes_or_no_question.xlsx")
        let result = XLSFormImporter.importForm(at: url)
        #expect(result.diagnostics.filter { $0.rule == .unsupportedFeature }.isEmpty)
        #expect(
            result.languages == [XLSFormImporter.LanguageMapping(header: "english", code: "en", method: .knownName)])
        let template = try #require(result.template)
        #expect(template.languages == ["en"])
        let field = try #require(template.field(named: "good_day"))
        #expect(field.kind == .selectOne(list: "yes_or_no"))
        #expect(field.label["en"] == "have you had a good day today?")
        #expect(template.choiceList(named: "yes_or_no")?.choices.map(\.name) == ["yes", "no"])
        let missing = result.diagnostics.filter { $0.rule == .missingSeparaColumn }
        #expect(
            missing.map(\.location) == [
                .sheet(file: "yes_or_no_question.xlsx", sheet: "survey", row: 1),
                .sheet(file: "yes_or_no_question.xlsx", sheet: "survey", row: 1),
            ])
    }

    @Test("header languages become codes: declared codes, known names in any script, bare codes")
    func languageMapping() throws {
        let subdistrict = XLSFormImporter.convert(try Self.read("onadata/subdistrict_profiling_tool"))
        #expect(Set(subdistrict.languages.map(\.code)) == ["en", "ar"])
        #expect(subdistrict.template?.languages == ["ar", "en"])  // default_language Arabic comes first
        #expect(
            subdistrict.languages.contains(
                XLSFormImporter.LanguageMapping(header: "العربية", code: "ar", method: .knownName)))
        #expect(
            subdistrict.languages.contains(
                XLSFormImporter.LanguageMapping(header: "English (EN)", code: "en", method: .declaredCode)))
        let ucl = XLSFormImporter.convert(try Self.read("pyxform/UCL_Biomass_Plot_Form"))
        #expect(Set(ucl.languages.map(\.code)) == ["sw", "en"])
        let upper = XLSFormImporter.convert(try Self.read("pyxform/case_insensitivity"))
        #expect(upper.languages.first == XLSFormImporter.LanguageMapping(header: "EN", code: "en", method: .code))
        let tetun = XLSFormImporter.convert(try Self.read("onadata/form_with_unicode_in_relevant_column"))
        #expect(
            tetun.languages.contains(XLSFormImporter.LanguageMapping(header: "Tetun", code: "tet", method: .knownName)))
    }
}

/// A Separa-authored XLSForm, written by the test, imported into a workspace's templates/.
@Suite("XLSForm import")
struct XLSFormImportTests {
    /// Writes a workbook whose cells are inline strings.
    static func workbook(_ sheets: [(String, [[String]])], to url: URL) throws {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var parts: [(String, String)] = []
        var sheetList = ""
        var relations = ""
        for (index, (name, rows)) in sheets.enumerated() {
            sheetList += "<sheet name=\"\(escape(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
            relations +=
                "<Relationship Id=\"rId\(index + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
            var xml =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            for (r, row) in rows.enumerated() {
                xml += "<row r=\"\(r + 1)\">"
                for (c, cell) in row.enumerated() where !cell.isEmpty {
                    let column = String(UnicodeScalar(UInt8(65 + c)))
                    xml += "<c r=\"\(column)\(r + 1)\" t=\"inlineStr\"><is><t>\(escape(cell))</t></is></c>"
                }
                xml += "</row>"
            }
            parts.append(("xl/worksheets/sheet\(index + 1).xml", xml + "</sheetData></worksheet>"))
        }
        parts.append(
            (
                "xl/workbook.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>\(sheetList)</sheets></workbook>"
            ))
        parts.append(
            (
                "xl/_rels/workbook.xml.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(relations)</Relationships>"
            ))
        let archive = try Archive(url: url, accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    static let survey: [[String]] = [
        [
            "type", "name", "label::English (en)", "label::Français (fr)", "sheet", "purpose::English (en)",
            "purpose::Français (fr)", "constraint", "required",
        ],
        [
            "text", "given_name", "Given name", "Prénom", "identity", "To recognise you", "Pour vous reconnaître", "",
            "",
        ],
        ["begin group", "page1", "About you", "Vous", "", "", "", "", ""],
        [
            "date", "visit_date", "Date of the visit", "Date de la visite", "sensitive", "To count who we help",
            "Pour compter les personnes aidées", "", "yes",
        ],
        [
            "select_one sex", "sex", "Sex", "Sexe", "sensitive", "To count who we help",
            "Pour compter les personnes aidées", "", "",
        ],
        [
            "integer", "children", "Children with you", "Enfants avec vous", "sensitive", "To count who we help",
            "Pour compter les personnes aidées", ". >= 0 and . <= 20", "",
        ],
        ["note", "info", "Thank you", "Merci", "", "", "", "", ""],
        ["end group", "", "", "", "", "", "", "", ""],
    ]
    static let choices: [[String]] = [
        ["list_name", "name", "label::English (en)", "label::Français (fr)"],
        ["sex", "female", "Female", "Femme"],
        ["sex", "male", "Male", "Homme"],
    ]
    static let settings: [[String]] = [
        [
            "form_id", "version", "title::English (en)", "title::Français (fr)", "access::English (en)",
            "access::Français (fr)", "storage::English (en)", "storage::Français (fr)", "retention_months",
        ],
        ["short_intake", "3", "Short intake", "Accueil court", "Staff", "Le personnel", "Locked", "Sous clé", "12"],
    ]

    @Test("a Separa XLSForm becomes templates/<id>.yaml, passes the checker, and keeps its columns' meaning")
    func importsAndPasses() throws {
        let folder = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("form.xlsx")
        try Self.workbook(
            [("survey", Self.survey), ("choices", Self.choices), ("settings", Self.settings)], to: source)
        let templates = folder.appendingPathComponent("templates")
        let outcome = try TemplateImport.importForm(at: source, into: templates, force: false)
        #expect(outcome.checkDiagnostics.isEmpty, "\(outcome.checkDiagnostics.map(\.description))")
        #expect(outcome.destination.lastPathComponent == "short_intake.yaml")
        let template = try TemplateLibrary(folder: templates, displayPrefix: "templates/").template(
            named: "short_intake")
        #expect(template.version == "3")
        #expect(template.languages == ["en", "fr"])
        #expect(template.identity.map(\.name) == ["given_name"])
        #expect(template.sensitivePages.count == 1)
        #expect(template.sensitivePages[0].title["fr"] == "Vous")
        #expect(template.sensitiveFields.map(\.name) == ["visit_date", "sex", "children", "info"])
        #expect(template.field(named: "children")?.kind == .integer(min: 0, max: 20))
        #expect(template.settings.retentionMonths == 12)
        // one purpose, said once
        #expect(template.field(named: "sex")?.purpose == template.field(named: "children")?.purpose)
        #expect(template.purposes.count == 2)
        // A second import refuses to overwrite; --force replaces.
        #expect(throws: TemplateError.self) { try TemplateImport.importForm(at: source, into: templates, force: false) }
        _ = try TemplateImport.importForm(at: source, into: templates, force: true)
    }

    @Test("a phone question on the sensitive sheet is imported, then refused by the checker at its YAML line")
    func phoneOnSensitiveSheet() throws {
        let folder = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("form.xlsx")
        var survey = Self.survey
        survey.insert(
            [
                "integer", "phone_number", "Phone number", "Numéro de téléphone", "sensitive", "To call",
                "Pour appeler", "", "",
            ], at: 4)
        try Self.workbook([("survey", survey), ("choices", Self.choices), ("settings", Self.settings)], to: source)
        let outcome = try TemplateImport.importForm(at: source, into: folder, force: false)
        let error = try #require(outcome.checkDiagnostics.first { $0.rule == .identityOnSensitiveSheet })
        guard case .yaml(let file, let line)? = error.location else {
            Issue.record("no YAML line")
            return
        }
        #expect(file == "templates/short_intake.yaml")
        let yaml = try String(contentsOf: outcome.destination, encoding: .utf8).components(separatedBy: "\n")
        #expect(yaml[line - 1].contains("phone_number"))
    }

    @Test("an unsupported feature stops the import at its sheet and row, and nothing is written")
    func refusedImportWritesNothing() throws {
        let folder = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("form.xlsx")
        var survey = Self.survey
        survey.append(["geopoint", "where", "Where", "Où", "sensitive", "x", "x", "", ""])
        try Self.workbook([("survey", survey), ("choices", Self.choices), ("settings", Self.settings)], to: source)
        let templates = folder.appendingPathComponent("templates")
        let result = Result { try TemplateImport.importForm(at: source, into: templates, force: false) }
        guard case .failure(let failure) = result, case .unreadable(_, let diagnostics) = failure as? TemplateError
        else {
            Issue.record("the form was imported")
            return
        }
        let error = try #require(diagnostics.first { $0.rule == .unsupportedFeature })
        #expect(error.location == .sheet(file: "form.xlsx", sheet: "survey", row: 9))
        #expect(
            error.description.contains("[row : 9] On the 'survey' sheet, type 'geopoint': locations are not supported"))
        #expect(!FileManager.default.fileExists(atPath: templates.appendingPathComponent("short_intake.yaml").path))
    }
}
