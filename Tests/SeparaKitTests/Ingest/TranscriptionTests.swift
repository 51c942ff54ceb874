import Foundation
import Testing

@testable import SeparaKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Test helpers shared by the transcription and double-entry tests.
enum TranscriptionFixtures {
    static func shipped(_ name: String) throws -> Template {
        let file = try #require(ShippedTemplates.files.first { $0.fileName == "\(name).yaml" })
        let (template, diagnostics) = TemplateYAML.decode(file.contents, file: "templates/\(file.fileName)")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        return try #require(template)
    }

    /// Every shipped template and each of its languages.
    static let shippedLanguages: [(String, String)] = ["intake", "visit"].flatMap { name in
        ["en", "fr", "es", "ar"].map { (name, $0) }
    }

    /// A template with the kinds the shipped ones lack: integer, decimal, a second date in another format,
    /// and free text with a maximum length.
    static let clinicYAML = """
        id: clinic
        version: 1
        languages: [en, fr]
        title: {en: "Clinic", fr: "Clinique"}
        purposes:
          care: {en: "To care for you", fr: "Pour vous soigner"}
        identity: []
        sensitive:
          - fields:
              - name: visit_date
                type: date
                format: DD/MM/YYYY
                label: {en: "Date of the visit", fr: "Date de la visite"}
                required: true
                purpose: care
              - name: household
                type: integer
                min: 1
                max: 20
                label: {en: "People in the household", fr: "Personnes dans le foyer"}
                purpose: care
              - name: temperature
                type: decimal
                min: 34.5
                max: 43
                label: {en: "Temperature", fr: "Température"}
                purpose: care
              - name: nights
                type: integer
                min: 0
                label: {en: "Nights on the road", fr: "Nuits en route"}
                purpose: care
              - name: arrival
                type: date
                format: YYYY-MM-DD
                label: {en: "Arrival", fr: "Arrivée"}
                purpose: care
              - name: age
                type: age
                label: {en: "Age", fr: "Âge"}
                purpose: care
              - name: remark
                type: text
                maxLength: 40
                allowFreeText: true
                label: {en: "Remark", fr: "Remarque"}
                purpose: care
              - name: change
                type: integer
                label: {en: "Change since last visit", fr: "Changement depuis la dernière visite"}
                purpose: care
        """

    static func clinic() throws -> Template {
        let (template, diagnostics) = TemplateYAML.decode(clinicYAML, file: "clinic.yaml")
        #expect(diagnostics.errors.isEmpty, "\(diagnostics.map(\.description))")
        return try #require(template)
    }

    /// A workspace in a temporary folder, with the shipped templates.
    static func workspace(languages: [String] = ["en", "fr", "es", "ar"]) throws -> Workspace {
        let root = TestPaths.temporaryDirectory("separa-transcription").appendingPathComponent("ws")
        return try Workspace.create(
            at: root,
            config: WorkspaceConfig(
                site: .init(name: "Test", prefix: "TEST"), languages: languages,
                controller: .init(name: "Test NS", contact: "desk@example.org")))
    }
}

@Suite("Transcription sheet: header, CSV and language")
struct TranscriptionSheetTests {
    @Test(
        "the header of every language of both shipped templates maps back onto every column",
        arguments: TranscriptionFixtures.shippedLanguages)
    func headerRoundTrips(name: String, language: String) throws {
        let template = try TranscriptionFixtures.shipped(name)
        let header = TranscriptionSheet.header(template: template, language: language)
        let mapping = try HeaderMapping.map(header, template: template, file: "sheet.csv")
        #expect(mapping.columns == template.transcriptionColumns.map { Optional($0) })
        #expect(mapping.rejectsPrefix == 0)
        #expect(mapping.combinedSelects.isEmpty)
        // A person reads labels, not field names.
        #expect(header[1].contains("DD/MM/YYYY"))
        #expect(!header.contains("visit_date"))
    }

