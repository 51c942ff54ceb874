import Foundation

/// How long each period of a report is.
public enum PeriodLength: String, CaseIterable, Sendable, CustomStringConvertible {
    /// ISO 8601 weeks, Monday to Sunday, labelled `2026-W48`.
    case week
    /// Calendar months, labelled `2026-11`.
    case month
    /// Calendar quarters, labelled `2026-Q4`.
    case quarter

    public var description: String { rawValue }

    /// The whole period holding `day`.
    public func period(containing day: CalendarDay) -> ReportPeriod {
        let (year, month, _) = day.components
        switch self {
        case .week:
            let start = day.adding(days: 1 - day.isoWeekday)
            let thursday = start.adding(days: 3)
            let weekYear = thursday.components.year
            let firstThursday = CalendarDay(year: weekYear, month: 1, day: 4)!
            let firstMonday = firstThursday.adding(days: 1 - firstThursday.isoWeekday)
            let week = (start.daysSinceEpoch - firstMonday.daysSinceEpoch) / 7 + 1
            return ReportPeriod(
                label: String(format: "%04d-W%02d", weekYear, week), start: start, end: start.adding(days: 6))
        case .month:
            let start = CalendarDay(year: year, month: month, day: 1)!
            let end = CalendarDay(year: year, month: month, day: CalendarDay.daysIn(month: month, year: year))!
            return ReportPeriod(label: String(format: "%04d-%02d", year, month), start: start, end: end)
        case .quarter:
            let quarter = (month - 1) / 3 + 1
            let start = CalendarDay(year: year, month: quarter * 3 - 2, day: 1)!
            let end = CalendarDay(
                year: year, month: quarter * 3, day: CalendarDay.daysIn(month: quarter * 3, year: year))!
            return ReportPeriod(label: "\(String(format: "%04d", year))-Q\(quarter)", start: start, end: end)
        }
    }

    /// The periods from the one holding `from` to the one holding `to`, the first and last clipped to
    /// `from` and `to`.
    public func periods(from: CalendarDay, to: CalendarDay) -> [ReportPeriod] {
        precondition(from <= to)
        var periods: [ReportPeriod] = []
        var day = from
        while day <= to {
            let whole = period(containing: day)
            periods.append(
                ReportPeriod(
                    label: whole.label, start: max(whole.start, from), end: min(whole.end, to),
                    isPartial: whole.start < from || whole.end > to))
            day = whole.end.adding(days: 1)
        }
        return periods
    }
}

/// One period of a report: its label and the days it covers.
public struct ReportPeriod: Hashable, Sendable {
    /// `2026-W48`, `2026-11` or `2026-Q4`.
    public let label: String
    /// The first day counted.
    public let start: CalendarDay
    /// The last day counted.
    public let end: CalendarDay
    /// Whether `--from` or `--to` cut the period short.
    public let isPartial: Bool

    public init(label: String, start: CalendarDay, end: CalendarDay, isPartial: Bool = false) {
        self.label = label
        self.start = start
        self.end = end
        self.isPartial = isPartial
    }
}
