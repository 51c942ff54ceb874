import Foundation
import GRDB
import Testing

@testable import SeparaKit

@Suite("Reports: what is published")
struct ReportPublishingTests {
    /// Every figure of a report, tables and extras.
    func figures(_ period: PeriodReport) -> [ReportFigure] {
        var all = [period.persons, period.unaccompaniedChildren, period.visits] + period.services
        for table in period.tables {
            all += table.rowTotals + table.columnTotals + table.cells.flatMap { $0 } + [table.total]
        }
        return all
    }

    @Test func aPeriodWithFewerThanTwentyPersonsReportsItsTotalOnly() throws {
        let fixture = try ReportFixture(persons: 40)
        try fixture.populate(count: 12, seed: 1, month: "2026-10")
        try fixture.populate(count: 3, seed: 2, month: "2026-11")
        let result = try fixture.report(from: "2026-10-01", to: "2026-11-30")
        #expect(result.periods.map(\.detail) == [.tooFewPersons, .tooFewPersons])
        #expect(result.periods[0].persons == .count(12))
        #expect(result.periods[1].persons == .belowThreshold(5))
        for period in result.periods {
            #expect(period.tables.isEmpty)
            #expect(period.unaccompaniedChildren == .notReported)
            #expect(period.visits == .notReported)
            #expect(period.services.allSatisfy { $0 == .notReported })
        }
    }

    @Test func aPeriodWhoseSmallCountsCannotBeProtectedReportsItsTotalOnly() throws {
        let fixture = try ReportFixture(persons: 6, reports: .init(threshold: 5, minimumPersons: 5))
        for (index, code) in fixture.codes.prefix(6).enumerated() {
            try fixture.insert(code, "intake", "2026-10-03", ReportFixture.intake(sex: index == 0 ? "female" : "male"))
        }
        let result = try fixture.report(from: "2026-10-01", to: "2026-10-31", dimensions: [.sex])
        #expect(result.periods[0].detail == .unprotectable)
        #expect(result.periods[0].persons == .count(6))
        #expect(result.periods[0].tables.isEmpty)
    }

    @Test func nationalitiesBelowTheThresholdAreCountedInOther() throws {
        let fixture = try ReportFixture(persons: 30)
        let plan =
            Array(repeating: "syr", count: 20) + Array(repeating: "afg", count: 6) + ["eri", "eri", "eri", "other"]
        for (code, nationality) in zip(fixture.codes, plan) {
            try fixture.insert(code, "intake", "2026-10-03", ReportFixture.intake(nationality: nationality))
        }
        let result = try fixture.report(from: "2026-10-01", to: "2026-10-31")
        let table = try #require(result.periods[0].tables.first { $0.id == "nationality" })
        #expect(table.rows.map(\.name) == ["afg", "syr", "other"])
        // 30 − 20 − 6 would give "other" away: the smallest other count is hidden with it.
        #expect(table.rowTotals == [.suppressed, .count(20), .belowThreshold(5)])
        let csv = String(decoding: ReportCSV.render(result), as: UTF8.self)
        #expect(!csv.contains("Eritrea"))
        #expect(csv.contains("+nationality_other"))
    }