    @Test("the CSV file is a BOM, the header and one CRLF, and reads back through the CSV reader and the mapping")
    func csvBytes() throws {
        let template = try TranscriptionFixtures.shipped("intake")
        let bytes = TranscriptionSheet.csv(template: template, language: "fr")
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(Array(bytes.suffix(2)) == [0x0D, 0x0A])
        #expect(bytes.filter { $0 == 0x0A }.count == 1)
        let folder = TestPaths.temporaryDirectory()
        let url = folder.appendingPathComponent("sheet.csv")
        try Data(bytes).write(to: url)
        let reader = try CSVReader(url: url)
        let header = try #require(try reader.next())
        #expect(try reader.next() == nil)
        #expect(reader.hasByteOrderMark)
        #expect(reader.separator == .comma)
        #expect(header.fields == TranscriptionSheet.header(template: template, language: "fr"))
        #expect(header.fields.first == "Code du dossier")
        #expect(header.fields.contains("Sexe"))
        _ = try HeaderMapping.map(header.fields, template: template, file: "sheet.csv")
    }

    @Test("the default language is the workspace's first language that the template has")
    func defaultLanguage() throws {
        let template = try TranscriptionFixtures.shipped("visit")
        #expect(
            try TranscriptionSheet.language(requested: nil, template: template, workspaceLanguages: ["de", "es"])
                == "es")
        #expect(try TranscriptionSheet.language(requested: nil, template: template, workspaceLanguages: ["de"]) == "en")
        #expect(
            try TranscriptionSheet.language(requested: "ar", template: template, workspaceLanguages: ["en"]) == "ar")
        #expect(throws: TranscriptionError.self) {
            try TranscriptionSheet.language(requested: "de", template: template, workspaceLanguages: ["en"])
        }
    }

    @Test(
        "written into output/, private, and never over an existing sheet unless asked",
        arguments: TranscriptionSheet.Format.allCases)
    func writeRefusesToReplace(format: TranscriptionSheet.Format) throws {
        let workspace = try TranscriptionFixtures.workspace(languages: ["fr", "en"])
        let template = try TranscriptionFixtures.shipped("intake")
        let written = try TranscriptionSheet.write(
            workspace: workspace, template: template, options: .init(format: format))
        #expect(written.url.lastPathComponent == "intake-transcription.\(format.rawValue)")
        #expect(written.url.deletingLastPathComponent().standardizedFileURL == workspace.outputURL.standardizedFileURL)
        #expect(written.language == "fr")
        #expect(written.columns == template.transcriptionColumns.count)
        let attributes = try FileManager.default.attributesOfItem(atPath: written.url.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        // A clerk's typing in the sheet is never replaced by accident.
        try Data("typed rows".utf8).write(to: written.url)
        #expect(throws: TranscriptionError.fileExists(path: written.url.path)) {
            try TranscriptionSheet.write(workspace: workspace, template: template, options: .init(format: format))
        }
        #expect(try Data(contentsOf: written.url) == Data("typed rows".utf8))
        _ = try TranscriptionSheet.write(
            workspace: workspace, template: template, options: .init(format: format, overwrite: true))
        #expect(try Data(contentsOf: written.url) != Data("typed rows".utf8))
        // No temporary file is left beside it.
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.outputURL.path)
        #expect(names == [written.url.lastPathComponent])
    }
}

@Suite("Transcription workbook (.xlsx)")
struct TranscriptionWorkbookTests {
    /// The parts of the workbook as XML text, unzipped by the project's own reader's library.
    static func sheetXML(_ template: Template, _ language: String) -> String {
        TranscriptionWorkbook.Plan(template: template, language: language).sheetXML(rows: [])
    }

    /// The attributes and formulas of every `<dataValidation>` of a sheet, parsed as XML.
    final class Validations: NSObject, XMLParserDelegate {
        struct Validation {
            var attributes: [String: String]
            var formulas: [String] = []
        }
        var items: [Validation] = []
        var text: String?

        static func parse(_ xml: String) throws -> [Validation] {
            let collector = Validations()
            let parser = XMLParser(data: Data(xml.utf8))
            parser.delegate = collector
            #expect(parser.parse(), "the sheet XML is not well-formed")
            return collector.items
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            if elementName == "dataValidation" { items.append(Validation(attributes: attributeDict)) }
            if elementName.hasPrefix("formula") { text = "" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            if elementName.hasPrefix("formula"), let text { items[items.count - 1].formulas.append(text) }
            if elementName.hasPrefix("formula") { text = nil }
        }
    }

