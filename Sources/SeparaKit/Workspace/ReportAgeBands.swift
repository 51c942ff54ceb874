import Foundation

/// One age band of a report: ages `lower` to `upper` in whole years (`upper` nil: and older).
public struct ReportAgeBand: Hashable, Sendable, CustomStringConvertible {
    /// The youngest age in the band.
    public let lower: Int
    /// The oldest age in the band; nil for the last, open-ended band.
    public let upper: Int?

    public init(lower: Int, upper: Int?) {
        self.lower = lower
        self.upper = upper
    }

    /// The band as written in `separa.json` and stored by ingest: `0-4`, `60+`.
    public var name: String { upper.map { "\(lower)-\($0)" } ?? "\(lower)+" }

    /// The band as printed: `0–4` (an en dash), `60+`.
    public var printed: String { upper.map { "\(lower)–\($0)" } ?? "\(lower)+" }

    public var description: String { name }

    /// Whether `years` falls in the band.
    public func contains(_ years: Int) -> Bool { years >= lower && (upper.map { years <= $0 } ?? true) }

    /// HXL attributes: the closest core age attribute (`children` under 18, `adults` 18–59, `elderly` 60 and
    /// over; none for a band that straddles them) and the band itself (`age0_4`, `age60plus`).
    public var hxlAttributes: [String] {
        let own = upper.map { "age\(lower)_\($0)" } ?? "age\(lower)plus"
        let top = upper ?? AgeValue.maximumYears
        let core: String?
        if top < 18 {
            core = "children"
        } else if lower >= 18 && top < 60 {
            core = "adults"
        } else if lower >= 60 {
            core = "elderly"
        } else {
            core = nil
        }
        return (core.map { [$0] } ?? []) + [own]
    }
}

/// The age bands a report uses (`reports.ageBands` in `separa.json`): contiguous from 0, the last open-ended.
public struct ReportAgeBands: Hashable, Sendable {
    /// Why a list of bands cannot be used; `reason` names the band and what to write.
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public let bands: [ReportAgeBand]

    /// The default bands: 0–4, 5–11, 12–17, 18–59, 60+.
    public static let standard = try! ReportAgeBands(AgeBand.allCases.map(\.rawValue))

    /// Reads bands written as `"0-4"`, …, `"60+"`.
    public init(_ texts: [String]) throws(Problem) {
        guard texts.count >= 2 && texts.count <= 20 else {
            throw Problem(reason: "list 2 to 20 bands, e.g. [\"0-4\", \"5-11\", \"12-17\", \"18-59\", \"60+\"]")
        }
        var bands: [ReportAgeBand] = []
        for (index, text) in texts.enumerated() {
            let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "–", with: "-")
            let band: ReportAgeBand
            if trimmed.hasSuffix("+"), let lower = Self.years(trimmed.dropLast()) {
                band = ReportAgeBand(lower: lower, upper: nil)
            } else {
                let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
                guard parts.count == 2, let lower = Self.years(parts[0]), let upper = Self.years(parts[1]),
                    lower <= upper
                else {
                    throw Problem(reason: "band \(index + 1) is not written like \"5-11\" or \"60+\"")
                }
                band = ReportAgeBand(lower: lower, upper: upper)
            }
            let expected = bands.last.map { ($0.upper ?? AgeValue.maximumYears) + 1 } ?? 0
            guard band.lower == expected else {
                throw Problem(
                    reason:
                        "band \(index + 1) must start at \(expected), so that the bands follow each other without gap or overlap"
                )
            }
            guard (band.upper == nil) == (index == texts.count - 1) else {
                throw Problem(reason: "only the last band is open-ended (written like \"60+\"), and it must be")
            }
            bands.append(band)
        }
        self.bands = bands
    }

    static func years(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy(\.isASCII), let value = Int(text),
            (0...AgeValue.maximumYears).contains(value)
        else { return nil }
        return value
    }

    /// The band holding `years`.
    public func index(years: Int) -> Int? { bands.firstIndex { $0.contains(years) } }

    /// The band that wholly holds a band ticked on paper, or nil when it straddles two report bands (the
    /// person's age then counts as unknown).
    public func index(of paper: AgeBand) -> Int? {
        bands.firstIndex { $0.contains(paper.lowerBound) && $0.contains(paper.upperBound) }
    }
}
