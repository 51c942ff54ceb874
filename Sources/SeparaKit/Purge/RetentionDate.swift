/// Calendar arithmetic on `YYYY-MM-DD` days for retention.
///
/// Written by hand rather than with `Calendar`: the store keeps days as text without a time zone, and
/// going through `Date` would tie the result to the machine's zone and its daylight-saving days. The
/// rule is the proleptic Gregorian calendar's, with the day clamped to the end of a shorter month.
enum RetentionDate {
    /// The day `months` calendar months before `day` (`2026-03-31` minus 1 month is `2026-02-28`); nil when
    /// `day` is not a `YYYY-MM-DD` date.
    static func day(_ day: String, minusMonths months: Int) -> String? {
        let parts = day.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let dayOfMonth = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(dayOfMonth)
        else { return nil }
        let total = year * 12 + (month - 1) - months
        let newYear = total / 12
        let newMonth = total % 12 + 1
        let newDay = min(dayOfMonth, daysIn(year: newYear, month: newMonth))
        return format(year: newYear, month: newMonth, day: newDay)
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func format(year: Int, month: Int, day: Int) -> String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