    @Test(
        "the project's own XLSX reader finds the header row and the labels of the hidden lists sheet",
        arguments: TranscriptionFixtures.shippedLanguages)
    func readsBackWithXLSXWorkbook(name: String, language: String) throws {
        let template = try TranscriptionFixtures.shipped(name)
        let data = try TranscriptionWorkbook.data(template: template, language: language)
        let workbook = try XLSXWorkbook(data: data)
        #expect(workbook.sheets.map(\.name) == ["transcription", "lists"])
        let sheet = try #require(workbook.sheet(named: "transcription"))
        #expect(sheet.rows.count == 1)
        let header = TranscriptionSheet.header(template: template, language: language)
        let row = try #require(sheet.rows.first)
        #expect(row.number == 1)
        #expect((0..<header.count).map { row[$0] } == header)
        _ = try HeaderMapping.map(header, template: template, file: "sheet.xlsx")
        if name == "intake" {
            let lists = try #require(workbook.sheet(named: "lists"))
            let sexLabels = try #require(template.choiceList(named: "sex")).choices.map { $0.label[language] }
            #expect(lists.rows.prefix(sexLabels.count).map { $0[0] } == sexLabels)
        }
    }

    @Test("intake: every column has the check a clerk needs, on rows 2 to 5000")
    func intakeValidations() throws {
        let template = try TranscriptionFixtures.shipped("intake")
        let columns = template.transcriptionColumns
        let validations = try Validations.parse(Self.sheetXML(template, "en"))
        #expect(validations.count == columns.count)
        func validation(_ name: String) throws -> Validations.Validation {
            let index = try #require(columns.firstIndex { $0.name == name })
            let letter = TranscriptionWorkbook.columnLetter(index)
            return try #require(validations.first { $0.attributes["sqref"] == "\(letter)2:\(letter)5000" })
        }
        let sex = try validation("sex")
        #expect(sex.attributes["type"] == "list")
        #expect(sex.formulas == ["separa_list_1"])
        #expect(sex.attributes["errorStyle"] == "stop")
        #expect(sex.attributes["allowBlank"] == "1")
        let child = try validation("unaccompanied_child")
        #expect(child.attributes["type"] == "list")
        let tick = try validation("needs/food")
        #expect(tick.attributes["type"] == "list")
        #expect(tick.formulas == ["\"1,0\""])
        let visit = try validation("visit_date")
        #expect(visit.attributes["type"] == "custom")
        #expect(visit.formulas.first?.contains("DATE(") == true)
        #expect(visit.attributes["error"] == "A date written DD/MM/YYYY, for example 05/03/2024.")
        let age = try validation("age")
        #expect(age.attributes["type"] == "custom")
        #expect(age.formulas.first?.contains("\"60+\"") == true)
        let code = try validation("code")
        #expect(code.attributes["type"] == "none")
        #expect(code.attributes["prompt"] == "Copy the case code from the sheet.")

        // The workbook defines each dropdown's list on the hidden sheet.
        let plan = TranscriptionWorkbook.Plan(template: template, language: "en")
        #expect(plan.workbookXML.contains("<sheet name=\"lists\" sheetId=\"2\" state=\"hidden\""))
        #expect(plan.workbookXML.contains("<definedName name=\"separa_list_1\">lists!$A$1:$A$3</definedName>"))
        // The same yes/no list serves every yes/no field; the Washington Group questions share one list.
        #expect(plan.lists.count == 4)
    }

    @Test(
        "code, date and age columns are Text, so that what is typed is what the CSV holds; the header is bold and frozen"
    )
    func formats() throws {
        let template = try TranscriptionFixtures.shipped("intake")
        let xml = Self.sheetXML(template, "en")
        let columns = template.transcriptionColumns
        for (index, column) in columns.enumerated() {
            let isText =
                xml.contains("<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=")
                && {
                    let start = xml.range(of: "<col min=\"\(index + 1)\" max=\"\(index + 1)\"")!
                    let end = xml[start.upperBound...].range(of: "/>")!
                    return xml[start.lowerBound..<end.lowerBound].contains("style=\"1\"")
                }()
            switch column {
            case .code: #expect(isText, "code")
            case .choice: #expect(!isText, "\(column.name)")
            case .field(let field):
                switch field.kind {
                case .date, .age, .selectOne, .yesNo: #expect(isText, "\(field.name)")
                default: break
                }
            }
        }
        #expect(xml.contains("state=\"frozen\""))
        #expect(xml.contains("ySplit=\"1\""))
        #expect(TranscriptionWorkbook.styles.contains("<b/>"))
        #expect(TranscriptionWorkbook.styles.contains("numFmtId=\"49\""))
        #expect(xml.contains("<c r=\"A1\" s=\"2\" t=\"inlineStr\">"))
        #expect(!xml.contains("rightToLeft"))
        #expect(Self.sheetXML(template, "ar").contains("rightToLeft=\"1\""))
    }

