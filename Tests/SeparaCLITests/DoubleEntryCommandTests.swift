import Foundation
import Testing

@Suite("separa transcription, compare and ingest (end to end)")
struct DoubleEntryCommandTests {
    /// Issues `count` codes and returns them as printed.
    static func issue(_ count: Int, in root: URL) throws -> [String] {
        let issue = try CLI.run(["codes", "issue", String(count)], in: root)
        #expect(issue.status == 0, "\(issue.stderr)")
        let batch = try #require(issue.stdout.split(separator: "\n").last.map(String.init))
        let list = try String(contentsOf: root.appendingPathComponent("output/codes-\(batch).csv"), encoding: .utf8)
        return list.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[0]) }
    }

    /// The header row of a CSV file written by `separa transcription`, BOM removed, cells split at commas
    /// (the shipped labels hold none… except in quotes, which the visit template's labels do not need).
    static func header(_ url: URL) throws -> String {
        let data = try Data(contentsOf: url)
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        return String(text.dropLast(2))
    }

    /// A row of the visit template: code, date, then the 12 service ticks.
    static func row(_ code: String, _ date: String, ticks: Set<Int>, tick: String = "1") -> String {
        ([code, date] + (0..<12).map { ticks.contains($0) ? tick : "" }).joined(separator: ",")
    }

    @Test("two clerks type the same sheets; compare finds their differences; the agreed rows ingest")
    func doubleEntryRoundTrip() throws {
        let root = try CLI.workspace()
        let codes = try Self.issue(3, in: root)

        // Clerk 1 takes the English sheet, clerk 2 the French one in a file of their own.
        let sheet = try CLI.run(["transcription", "visit"], in: root)
        #expect(sheet.status == 0, "\(sheet.stderr)")
        #expect(sheet.stdout.contains("output/visit-transcription.csv: 14 columns, headed in 'en'"))
        let english = try Self.header(root.appendingPathComponent("output/visit-transcription.csv"))
        #expect(english.hasPrefix("Case code,Date of the visit (DD/MM/YYYY),Services provided today: First aid (1/0)"))
        let french = try CLI.run(["transcription", "visit", "--language", "fr", "--output", "second.csv"], in: root)
        #expect(french.status == 0, "\(french.stderr)")
        let frenchHeader = try Self.header(root.appendingPathComponent("second.csv"))
        #expect(frenchHeader.hasPrefix("Code du dossier,Date de la visite (DD/MM/YYYY)"))

        let first = [
            english,
            Self.row(codes[0], "05/03/2024", ticks: [0, 2]),
            Self.row(codes[1], "05/03/2024", ticks: [1]),
            Self.row(codes[2], "06/03/2024", ticks: [7]),
        ]
        // Clerk 2 writes codes in lower case without hyphens, x for a tick, dates without leading zeros,
        // ticks the wrong box on one sheet and forgets another.
        let second = [
            frenchHeader,
            Self.row(
                codes[0].replacingOccurrences(of: "-", with: "").lowercased(), "5/3/2024", ticks: [0, 2], tick: "x"),
            Self.row(codes[1], "05/03/2024", ticks: [2]),
        ]
        try Data((first.joined(separator: "\r\n") + "\r\n").utf8).write(to: root.appendingPathComponent("first.csv"))
        try Data(("\u{FEFF}" + second.joined(separator: "\r\n") + "\r\n").utf8).write(
            to: root.appendingPathComponent("second.csv"))

        let compare = try CLI.run(
            ["compare", "visit", "first.csv", "second.csv", "--agreed", "agreed.csv", "--report", "report.csv"],
            in: root)
        #expect(compare.status == 2, "\(compare.stderr)")
        let out = compare.stdout
        #expect(out.contains("first.csv: 3 rows; second.csv: 2 rows"))
        #expect(out.contains("matched 2: 1 agree, 1 differ; only in first.csv: 1, only in second.csv: 0"))
        #expect(out.contains("\(codes[1]) 05/03/2024  (first.csv:3, second.csv:3)"))
        #expect(out.contains("services_provided/health_referral: \"1\" | (empty)"))
        #expect(out.contains("services_provided/food_water: (empty) | \"1\""))
        #expect(out.contains("first.csv:4: \(codes[2]) 06/03/2024"))
        #expect(out.contains("Agreed rows: agreed.csv (1 rows"))
        let report = try String(contentsOf: root.appendingPathComponent("report.csv"), encoding: .utf8)
        #expect(report.contains("differs,\(codes[1]),05/03/2024,3,3,services_provided/health_referral,1,,"))
        #expect(report.contains("only_in_first,\(codes[2]),06/03/2024,4,,"))

        // The agreed file holds the one agreed row and ingests cleanly.
        let ingest = try CLI.run(["ingest", "visit", "agreed.csv"], in: root)
        #expect(ingest.status == 0, "\(ingest.stdout)\(ingest.stderr)")
        #expect(ingest.stdout.contains("read 1, stored 1, already present 0, rejected 0"))

        // Corrected against the paper, the files agree: exit 0, and ingest stores the rest.
        let corrected = [
            frenchHeader,
            Self.row(codes[0], "05/03/2024", ticks: [0, 2]),
            Self.row(codes[1], "05/03/2024", ticks: [1]),
            Self.row(codes[2], "06/03/2024", ticks: [7]),
        ]
        try Data((corrected.joined(separator: "\r\n") + "\r\n").utf8).write(
            to: root.appendingPathComponent("second.csv"))
        let again = try CLI.run(["compare", "visit", "first.csv", "second.csv", "--agreed", "agreed.csv"], in: root)
        #expect(again.status == 0, "\(again.stdout)")
        #expect(again.stdout.contains("The two files agree on all 3 rows."))
        let rest = try CLI.run(["ingest", "visit", "agreed.csv"], in: root)
        #expect(rest.status == 0)
        #expect(rest.stdout.contains("read 3, stored 2, already present 1, rejected 0"))
    }

    @Test("usage errors: the same file twice, an --output that does not fit the format, a language the template lacks")
    func usageErrors() throws {
        let root = try CLI.workspace()
        let same = try CLI.run(["compare", "visit", "a.csv", "./a.csv"], in: root)
        #expect(same.status == 64)
        let wrongExtension = try CLI.run(["transcription", "visit", "--xlsx", "--output", "sheet.csv"], in: root)
        #expect(wrongExtension.status == 64)
        let language = try CLI.run(["transcription", "visit", "--language", "de"], in: root)
        #expect(language.status == 64)
        #expect(language.stderr.contains("choose one of: en, fr, es, ar"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("output").path).isEmpty)
    }

    @Test("the workbook is written once, and replaced only with --force")
    func workbookIsNotReplaced() throws {
        let root = try CLI.workspace()
        let first = try CLI.run(["transcription", "intake", "--xlsx"], in: root)
        #expect(first.status == 0, "\(first.stderr)")
        let url = root.appendingPathComponent("output/intake-transcription.xlsx")
        let bytes = try Data(contentsOf: url)
        #expect(bytes.starts(with: Data("PK".utf8)))
        let second = try CLI.run(["transcription", "intake", "--xlsx"], in: root)
        #expect(second.status == 1)
        #expect(second.stderr.contains("already exists and may hold transcribed rows"))
        let forced = try CLI.run(["transcription", "intake", "--xlsx", "--force", "--language", "ar"], in: root)
        #expect(forced.status == 0)
        #expect(try Data(contentsOf: url) != bytes)
    }
}
