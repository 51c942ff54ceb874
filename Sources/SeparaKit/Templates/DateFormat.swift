import Foundation

/// A calendar date without time or time zone (what a paper form records).
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A date that exists in the proleptic Gregorian calendar (years 1000–9999), else nil.
    public init?(year: Int, month: Int, day: Int) {
        guard (1000...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The number of days of `month` in `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO 8601, `YYYY-MM-DD`: how the store keeps dates.
    public var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }
    public var description: String { iso }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// A declared date format such as `DD/MM/YYYY`: the order of day, month and year and the separator.
///
/// Parsing is strict: the parts must come in the declared order, the year must have four digits (a
/// two-digit year is ambiguous), and the date must exist (31/02 is refused). The separator may be any
/// of `/ - .` because spreadsheets change it; an ISO date `YYYY-MM-DD` is also accepted, since its
/// four-digit first part cannot be mistaken for a day or month.
public struct DateFormat: Hashable, Sendable, CustomStringConvertible {
    /// One part of a date.
    public enum Part: String, Sendable {
        case day = "DD"
        case month = "MM"
        case year = "YYYY"
    }

    /// The parts in the declared order.
    public let order: [Part]
    /// The separator as declared (`/`, `-` or `.`).
    public let separator: Character

    /// `DD/MM/YYYY`, the default for forms that do not declare one.
    public static let dayMonthYear = DateFormat(order: [.day, .month, .year], separator: "/")
    /// `YYYY-MM-DD`.
    public static let iso = DateFormat(order: [.year, .month, .day], separator: "-")

    /// Why a declared pattern or a written date is refused.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// The pattern is not three parts DD, MM and YYYY separated by one of `/ - .`.
        case invalidPattern
        /// The text does not have the declared shape (three groups of digits).
        case wrongShape
        /// The year has two digits: 03/04/24 could be 1924 or 2024.
        case twoDigitYear
        /// Day, month and year have the right shape but the date does not exist (31/02, 13th month).
        case impossibleDate

        public var description: String {
            switch self {
            case .invalidPattern:
                return "a date format is DD, MM and YYYY in some order, separated by / or - or . (e.g. DD/MM/YYYY)"
            case .wrongShape: return "not a date in the declared format"
            case .twoDigitYear: return "the year needs four digits"
            case .impossibleDate: return "no such date (check day and month)"
            }
        }
    }

    init(order: [Part], separator: Character) {
        self.order = order
        self.separator = separator
    }

    /// Reads a declared pattern such as `DD/MM/YYYY`, `MM-DD-YYYY` or `YYYY-MM-DD` (case-insensitive).
    public init(pattern: String) throws(Problem) {
        let upper = pattern.trimmingCharacters(in: .whitespaces).uppercased()
        guard let separator = upper.first(where: { "/-.".contains($0) }) else { throw .invalidPattern }
        let parts = upper.split(separator: separator, omittingEmptySubsequences: false).map {
            Part(rawValue: String($0))
        }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2], Set([a, b, c]).count == 3 else {
            throw .invalidPattern
        }
        self.init(order: [a, b, c], separator: separator)
    }

    /// The pattern as declared, e.g. `DD/MM/YYYY`.
    public var pattern: String { order.map(\.rawValue).joined(separator: String(separator)) }
    public var description: String { pattern }

    /// Reads a written date strictly (see the type's documentation).
    public func parse(_ text: String) -> Result<CalendarDate, Problem> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let groups = trimmed.split(omittingEmptySubsequences: false) { "/-.".contains($0) }.map(String.init)
        guard groups.count == 3,
            groups.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else {
            return .failure(.wrongShape)
        }
        // A date written year first with four digits is ISO: unambiguous whatever the declared order.
        var order = self.order
        if groups[0].count == 4 && order[0] != .year { order = [.year, .month, .day] }
        var day = 0
        var month = 0
        var year = 0
        for (part, group) in zip(order, groups) {
            switch part {
            case .day:
                guard group.count <= 2 else { return .failure(.wrongShape) }
                day = Int(group)!
            case .month:
                guard group.count <= 2 else { return .failure(.wrongShape) }
                month = Int(group)!
            case .year:
                if group.count == 2 { return .failure(.twoDigitYear) }
                guard group.count == 4 else { return .failure(.wrongShape) }
                year = Int(group)!
            }
        }
        guard let date = CalendarDate(year: year, month: month, day: day) else { return .failure(.impossibleDate) }
        return .success(date)
    }

    /// Writes `date` in this format with two-digit day and month, e.g. `05/03/2024`.
    public func format(_ date: CalendarDate) -> String {
        order.map { part -> String in
            switch part {
            case .day: return String(format: "%02d", date.day)
            case .month: return String(format: "%02d", date.month)
            case .year: return String(format: "%04d", date.year)
            }
        }.joined(separator: String(separator))
    }
}