    @Test("integer and decimal ranges, a second date format and a text length, in the sheet's language")
    func otherKinds() throws {
        let template = try TranscriptionFixtures.clinic()
        let validations = try Validations.parse(Self.sheetXML(template, "fr"))
        let byColumn = Dictionary(uniqueKeysWithValues: validations.map { ($0.attributes["sqref"]!.prefix(1), $0) })
        // code, visit_date, household, temperature, nights, arrival, age, remark
        let household = try #require(byColumn["C"])
        #expect(household.attributes["type"] == "whole")
        #expect(household.attributes["operator"] == "between")
        #expect(household.formulas == ["1", "20"])
        #expect(household.attributes["error"] == "Un nombre entier de 1 à 20.")
        let temperature = try #require(byColumn["D"])
        #expect(temperature.attributes["type"] == "decimal")
        #expect(temperature.formulas == ["34.5", "43"])
        let nights = try #require(byColumn["E"])
        #expect(nights.attributes["operator"] == "greaterThanOrEqual")
        #expect(nights.formulas == ["0"])
        let arrival = try #require(byColumn["F"])
        #expect(arrival.formulas == [TranscriptionWorkbook.dateFormula(format: .iso, cell: "F2")])
        #expect(arrival.attributes["error"] == "Une date écrite YYYY-MM-DD, par exemple 2024-03-05.")
        let remark = try #require(byColumn["H"])
        #expect(remark.attributes["type"] == "textLength")
        #expect(remark.formulas == ["40"])
    }

    @Test("validation formulas stay within Excel's 255 characters, even in column XFD")
    func formulaLengths() throws {
        for format in ["DD/MM/YYYY", "MM-DD-YYYY", "YYYY-MM-DD", "DD.MM.YYYY"] {
            let formula = TranscriptionWorkbook.dateFormula(format: try DateFormat(pattern: format), cell: "XFD2")
            #expect(formula.count <= 255, "\(format): \(formula.count)")
        }
        #expect(TranscriptionWorkbook.ageFormula(cell: "XFD2").count <= 255)
        #expect(
            TranscriptionWorkbook.dateFormula(format: .dayMonthYear, cell: "B2")
                == "AND(LEN(B2)=10,MID(B2,3,1)=\"/\",MID(B2,6,1)=\"/\",--MID(B2,7,4)>999,"
                + "DAY(DATE(--MID(B2,7,4),--MID(B2,4,2),--MID(B2,1,2)))=--MID(B2,1,2),"
                + "MONTH(DATE(--MID(B2,7,4),--MID(B2,4,2),--MID(B2,1,2)))=--MID(B2,4,2))")
    }

    @Test("column letters follow Excel: A, Z, AA, AZ, BA, ZZ, AAA, XFD")
    func columnLetters() {
        let cases = [
            (0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD"),
        ]
        for (index, letters) in cases { #expect(TranscriptionWorkbook.columnLetter(index) == letters) }
    }

    @Test("labels with XML's special characters are escaped, and the same template gives the same bytes")
    func escapingAndDeterminism() throws {
        var template = try TranscriptionFixtures.clinic()
        template.sensitivePages[0].fields[1].label = ["en": "Household <size> & \"people\"", "fr": "Foyer"]
        let xml = Self.sheetXML(template, "en")
        #expect(xml.contains("Household &lt;size&gt; &amp; &quot;people&quot;"))
        _ = try Validations.parse(xml)
        let data = try TranscriptionWorkbook.data(template: template, language: "en")
        #expect(try TranscriptionWorkbook.data(template: template, language: "en") == data)
        let sheet = try #require(try XLSXWorkbook(data: data).sheet(named: "transcription"))
        #expect(sheet.rows.first?[2] == "Household <size> & \"people\"")
    }
}
