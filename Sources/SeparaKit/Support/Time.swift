import Foundation

/// A calendar day (proleptic Gregorian), counted in days from 1970-01-01: the store's `YYYY-MM-DD` dates.
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// The day `year-month-day`, or nil when there is no such day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        daysSinceEpoch = Self.days(year: year, month: month, day: day)
    }

    /// Reads `YYYY-MM-DD` exactly (the form the store keeps and `--from`/`--to` take).
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard let day = Self.parse(bytes[...]) else { return nil }
        self = day
    }

    /// Reads `YYYY-MM-DD` from ten bytes; nil for anything else.
    static func parse(_ bytes: ArraySlice<UInt8>) -> CalendarDay? {
        guard bytes.count == 10 else { return nil }
        let b = bytes.startIndex
        guard bytes[b + 4] == UInt8(ascii: "-"), bytes[b + 7] == UInt8(ascii: "-") else { return nil }
        var fields = [0, 0, 0]
        for (field, range) in [(0, 0..<4), (1, 5..<7), (2, 8..<10)] {
            for offset in range {
                let digit = Int(bytes[b + offset]) - 48
                guard (0...9).contains(digit) else { return nil }
                fields[field] = fields[field] * 10 + digit
            }
        }
        return CalendarDay(year: fields[0], month: fields[1], day: fields[2])
    }

    /// Reads `YYYY-MM-DD` from raw bytes without allocating (the report's scan of the store).
    static func parse(_ pointer: UnsafeRawBufferPointer) -> CalendarDay? {
        guard pointer.count == 10, pointer[4] == UInt8(ascii: "-"), pointer[7] == UInt8(ascii: "-") else { return nil }
        @inline(__always) func digits(_ from: Int, _ to: Int) -> Int? {
            var value = 0
            for offset in from..<to {
                let digit = Int(pointer[offset]) &- 48
                guard digit >= 0 && digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = digits(0, 4), let month = digits(5, 7), let day = digits(8, 10) else { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }

    /// The day `date` falls on in `timeZone`.
    public init(_ date: Date, timeZone: TimeZone = .current) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        daysSinceEpoch = Self.days(year: c.year!, month: c.month!, day: c.day!)
    }

    /// Year, month and day.
    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 1 for Monday … 7 for Sunday (ISO 8601).
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday.
        let index = ((daysSinceEpoch % 7) + 7 + 3) % 7
        return index + 1
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = components
        return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
    }

    public func adding(days: Int) -> CalendarDay { CalendarDay(daysSinceEpoch: daysSinceEpoch + days) }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    static func days(year: Int, month: Int, day: Int) -> Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// The three ways Separa writes a moment: in the audit log and the store, in file names, and as a day.
public enum Timestamp {
    /// ISO 8601 in UTC to the second, `2026-11-27T14:30:12Z`: the store's and the audit log's times.
    public static func iso8601(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }

    /// The local day `date` falls on, `YYYY-MM-DD` (the day a code was drawn, a batch id's date).
    public static func localDay(_ date: Date) -> String {
        CalendarDay(date).description
    }

    /// A file-name-safe local time to the second, `20261127-153012`, for outputs not tied to a batch.
    public static func fileName(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d-%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// Reads ``iso8601(_:)``'s form back; nil for anything else.
    public static func date(iso8601 text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }

    /// Reads the time at the start of a file name written with ``fileName(_:)`` (`20261127-153012…`, local
    /// time), or with the UTC form inbox files had before (`20261127T153012Z…`); nil for any other name.
    public static func date(fileName name: String) -> Date? {
        let bytes = Array(name.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard bytes.count >= 16, let year = digits(0..<4), let month = digits(4..<6), let day = digits(6..<8),
            let hour = digits(9..<11), let minute = digits(11..<13), let second = digits(13..<15)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        switch (bytes[8], bytes[15]) {
        case (UInt8(ascii: "-"), UInt8(ascii: "-")): calendar.timeZone = .current
        case (UInt8(ascii: "T"), UInt8(ascii: "Z")): calendar.timeZone = TimeZone(identifier: "UTC")!
        default: return nil
        }
        return calendar.date(
            from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }
}
