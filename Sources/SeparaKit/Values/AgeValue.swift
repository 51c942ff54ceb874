import Foundation

/// The age bands ticked on paper when a person's age in years is not known; reports use the same bands.
public enum AgeBand: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case from0to4 = "0-4"
    case from5to11 = "5-11"
    case from12to17 = "12-17"
    case from18to59 = "18-59"
    case from60 = "60+"

    /// The youngest age in the band.
    public var lowerBound: Int {
        switch self {
        case .from0to4: return 0
        case .from5to11: return 5
        case .from12to17: return 12
        case .from18to59: return 18
        case .from60: return 60
        }
    }

    /// The oldest age in the band (120 for 60+).
    public var upperBound: Int {
        switch self {
        case .from0to4: return 4
        case .from5to11: return 11
        case .from12to17: return 17
        case .from18to59: return 59
        case .from60: return AgeValue.maximumYears
        }
    }

    /// The band as printed: `0–4`, `60+` (an en dash; digits are read the same in every language Separa ships).
    public var printed: String { rawValue.replacingOccurrences(of: "-", with: "–") }

    public var description: String { rawValue }

    /// The band that holds `years`.
    public init?(years: Int) {
        guard let band = Self.allCases.first(where: { ($0.lowerBound...$0.upperBound).contains(years) }) else {
            return nil
        }
        self = band
    }

    /// Whether the band holds a child (under 18).
    public var isChild: Bool { upperBound < 18 }
}

/// An age as written on paper: whole years, or a band when the years are not known.
public enum AgeValue: Hashable, Sendable, CustomStringConvertible {
    case years(Int)
    case band(AgeBand)

    /// The oldest age accepted in years.
    public static let maximumYears = 120

    /// The band this age falls in.
    public var band: AgeBand {
        switch self {
        case .years(let years): return AgeBand(years: years) ?? .from60
        case .band(let band): return band
        }
    }

    /// `34`, or the band's raw value (`0-4`, `60+`): how ingest stores it.
    public var description: String {
        switch self {
        case .years(let years): return String(years)
        case .band(let band): return band.rawValue
        }
    }

    /// Reads an age as transcribed: `34`, `34.0` (a spreadsheet's rendering of a whole number), a band
    /// `0-4` / `0–4` / `0 - 4` / `60+`. Returns nil for anything else (negative, over 120, fractions,
    /// bands that are not Separa's).
    public static func parse(_ text: String) -> AgeValue? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        var compact = trimmed.unicodeScalars.filter { !CharacterSet.whitespaces.contains($0) }
            .map(String.init).joined()
        compact = compact.replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: "—", with: "-")
            .replacingOccurrences(of: "‐", with: "-")
        if let band = AgeBand(rawValue: compact) { return .band(band) }
        var digits = compact
        if digits.hasSuffix(".0") { digits.removeLast(2) }
        guard !digits.isEmpty, digits.count <= 3, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
            let years = Int(digits), years <= maximumYears
        else { return nil }
        return .years(years)
    }
}
