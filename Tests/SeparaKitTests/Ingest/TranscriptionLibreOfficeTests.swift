import Foundation
import Testing

@testable import SeparaKit

/// LibreOffice Calc, found on the machine; the tests that need it are skipped visibly without it (it is a
/// large install, so the suite never requires it: `apt-get install libreoffice-calc python3-uno`).
enum LibreOffice {
    static let soffice: String? = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/opt/libreoffice/program/soffice"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Debian's python3 with the UNO bridge, for typing into a sheet.
    static let pythonWithUNO: String? = {
        let python = "/usr/bin/python3"
        guard soffice != nil, FileManager.default.isExecutableFile(atPath: python),
            let result = try? run(python, ["-c", "import uno"]), result.status == 0
        else { return nil }
        return python
    }()

    static var isAvailable: Bool { soffice != nil }
    static var canType: Bool { pythonWithUNO != nil }
    static let missing: Comment = "SKIPPED: LibreOffice (soffice) is not installed; apt-get install libreoffice-calc"
    static let missingUNO: Comment =
        "SKIPPED: LibreOffice or python3-uno is not installed; apt-get install libreoffice-calc python3-uno"

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// `soffice --headless --convert-to FILTER` of `files` into `folder`, with a profile of its own.
    static func convert(_ files: [URL], to filter: String, into folder: URL) throws -> Run {
        let profile = TestPaths.temporaryDirectory("separa-lo-profile")
        defer { try? FileManager.default.removeItem(at: profile) }
        return try run(
            soffice!,
            [
                "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore", "--convert-to", filter,
                "--outdir", folder.path,
            ] + files.map(\.path))
    }

    static func records(_ url: URL) throws -> [[String]] {
        let reader = try CSVReader(url: url)
        var records: [[String]] = []
        while let record = try reader.next() { records.append(record.fields) }
        return records
    }
}

@Suite("Transcription workbook in LibreOffice Calc (needs soffice; skipped without it)", .serialized)
struct TranscriptionLibreOfficeTests {
    static let csvFilter = "csv:Text - txt - csv (StarCalc):44,34,76,1"

    @Test(
        "LibreOffice opens every shipped sheet in every language, and its CSV header maps back onto every column",
        .enabled(if: LibreOffice.isAvailable, LibreOffice.missing))
    func emptySheetsConvert() throws {
        let folder = TestPaths.temporaryDirectory("separa-lo")
        var files: [(URL, Template, String)] = []
        for (name, language) in TranscriptionFixtures.shippedLanguages {
            let template = try TranscriptionFixtures.shipped(name)
            let url = folder.appendingPathComponent("\(name)-\(language).xlsx")
            try TranscriptionWorkbook.data(template: template, language: language).write(to: url)
            files.append((url, template, language))
        }
        let out = folder.appendingPathComponent("csv")
        let run = try LibreOffice.convert(files.map(\.0), to: Self.csvFilter, into: out)
        #expect(run.status == 0, "\(run.stderr)")
        for (url, template, language) in files {
            let csv = out.appendingPathComponent(url.deletingPathExtension().lastPathComponent + ".csv")
            let records = try LibreOffice.records(csv)
            // Only the data sheet is saved, and only its header: the hidden lists stay in the workbook.
            #expect(records.count == 1, "\(url.lastPathComponent)")
            let header = try #require(records.first)
            #expect(header == TranscriptionSheet.header(template: template, language: language))
            let mapping = try HeaderMapping.map(header, template: template, file: csv.lastPathComponent)
            #expect(mapping.columns == template.transcriptionColumns.map { Optional($0) })
        }
        // A PDF export loads and lays out the whole workbook.
        let pdf = try LibreOffice.convert([files[0].0], to: "pdf", into: out)
        #expect(pdf.status == 0, "\(pdf.stderr)")
        let bytes = try Data(contentsOf: out.appendingPathComponent("intake-en.pdf"))
        #expect(bytes.starts(with: Data("%PDF".utf8)))
    }

    /// Types `rows` into a fresh workbook of `template` through Calc's input line and saves it as CSV.
    static func type(_ rows: [[String]], template: Template, language: String) throws -> (
        invalid: [String], kinds: [String: String], csv: [[String]]
    ) {
        let folder = TestPaths.temporaryDirectory("separa-lo")
        let workbook = folder.appendingPathComponent("sheet.xlsx")
        try TranscriptionWorkbook.data(template: template, language: language).write(to: workbook)
        let rowsURL = folder.appendingPathComponent("rows.json")
        try JSONEncoder().encode(rows).write(to: rowsURL)
        let csv = folder.appendingPathComponent("typed.csv")
        let script = TestPaths.repository.appendingPathComponent("scripts/libreoffice-type-sheet.py")
        let run = try LibreOffice.run(LibreOffice.pythonWithUNO!, [script.path, workbook.path, rowsURL.path, csv.path])
        #expect(run.status == 0, "\(run.stderr)")
        struct Output: Decodable {
            let invalid: [String]
            let kinds: [String: String]
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(run.stdout.utf8))
        return (output.invalid, output.kinds, try LibreOffice.records(csv))
    }

