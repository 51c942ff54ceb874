import Foundation

/// A count as published: the number, or why it is not shown. The true value of a hidden count never leaves
/// the disclosure control.
public enum ReportFigure: Hashable, Sendable, CustomStringConvertible {
    /// A published count.
    case count(Int)
    /// A count from 1 to threshold − 1 (primary suppression), shown `<5` for threshold 5.
    case belowThreshold(Int)
    /// A count hidden so that a small count cannot be worked out from the totals (secondary suppression),
    /// shown `x`. Never zero.
    case suppressed
    /// Not reported: the period has too few persons, or the category is counted elsewhere ("other").
    case notReported

    /// As printed in the CSV and the PDF: `12`, `<5`, `x`, or empty.
    public var text: String {
        switch self {
        case .count(let value): return String(value)
        case .belowThreshold(let threshold): return "<\(threshold)"
        case .suppressed: return "x"
        case .notReported: return ""
        }
    }

    public var description: String { text }

    /// The published count, if any.
    public var count: Int? {
        if case .count(let value) = self { return value }
        return nil
    }
}

/// One table of a period: one-way (a dimension) or two-way (two dimensions, with row and column totals).
public struct ReportTable: Sendable {
    /// `sex`, or `sex*age_band` for a two-way table.
    public let id: String
    public let rowDimension: ReportDimension
    /// Nil for a one-way table.
    public let columnDimension: ReportDimension?
    public let rows: [ReportCategory]
    /// Empty for a one-way table.
    public let columns: [ReportCategory]
    /// Two-way: `cells[row][column]`; one-way: empty rows.
    public let cells: [[ReportFigure]]
    /// The count of each row (for a one-way table, its only figures).
    public let rowTotals: [ReportFigure]
    /// The count of each column (two-way only).
    public let columnTotals: [ReportFigure]
    /// Persons in the period.
    public let total: ReportFigure

    /// `Sex`, or `Sex × Age`.
    public var title: String {
        columnDimension.map { "\(rowDimension.title) × \($0.title)" } ?? rowDimension.title
    }

    /// `4` (rows) or `4x6` (rows × columns): what the audit log records.
    public var shape: String { columnDimension == nil ? "\(rows.count)" : "\(rows.count)x\(columns.count)" }
}

/// The figures of one period.
public struct PeriodReport: Sendable {
    /// How much of the period is reported.
    public enum Detail: Hashable, Sendable {
        /// Every table.
        case full
        /// Fewer persons than `reports.minimumPersons`: the total only.
        case tooFewPersons
        /// No choice of hidden cells could protect the small counts: the total only.
        case unprotectable
    }

    public let period: ReportPeriod
    /// Persons reached.
    public let persons: ReportFigure
    public let detail: Detail
    /// One-way tables in `--by` order, then two-way tables for each pair; empty unless `detail` is `full`.
    public let tables: [ReportTable]
    /// Unaccompanied or separated children: a total only, never broken down.
    public let unaccompaniedChildren: ReportFigure
    /// Records (visits) in the period.
    public let visits: ReportFigure
    /// Per service of ``ReportResult/services``, records that gave it.
    public let services: [ReportFigure]
}

/// A report: settings, categories and every period's published figures (no hidden value).
public struct ReportResult: Sendable {
    public let site: String
    /// The template whose records describe persons.
    public let template: TemplateID
    public let periodLength: PeriodLength
    public let from: CalendarDay
    public let to: CalendarDay
    public let threshold: Int
    public let minimumPersons: Int
    public let dimensions: [ReportDimension]
    /// Every category each dimension can show, in order (a period shows a subset).
    public let categories: [ReportDimension: [ReportCategory]]
    /// Services given, from templates with `services_provided`.
    public let services: [ReportCategory]
    /// Whether the template asks about unaccompanied or separated children.
    public let hasUnaccompanied: Bool
    public let periods: [PeriodReport]
    /// Records read from the store.
    public let recordsRead: Int
    /// Cells published, below the threshold and hidden as complements, over all periods.
    public let published: Int
    public let belowThreshold: Int
    public let complementary: Int

    /// The name part of the output files: the period label, or `FIRST_LAST` for several periods.
    public var fileStem: String {
        guard let first = periods.first, let last = periods.last else { return "empty" }
        return first.period.label == last.period.label
            ? first.period.label : "\(first.period.label)_\(last.period.label)"
    }
}
