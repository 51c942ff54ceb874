import Foundation
import Testing

@Suite("separa report (end to end)")
struct ReportCommandTests {
    @Test("a coordinator ingests a month of intakes and publishes the report")
    func reportAfterIngest() throws {
        let root = try CLI.workspace(site: "Report Site")
        let codes = try DoubleEntryCommandTests.issue(30, in: root)
        var rows = ["code,visit_date,sex,age,nationality,unaccompanied_child"]
        for (index, code) in codes.prefix(26).enumerated() {
            let sex = index % 3 == 0 ? "female" : "male"
            let age = index < 2 ? "4" : String(20 + index)
            let nationality = index < 18 ? "syr" : (index < 24 ? "afg" : "eri")
            rows.append("\(code),\(String(format: "%02d", index % 28 + 1))/11/2026,\(sex),\(age),\(nationality),no")
        }
        try Data(rows.joined(separator: "\n").utf8).write(to: root.appendingPathComponent("intake.csv"))
        let ingest = try CLI.run(["ingest", "intake", "intake.csv"], in: root)
        #expect(ingest.status == 0, "\(ingest.stdout)\(ingest.stderr)")

        let report = try CLI.run(
            ["report", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "sex,age_band,nationality"], in: root)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(
            report.stdout.contains(
                "Report 2026-11-01 to 2026-11-30 by month, persons from template intake, threshold 5"))
        #expect(report.stdout.contains("  2026-11: 26 persons"))
        #expect(report.stdout.contains("output/report-2026-11.csv"))
        #expect(report.stdout.contains("output/report-2026-11.pdf"))
        let csv = try String(contentsOf: root.appendingPathComponent("output/report-2026-11.csv"), encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(
            lines[1].hasPrefix("#loc +name,#date +period,#date +start,#date +end,#meta +status,#reached +ind +total"))
        #expect(lines[2].hasPrefix("Report Site,2026-11,2026-11-01,2026-11-30,all tables,26,"))
        // Two children aged 4: never published as 2.
        #expect(!lines[2].split(separator: ",").contains("2"))
        for name in ["report-2026-11.csv", "report-2026-11.pdf"] {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: root.appendingPathComponent("output/\(name)").path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }

        // A week with fewer than 20 persons: its total only.
        let week = try CLI.run(["report", "--period", "week", "--from", "2026-11-02", "--to", "2026-11-08"], in: root)
        #expect(week.status == 0, "\(week.stderr)")
        #expect(week.stdout.contains("2026-W45: 7 persons (fewer than 20: total only)"))
    }

    @Test func badOptionsAreUsageErrors() throws {
        let root = try CLI.workspace()
        for arguments in [
            ["report", "--from", "2026-13-01"], ["report", "--from", "2026-11-30", "--to", "2026-11-01"],
            ["report", "--by", "sex,religion"], ["report", "--by", "sex,sex"], ["report", "--period", "year"],
        ] {
            let run = try CLI.run(arguments, in: root)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
        }
        let missing = try CLI.run(["report", "--template", "visit", "--by", "sex"], in: root)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("template visit has no field sex"))
    }

    @Test func helpText() throws {
        let result = try CLI.run(["report", "--help"], in: CLI.temporaryDirectory())
        #expect(result.status == 0)
        try CLI.assertGolden(result.stdout, "help-report.txt")
    }
}