    @Test(
        "typed into LibreOffice like a clerk: typos are marked invalid, and the saved CSV ingests with dates and codes intact",
        .enabled(if: LibreOffice.canType, LibreOffice.missingUNO))
    func typedIntakeIngests() throws {
        let template = try TranscriptionFixtures.shipped("intake")
        let columns = template.transcriptionColumns
        let index = { (name: String) in columns.firstIndex { $0.name == name }! }
        // A code with leading zeros: a spreadsheet would drop them from a number.
        let code = CaseCode(randomValues: [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).display
        func row(_ values: [String: String]) -> [String] {
            var cells = [String](repeating: "", count: columns.count)
            for (name, value) in values { cells[index(name)] = value }
            return cells
        }
        let rows = [
            row([
                "code": code, "visit_date": "05/03/2024", "sex": "Female", "age": "60+", "nationality": "Syria",
                "unaccompanied_child": "No", "needs/food": "1", "needs/water": "0",
            ]),
            row([
                "code": code, "visit_date": "29/02/2024", "sex": "male", "age": "5-11", "nationality": "Eritrea",
                "unaccompanied_child": "Yes", "wg_seeing": "No – no difficulty",
            ]),
            row(["visit_date": "31/02/2024", "sex": "Fem", "age": "121", "needs/food": "2"]),
            row(["visit_date": "5/3/2024", "age": "3.5", "unaccompanied_child": "Maybe"]),
        ]
        let typed = try Self.type(rows, template: template, language: "en")
        let letter = { (name: String) in TranscriptionWorkbook.columnLetter(index(name)) }
        #expect(
            Set(typed.invalid)
                == Set(
                    ["visit_date", "sex", "age", "needs/food"].map { "\(letter($0))4" }
                        + ["visit_date", "age", "unaccompanied_child"].map { "\(letter($0))5" }))
        // Dates, ages and codes stayed text; ticks are numbers.
        #expect(typed.kinds["\(letter("visit_date"))2"] == "TEXT")
        #expect(typed.kinds["\(letter("age"))2"] == "TEXT")
        #expect(typed.kinds["A2"] == "TEXT")
        #expect(typed.kinds["\(letter("needs/food"))2"] == "VALUE")

        let csv = typed.csv
        #expect(csv.count == 5)
        #expect(csv[1][0] == code)
        #expect(csv[1][index("visit_date")] == "05/03/2024")
        #expect(csv[1][index("age")] == "60+")
        #expect(csv[2][index("age")] == "5-11")
        let mapping = try HeaderMapping.map(csv[0], template: template, file: "typed.csv")
        var parser = RowParser(template: template, mapping: mapping, options: .init(), file: "typed.csv")
        func parse(_ line: Int) -> PendingRow {
            parser.parse(CSVRecord(fields: csv[line - 1], line: line, endLine: line, raw: ""))
        }
        let first = parse(2)
        #expect(first.problem == nil)
        #expect(first.visitDate == "2024-03-05")
        #expect(first.json.contains("\"age\":\"60+\""))
        #expect(first.json.contains("\"needs\":[\"food\"]"))
        #expect(first.json.contains("\"sex\":\"female\""))
        let second = parse(3)
        #expect(second.problem == nil)
        #expect(second.visitDate == "2024-02-29")
        #expect(second.json.contains("\"wg_seeing\":\"no_difficulty\""))
        // What the sheet marked, ingest refuses too.
        #expect(parse(4).problem != nil)
        #expect(parse(5).problem != nil)
    }

    @Test(
        "integer and decimal ranges, an ISO date and a text length are checked by LibreOffice as typed",
        .enabled(if: LibreOffice.canType, LibreOffice.missingUNO))
    func typedClinicRanges() throws {
        let template = try TranscriptionFixtures.clinic()
        // code, visit_date, household, temperature, nights, arrival, age, remark, change
        let code = CaseCode(randomValues: [UInt8](repeating: 3, count: 11)).display
        let rows = [
            [code, "05/03/2024", "3", "36.6", "0", "2024-03-01", "34", "short remark", "-3"],
            [code, "06/03/2024", "21", "50", "-1", "01/03/2024", "0-4", String(repeating: "x", count: 41), "2.5"],
        ]
        let typed = try Self.type(rows, template: template, language: "en")
        #expect(typed.invalid == ["C3", "D3", "E3", "F3", "H3", "I3"])
        #expect(typed.csv[1] == rows[0])
    }
}
