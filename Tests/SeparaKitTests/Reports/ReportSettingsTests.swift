import Foundation
import Testing

@testable import SeparaKit

@Suite("Reports: periods and settings")
struct ReportSettingsTests {
    @Test func isoWeeksMatchFoundationsISO8601CalendarForEveryDay() throws {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = CalendarDay(year: 2015, month: 1, day: 1)!
        for offset in 0..<(366 * 20) {
            let day = start.adding(days: offset)
            let date = Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400)
            let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear, .year, .month, .day], from: date)
            #expect(day.components == (c.year!, c.month!, c.day!))
            let label = PeriodLength.week.period(containing: day).label
            #expect(label == String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!), "\(day)")
        }
    }

    @Test func labelsAndBoundsOfWeeksMonthsAndQuarters() throws {
        let day = try #require(CalendarDay(iso: "2026-11-27"))
        let week = PeriodLength.week.period(containing: day)
        #expect(week.label == "2026-W48")
        #expect((week.start.description, week.end.description) == ("2026-11-23", "2026-11-29"))
        #expect(PeriodLength.month.period(containing: day).label == "2026-11")
        let quarter = PeriodLength.quarter.period(containing: day)
        #expect(quarter.label == "2026-Q4")
        #expect((quarter.start.description, quarter.end.description) == ("2026-10-01", "2026-12-31"))
        #expect(PeriodLength.month.period(containing: CalendarDay(iso: "2028-02-10")!).end.description == "2028-02-29")
        #expect(PeriodLength.week.period(containing: CalendarDay(iso: "2027-01-01")!).label == "2026-W53")
    }

    @Test func theFirstAndLastPeriodsAreClippedToTheRange() throws {
        let periods = PeriodLength.month.periods(
            from: CalendarDay(iso: "2026-09-15")!, to: CalendarDay(iso: "2026-11-30")!)
        #expect(periods.map(\.label) == ["2026-09", "2026-10", "2026-11"])
        #expect(periods.map(\.isPartial) == [true, false, false])
        #expect(periods[0].start.description == "2026-09-15")
        #expect(CalendarDay(iso: "2026-02-30") == nil)
        #expect(CalendarDay(iso: "2026-2-03") == nil)
    }

    @Test func rangesThatCannotBeReportedAreRefused() throws {
        let fixture = try ReportFixture(persons: 1)
        #expect {
            try Report.compute(
                workspace: fixture.workspace, store: fixture.store,
                options: Report.Options(from: CalendarDay(iso: "2026-12-01"), to: CalendarDay(iso: "2026-11-01")))
        } throws: { "\($0)".contains("--from 2026-12-01 is after --to 2026-11-01") }
        #expect {
            try Report.compute(
                workspace: fixture.workspace, store: fixture.store,
                options: Report.Options(
                    period: .week, from: CalendarDay(iso: "2024-01-01"), to: CalendarDay(iso: "2026-12-31")))
        } throws: { "\($0)".contains("at most 120") }
        // Without --from and --to: the period holding today, so far.
        let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
        let range = try Report.range(Report.Options(period: .quarter, now: now))
        #expect(range.from.description == "2026-10-01")
        #expect(range.to == CalendarDay(now))
    }

    @Test func anOlderSeparaJSONWithoutReportsGetsTheDefaults() throws {
        let json = """
            {"formatVersion":1,"site":{"name":"A","prefix":"A"},"languages":["en"],"retentionMonths":24,
             "controller":{"name":"c","contact":"d"},"codes":{"randomLength":11}}
            """
        let config = try JSONDecoder().decode(WorkspaceConfig.self, from: Data(json.utf8))
        #expect(config.reports == WorkspaceConfig.Reports())
        #expect(config.reports.threshold == 5)
        #expect(config.reports.ageBands == ["0-4", "5-11", "12-17", "18-59", "60+"])
        #expect(config.reports.minimumPersons == 20)
        #expect(config.problems().isEmpty)
        let partial = json.replacingOccurrences(of: "\"codes\"", with: "\"reports\":{\"threshold\":10},\"codes\"")
        let high = try JSONDecoder().decode(WorkspaceConfig.self, from: Data(partial.utf8))
        #expect(high.reports.threshold == 10)
        #expect(high.reports.minimumPersons == 20)
        // What `separa init` writes reads back the same.
        let written = try JSONDecoder().decode(WorkspaceConfig.self, from: try high.encoded())
        #expect(written == high)
    }

    @Test(arguments: [
        (WorkspaceConfig.Reports(threshold: 2), "reports.threshold"),
        (WorkspaceConfig.Reports(threshold: 10, minimumPersons: 8), "reports.minimumPersons"),
        (WorkspaceConfig.Reports(ageBands: ["0-4", "6-11", "12+"]), "band 2 must start at 5"),
        (WorkspaceConfig.Reports(ageBands: ["0-17", "18-59"]), "only the last band is open-ended"),
        (WorkspaceConfig.Reports(ageBands: ["0-17", "18+", "60+"]), "only the last band"),
        (WorkspaceConfig.Reports(ageBands: ["0+"]), "list 2 to 20 bands"),
        (WorkspaceConfig.Reports(ageBands: ["0-4", "five-11", "12+"]), "band 2 is not written like"),
    ])
    func invalidReportSettingsAreNamed(reports: WorkspaceConfig.Reports, message: String) {
        var config = WorkspaceConfig.defaults(siteName: "A")
        config.reports = reports
        #expect(config.problems().contains { $0.contains(message) }, "\(config.problems())")
    }

    @Test func ageBandsKnowTheirHXLAttributes() throws {
        let bands = try ReportAgeBands(["0-4", "5-17", "18-24", "25-64", "65+"]).bands
        #expect(
            bands.map(\.hxlAttributes) == [
                ["children", "age0_4"], ["children", "age5_17"], ["adults", "age18_24"], ["age25_64"],
                ["elderly", "age65plus"],
            ])
        #expect(bands.map(\.printed) == ["0–4", "5–17", "18–24", "25–64", "65+"])
    }
}
