import Foundation
import Testing

@testable import SeparaKit

@Suite("Double entry: two transcriptions compared")
struct DoubleEntryTests {
    static let randomLength = 11

    /// A valid code whose random symbols are all `symbol` (value 0–28).
    static func code(_ symbol: UInt8) -> CaseCode {
        CaseCode(randomValues: [UInt8](repeating: symbol, count: randomLength))
    }

    /// Writes `rows` as CSV (comma, CRLF, quoted where needed).
    static func file(_ folder: URL, _ name: String, _ rows: [[String]]) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(rows.map { CSVWriter().line($0) }.joined().utf8).write(to: url)
        return url
    }

    static let header = [
        "code", "visit_date", "sex", "age", "nationality", "unaccompanied_child", "needs/food", "needs/water",
    ]
    /// The same columns headed in French labels, in another order: sex first.
    static func frenchHeader() throws -> [String] {
        let template = try TranscriptionFixtures.shipped("intake")
        let names = ["sex"] + header.filter { $0 != "sex" }
        return try names.map { name in
            try #require(template.transcriptionColumns.first { $0.name == name }).header(
                language: "fr", template: template)
        }
    }

    static func compare(
        _ first: [[String]], _ second: [[String]], template: Template? = nil, options: DoubleEntry.Options = .init()
    ) throws -> (DoubleEntry.Report, URL) {
        let folder = TestPaths.temporaryDirectory("separa-double")
        let a = try file(folder, "first.csv", first)
        let b = try file(folder, "second.csv", second)
        let report = try DoubleEntry.compare(
            template: try template ?? TranscriptionFixtures.shipped("intake"), first: a, second: b,
            randomLength: randomLength, options: options)
        return (report, folder)
    }

    @Test("spellings that ingest stores alike agree: labels in another language, case, ticks, dates, codes")
    func normalisedValuesAgree() throws {
        let template = try TranscriptionFixtures.shipped("intake")
        // The French header is what 'separa transcription intake --language fr' writes.
        let french = TranscriptionSheet.header(template: template, language: "fr")
        let frenchColumns = try HeaderMapping.map(french, template: template, file: "x").columns
        let index = { (name: String) in frenchColumns.firstIndex { $0?.name == name }! }
        let c1 = Self.code(1)
        let c2 = Self.code(2)
        let first = [
            Self.header,
            [c1.display, "05/03/2024", "Female", "34", "syr", "No", "1", "0"],
            [c2.display, "06/03/2024", "male", "5-11", "Eritrea", "yes", "", "x"],
        ]
        var row1 = [String](repeating: "", count: french.count)
        row1[index("code")] = c1.canonical.lowercased()
        row1[index("visit_date")] = "5/3/2024"
        row1[index("sex")] = "femme"
        row1[index("age")] = "34.0"
        row1[index("nationality")] = "Syrie"
        row1[index("unaccompanied_child")] = "non"
        row1[index("needs/food")] = "x"
        var row2 = [String](repeating: "", count: french.count)
        row2[index("code")] = " " + c2.display + " "
        row2[index("visit_date")] = "2024-03-06"
        row2[index("sex")] = "Homme"
        row2[index("age")] = "5 - 11"
        row2[index("nationality")] = "ERI"
        row2[index("unaccompanied_child")] = "Oui"
        row2[index("needs/water")] = "1"
        let (report, _) = try Self.compare(first, [french, row2, row1])
        #expect(report.agreesCompletely, "\(report.differing.map(\.differences))")
        #expect(report.pairs.map(\.firstLine) == [2, 3])
        #expect(report.pairs.map(\.secondLine) == [3, 2])
        #expect(report.agreed.count == 2)
        #expect(report.firstRows == 2 && report.secondRows == 2)
    }

    @Test("differences, rows only on one side, duplicate keys and unreadable rows are all reported")
    func everyFindingIsReported() throws {
        let codes = (1...8).map { Self.code(UInt8($0)) }
        // A code with a wrong check symbol: the next symbol of the alphabet in its place.
        var symbols = Array(codes[7].display)
        let alphabet = Array(CodeAlphabet.symbols)
        symbols[symbols.count - 1] = alphabet[(alphabet.firstIndex(of: symbols.last!)! + 1) % alphabet.count]
        let badCode = String(symbols)
        let first = [
            Self.header,
            [codes[0].display, "05/03/2024", "Female", "34", "syr", "No", "1", "0"],  // 2: agrees
            [codes[1].display, "05/03/2024", "Female", "34", "syr", "No", "1", "0"],  // 3: sex and water differ
            [codes[2].display, "05/03/2024", "Male", "20", "eri", "No", "", ""],  // 4: only in first
            [codes[3].display, "05/03/2024", "Male", "abc", "eri", "No", "", ""],  // 5: unreadable age
            [codes[4].display, "05/03/2024", "Male", "20", "eri", "No", "", ""],  // 6: duplicate in second
            [codes[5].display, "07/03/2024", "Male", "20", "eri", "No", "", ""],  // 7: other visit date
            [badCode, "05/03/2024", "Male", "20", "eri", "No", "", ""],  // 8: bad check symbol
        ]
        let second = [
            Self.header,
            [codes[0].display, "05/03/2024", "female", "34", "SYR", "no", "1", ""],
            [codes[1].display, "05/03/2024", "Male", "34", "syr", "No", "1", "1"],
            [codes[3].display, "05/03/2024", "Male", "20", "eri", "No", "", ""],
            [codes[4].display, "05/03/2024", "Male", "20", "eri", "No", "", ""],
            [codes[4].display, "5/3/2024", "Male", "21", "eri", "No", "", ""],
            [codes[5].display, "08/03/2024", "Male", "20", "eri", "No", "", ""],
            [codes[6].display, "05/03/2024", "Male", "20", "eri", "No", "", ""],
            [codes[7].display, "05/03/2024", "Male", "20", "eri", "", "", ""],  // 9: required field empty
        ]
        let (report, _) = try Self.compare(first, second)
        #expect(!report.agreesCompletely)
        #expect(report.agreed.map(\.firstLine) == [2])
        let differing = try #require(report.differing.first)
        #expect(report.differing.count == 1)
        #expect(differing.key.code == codes[1])
        #expect(differing.key.visitDate == "2024-03-05")
        #expect((differing.firstLine, differing.secondLine) == (3, 3))
        // The cells as typed, for the clerk with the paper.
        #expect(
            differing.differences == [
                .init(column: "sex", first: "Female", second: "Male"),
                .init(column: "needs/water", first: "0", second: "1"),
            ])
        #expect(
            Set(report.unmatched.map { "\($0.side):\($0.line)" }) == ["first:4", "first:7", "second:7", "second:8"])
        #expect(
            report.duplicates == [
                .init(key: .init(code: codes[4], visitDate: "2024-03-05"), firstLines: [6], secondLines: [5, 6])
            ])
        let unreadable = report.unreadable.map { "\($0.side):\($0.line):\($0.columnName ?? "-"):\($0.otherLine ?? 0)" }
        #expect(Set(unreadable) == ["first:5:age:4", "first:8:code:0", "second:9:unaccompanied_child:0"])
        let age = try #require(report.unreadable.first { $0.columnName == "age" })
        #expect(age.reason == RowProblem.badAge.description)
        #expect(age.column == 4)
        let code = try #require(report.unreadable.first { $0.columnName == "code" })
        #expect(code.reason.contains("check symbol"))
        // No reason repeats a value.
        for row in report.unreadable { #expect(!row.reason.contains("abc") && !row.reason.contains(badCode)) }
    }

    @Test("a readable and an unreadable row with the same key are a duplicate, and neither is agreed")
    func unreadableRowCountsAsDuplicate() throws {
        let c1 = Self.code(1)
        let row = [c1.display, "05/03/2024", "Female", "34", "syr", "No", "1", "0"]
        var broken = row
        broken[3] = "abc"
        let (report, _) = try Self.compare([Self.header, row, broken], [Self.header, row])
        #expect(report.pairs.isEmpty)
        #expect(
            report.duplicates == [
                .init(key: .init(code: c1, visitDate: "2024-03-05"), firstLines: [2, 3], secondLines: [2])
            ])
        #expect(report.unreadable.map(\.line) == [3])
        #expect(!report.agreesCompletely)
    }

    @Test("the agreed file holds the first file's header and cells of the agreed rows only, ready for ingest")
    func agreedFile() throws {
        let c1 = Self.code(1)
        let c2 = Self.code(2)
        let c3 = Self.code(3)
        let first = [
            Self.header,
            [c1.display, "05/03/2024", "Female", "34", "syr", "No", "1", "0"],
            [c2.display, "05/03/2024", "Female", "34", "syr", "No", "1", "0"],
            [c3.display, "05/03/2024", "Male", "60+", "afg", "Yes", "", "1"],
            [String](repeating: "", count: 8),  // a blank row a spreadsheet left behind
        ]
        let second = [
            try Self.frenchHeader(),
            ["Femme", c1.display, "05/03/2024", "34", "Syrie", "Non", "1", "0"],
            ["Homme", c2.display, "05/03/2024", "34", "Syrie", "Non", "1", "0"],
            ["Homme", c3.canonical, "05/03/2024", "60+", "Afghanistan", "Oui", "0", "1"],
        ]
        let folder = TestPaths.temporaryDirectory("separa-double")
        let agreed = folder.appendingPathComponent("agreed.csv")
        let (report, _) = try Self.compare(first, second, options: .init(agreedURL: agreed))
        #expect(report.blankRows == 1)
        #expect(report.agreedURL == agreed)
        #expect(report.agreed.map(\.firstLine) == [2, 4])
        let reader = try CSVReader(url: agreed)
        #expect(reader.hasByteOrderMark)
        var records: [[String]] = []
        while let record = try reader.next() { records.append(record.fields) }
        #expect(records == [first[0], first[1], first[3]])
        let attributes = try FileManager.default.attributesOfItem(atPath: agreed.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // Read as ingest reads it: every row passes.
        let template = try TranscriptionFixtures.shipped("intake")
        let mapping = try HeaderMapping.map(records[0], template: template, file: "agreed.csv")
        var parser = RowParser(template: template, mapping: mapping, options: .init(), file: "agreed.csv")
        for (offset, cells) in records.dropFirst().enumerated() {
            let row = parser.parse(CSVRecord(fields: cells, line: offset + 2, endLine: offset + 2, raw: ""))
            #expect(row.problem == nil)
        }
    }

    @Test("the report CSV lists every finding, and a value a spreadsheet would run as a formula is neutralised")
    func reportCSV() throws {
        let template = try TranscriptionFixtures.clinic()
        let header = ["code", "visit_date", "change"]
        let c1 = Self.code(1)
        let c2 = Self.code(2)
        let first = [header, [c1.display, "05/03/2024", "-3"], [c2.display, "05/03/2024", "2"]]
        let second = [header, [c1.display, "05/03/2024", "-4"]]
        let folder = TestPaths.temporaryDirectory("separa-double")
        let reportURL = folder.appendingPathComponent("report.csv")
        let (report, _) = try Self.compare(first, second, template: template, options: .init(reportURL: reportURL))
        #expect(report.reportURL == reportURL)
        let bytes = try Data(contentsOf: reportURL)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let reader = try CSVReader(url: reportURL)
        var records: [[String]] = []
        while let record = try reader.next() { records.append(record.fields) }
        #expect(
            records == [
                [
                    "finding", "code", "visit_date", "first_line", "second_line", "column", "first_value",
                    "second_value", "reason",
                ],
                ["differs", c1.display, "05/03/2024", "2", "2", "change", "'-3", "'-4", ""],
                ["only_in_first", c2.display, "05/03/2024", "3", "", "", "", "", ""],
            ])
    }

    @Test("a file refused as a whole stops the comparison, naming the file")
    func refusedFiles() throws {
        let c1 = Self.code(1)
        let good = [Self.header, [c1.display, "05/03/2024", "Female", "34", "syr", "No", "1", "0"]]
        let unknownColumn = [
            Self.header + ["notes"], [c1.display, "05/03/2024", "Female", "34", "syr", "No", "1", "0", "x"],
        ]
        #expect(throws: SheetError.unknownColumn(file: "second.csv", column: 9)) {
            try Self.compare(good, unknownColumn)
        }
        let missing = [Array(Self.header.dropLast(4)), [c1.display, "05/03/2024", "Female", "34"]]
        #expect(throws: SheetError.missingColumn(file: "first.csv", name: "nationality")) {
            try Self.compare(missing, good)
        }
        let folder = TestPaths.temporaryDirectory("separa-double")
        let a = try Self.file(folder, "a.csv", good)
        #expect(throws: SheetError.sameFileTwice(file: "a.csv")) {
            try DoubleEntry.compare(
                template: try TranscriptionFixtures.shipped("intake"), first: a,
                second: folder.appendingPathComponent("./a.csv"), randomLength: Self.randomLength)
        }
    }

    @Test("a rejects file may be compared: its leading rejects columns are skipped and not written to the agreed file")
    func rejectsFileAsFirst() throws {
        let c1 = Self.code(1)
        let row = [c1.display, "05/03/2024", "Female", "34", "syr", "No", "1", "0"]
        let first = [HeaderMapping.rejectsColumns + Self.header, ["2", "age", "not an age"] + row]
        let second = [Self.header, row]
        let folder = TestPaths.temporaryDirectory("separa-double")
        let agreed = folder.appendingPathComponent("agreed.csv")
        let (report, _) = try Self.compare(first, second, options: .init(agreedURL: agreed))
        #expect(report.agreesCompletely)
        let bytes = try Data(contentsOf: agreed)
        #expect(bytes == Data(("\u{FEFF}" + CSVWriter().line(Self.header) + CSVWriter().line(row)).utf8))
    }
}