    /// Realistic periods, checked by the independent checker: nothing from 1 to k − 1 is published, every
    /// cell shared by tables is shown the same way everywhere, and no hidden cell is determined by the sums
    /// (linear algebra) or by the sums with the markers' bounds (SciPy's LP, when installed).
    @Test(arguments: [(60, UInt64(11)), (140, UInt64(12)), (400, UInt64(13))])
    func everyPublishedPeriodPassesTheIndependentCheck(persons: Int, seed: UInt64) throws {
        let fixture = try ReportFixture(persons: persons)
        try fixture.populate(count: persons, seed: seed)
        let result = try fixture.report(from: "2026-10-01", to: "2026-10-31")
        let period = result.periods[0]
        #expect(period.detail == .full)
        #expect(result.belowThreshold > 0, "the data should have small cells to protect")
        for figure in figures(period) {
            if let value = figure.count { #expect(value == 0 || value >= result.threshold) }
        }
        let published = view(of: period, threshold: result.threshold)
        #expect(published.determinedByLinearAlgebra().isEmpty)
        if let determined = try published.determinedByLinearProgramming() {
            #expect(determined.isEmpty, "SciPy pins down \(determined.count) hidden cells")
        } else {
            print("SKIPPED LP bounds: python3 with scipy is not installed")
        }
    }

    @Test func aSmallReportPassesExhaustiveEnumeration() throws {
        let fixture = try ReportFixture(persons: 24)
        try fixture.populate(count: 24, seed: 5)
        let result = try fixture.report(from: "2026-10-01", to: "2026-10-31", dimensions: [.sex, .disability])
        let period = result.periods[0]
        #expect(period.detail == .full)
        let published = view(of: period, threshold: result.threshold)
        #expect(!published.hidden.isEmpty)
        #expect(published.determinedByEnumeration().isEmpty)
    }

    @Test func unaccompaniedChildrenAppearOnlyAsATotal() throws {
        let fixture = try ReportFixture(persons: 25)
        for (index, code) in fixture.codes.prefix(25).enumerated() {
            let child = index < 3
            try fixture.insert(
                code, "intake", "2026-10-03",
                ReportFixture.intake(
                    age: child ? "15" : "30", unaccompanied: child ? "yes" : "no",
                    wg: child ? [] : Array(repeating: "no_difficulty", count: 6)))
        }
        let result = try fixture.report(from: "2026-10-01", to: "2026-10-31")
        let period = result.periods[0]
        #expect(period.unaccompaniedChildren == .belowThreshold(5))
        #expect(period.tables.allSatisfy { !$0.id.contains("unaccompanied") })
        let hashtags = ReportCSV.hashtags(result).filter { $0.contains("unaccompanied") }
        #expect(hashtags == ["#reached +ind +children +unaccompanied_separated"])
    }

    @Test func theCSVHasAnHXLHashtagRowUnderTheHeader() throws {
        let fixture = try ReportFixture(persons: 140)
        try fixture.populate(count: 140, seed: 21)
        let result = try fixture.report(from: "2026-10-01", to: "2026-10-31")
        let bytes = ReportCSV.render(result)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let reader = try CSVReader(bytes: bytes, name: "report.csv")
        var rows: [[String]] = []
        while let record = try reader.next() { rows.append(record.fields) }
        #expect(rows.count == 3)
        let (header, hashtags, data) = (rows[0], rows[1], rows[2])
        #expect(header.count == hashtags.count && data.count == header.count)
        // HXL syntax: #tag then +attributes, lower-case letters, digits and underscores.
        let pattern = try Regex("^#[a-z][a-z0-9_]*( \\+[a-z][a-z0-9_]*)*$")
        for tag in hashtags { #expect(tag.wholeMatch(of: pattern) != nil, "\(tag)") }
        #expect(Set(hashtags).count == hashtags.count, "every column has its own hashtag")
        #expect(hashtags.contains("#reached +ind +f +children +age0_4"))
        #expect(hashtags.contains("#reached +ind +elderly +age60plus"))
        let total = try #require(hashtags.firstIndex(of: "#reached +ind +total"))
        #expect(data[total] == result.periods[0].persons.text)
    }

    @Test func theCSVParsesWithLibHXL() throws {
        let fixture = try ReportFixture(persons: 60)
        try fixture.populate(count: 60, seed: 22)
        let output = try Report.run(
            workspace: fixture.workspace, store: fixture.store,
            options: Report.Options(from: CalendarDay(iso: "2026-10-01"), to: CalendarDay(iso: "2026-10-31")))
        let script = """
            import sys
            try:
                import hxl
            except ImportError:
                print("MISSING"); sys.exit(0)
            source = hxl.data(sys.argv[1], hxl.InputOptions(allow_local=True))
            tags = [column.display_tag for column in source.columns]
            rows = list(source)
            print(len(tags), tags.count(None), rows[0].get("#reached+ind+total"), rows[0].get("#reached+ind+f"))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, output.csvURL.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        if text == "MISSING" || process.terminationStatus != 0 && text.isEmpty {
            print("SKIPPED libhxl check: pip install libhxl to run it")
            return
        }
        let parts = text.split(separator: " ").map(String.init)
        let columns = ReportCSV.hashtags(output.result).count
        #expect(parts.first == String(columns))
        #expect(parts[1] == "0", "libhxl read a tag for every column")
        #expect(parts[2] == output.result.periods[0].persons.text)
        let female = output.result.periods[0].tables.first { $0.id == "sex" }!.rowTotals[0]
        #expect(parts[3] == female.text)
    }

    @Test func cellsThatCouldRunAsFormulasAreNeutralised() throws {
        let fixture = try ReportFixture(persons: 25, site: "=Site+1")
        try fixture.populate(count: 25, seed: 3)
        let result = try fixture.report(from: "2026-10-01", to: "2026-10-31")
        let csv = String(decoding: ReportCSV.render(result), as: UTF8.self)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[2].hasPrefix("'=Site+1,2026-10,"))
    }

    @Test(.enabled(if: ExternalTool.qpdf.isInstalled && ExternalTool.pdftotext.isInstalled, "needs qpdf and pdftotext"))
    func thePDFIsCleanAndShowsTheTables() throws {
        let fixture = try ReportFixture(persons: 140)
        try fixture.populate(count: 140, seed: 31)
        try fixture.populate(count: 10, seed: 32, month: "2026-11")
        let output = try Report.run(
            workspace: fixture.workspace, store: fixture.store,
            options: Report.Options(from: CalendarDay(iso: "2026-10-01"), to: CalendarDay(iso: "2026-11-30")))
        #expect(output.pdfURL.lastPathComponent == "report-2026-10_2026-11.pdf")
        #expect(try ExternalTool.qpdf.run(["--check", output.pdfURL.path]).status == 0)
        let text = try ExternalTool.text(of: output.pdfURL)
        for expected in [
            "Persons reached – Report Test", "Summary", "Persons by sex", "Persons by age and sex",
            "Persons by nationality", "Services given", "total only (< 20 persons)", "<5",
        ] {
            #expect(text.contains(expected), "\(expected)")
        }
        let october = output.result.periods[0]
        #expect(text.contains("2026-10 – \(october.persons.text) persons reached"))
        let female = october.tables.first { $0.id == "sex" }!.rowTotals[0]
        #expect(text.contains(female.text))
    }

    @Test func theAuditLogRecordsWhatWasPublishedNotTheCounts() throws {
        let fixture = try ReportFixture(persons: 211)
        try fixture.populate(count: 211, seed: 41)
        let output = try Report.run(
            workspace: fixture.workspace, store: fixture.store,
            options: Report.Options(
                period: .month, from: CalendarDay(iso: "2026-10-01"), to: CalendarDay(iso: "2026-10-31"),
                dimensions: [.sex, .ageBand]))
        let entry = try #require(AuditLog.entries(in: fixture.store).last)
        #expect(entry.action == .report)
        #expect(entry.codes.isEmpty)
        #expect(entry.seq == output.auditEntry.seq)
        #expect(entry.detail.contains("threshold=5"))
        #expect(entry.detail.contains("by=sex,age_band"))
        #expect(entry.detail.contains("tables=2026-10: sex 3, age_band 5, sex*age_band 3x5"))
        #expect(entry.detail.contains("files=report-2026-10.csv,report-2026-10.pdf"))
        let persons = try #require(output.result.periods[0].persons.count)
        #expect(!entry.detail.contains(String(persons)), "the log holds shapes, not counts")
        #expect(try AuditLog.verify(fixture.store).isEmpty)
    }

    @Test func aDimensionTheTemplateLacksIsRefusedWithTheFieldNamed() throws {
        let fixture = try ReportFixture(persons: 1)
        #expect {
            try Report.compute(
                workspace: fixture.workspace, store: fixture.store,
                options: Report.Options(template: "visit", dimensions: [.sex]))
        } throws: { error in
            "\(error)".contains("template visit has no field sex")
        }
    }
}
