import Foundation

/// The contents of `separa.json`: who runs this site, in which languages, and how long data is kept.
///
/// Holds no personal data about the people served. Unknown keys are ignored so that a newer Separa's file
/// still opens; a newer `formatVersion` is refused.
public struct WorkspaceConfig: Codable, Equatable, Sendable {
    /// The file format version this Separa writes and reads.
    public static let currentFormatVersion = 1

    /// The site: a display name and a short prefix used in batch ids (letters and digits, at most 8).
    public struct Site: Codable, Equatable, Sendable {
        public var name: String
        public var prefix: String

        public init(name: String, prefix: String) {
            self.name = name
            self.prefix = prefix
        }
    }

    /// The data controller: the organisation responsible for the data, and how people reach it.
    public struct Controller: Codable, Equatable, Sendable {
        public var name: String
        public var contact: String

        public init(name: String, contact: String) {
            self.name = name
            self.contact = contact
        }
    }

    /// Case code settings.
    public struct Codes: Codable, Equatable, Sendable {
        /// Random symbols per code (6 to 27); a check symbol is added.
        public var randomLength: Int

        public init(randomLength: Int = CodeFormat.defaultRandomLength) {
            self.randomLength = randomLength
        }
    }

    /// Report settings: the disclosure threshold, age bands and the smallest group reported in detail.
    public struct Reports: Codable, Equatable, Sendable {
        /// Counts from 1 to `threshold − 1` are never published (k; 5 by default, 10 where the risk is high).
        public var threshold: Int
        /// Age bands as written in `separa.json`: `"0-4"`, …, `"60+"`, from 0 upward without gaps, the last
        /// open-ended.
        public var ageBands: [String]
        /// A period with fewer persons than this reports its total only.
        public var minimumPersons: Int

        public static let defaultThreshold = 5
        public static let defaultAgeBands = AgeBand.allCases.map(\.rawValue)
        public static let defaultMinimumPersons = 20

        public init(
            threshold: Int = defaultThreshold, ageBands: [String] = defaultAgeBands,
            minimumPersons: Int = defaultMinimumPersons
        ) {
            self.threshold = threshold
            self.ageBands = ageBands
            self.minimumPersons = minimumPersons
        }

        enum CodingKeys: String, CodingKey {
            case threshold, ageBands, minimumPersons
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            threshold = try container.decodeIfPresent(Int.self, forKey: .threshold) ?? Self.defaultThreshold
            ageBands = try container.decodeIfPresent([String].self, forKey: .ageBands) ?? Self.defaultAgeBands
            minimumPersons =
                try container.decodeIfPresent(Int.self, forKey: .minimumPersons) ?? Self.defaultMinimumPersons
        }

        /// Problems with these settings, each naming the key (`reports.threshold`…) and what to set.
        public func problems() -> [String] {
            var problems: [String] = []
            if !(3...100).contains(threshold) {
                problems.append(
                    "reports.threshold must be between 3 and 100 (5 by default, 10 where people are at high risk)")
            }
            if !(1...100_000).contains(minimumPersons) || minimumPersons < threshold {
                problems.append("reports.minimumPersons must be at least reports.threshold (20 by default)")
            }
            do {
                _ = try ReportAgeBands(ageBands)
            } catch {
                problems.append("reports.ageBands: \(error.reason)")
            }
            return problems
        }
    }

    public var formatVersion: Int
    public var site: Site
    /// Language codes in the order forms show them, e.g. `["en", "fr", "es", "ar"]`.
    public var languages: [String]
    /// Months after a person's last activity before `separa purge` removes their data.
    public var retentionMonths: Int
    public var controller: Controller
    public var codes: Codes
    /// Report settings (`reports` in `separa.json`; defaults when the key is absent).
    public var reports: Reports

    public init(
        site: Site, languages: [String] = ["en", "fr", "es", "ar"], retentionMonths: Int = 24,
        controller: Controller, codes: Codes = Codes(), reports: Reports = Reports()
    ) {
        self.formatVersion = Self.currentFormatVersion
        self.site = site
        self.languages = languages
        self.retentionMonths = retentionMonths
        self.controller = controller
        self.codes = codes
        self.reports = reports
    }

    /// A new workspace's configuration for a site name; the prefix is derived from the name.
    public static func defaults(siteName: String) -> WorkspaceConfig {
        WorkspaceConfig(
            site: Site(name: siteName, prefix: derivePrefix(from: siteName)),
            controller: Controller(
                name: "(set the data controller in separa.json)",
                contact: "(set a contact for questions and complaints in separa.json)"))
    }

    /// Up to 8 upper-case ASCII letters and digits taken from `name`, or `HSP` when it has none.
    public static func derivePrefix(from name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).uppercased()
        let kept = folded.unicodeScalars.filter { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        let prefix = String(String.UnicodeScalarView(kept.prefix(8)))
        return prefix.isEmpty ? "HSP" : prefix
    }

    /// Problems that make the configuration unusable, each naming the key and what to set.
    public func problems() -> [String] {
        var problems: [String] = []
        if formatVersion > Self.currentFormatVersion {
            problems.append(
                "formatVersion \(formatVersion) was written by a newer Separa (this one reads \(Self.currentFormatVersion)); upgrade Separa"
            )
        }
        if site.name.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("site.name is empty: name the site")
        }
        if site.prefix.isEmpty || site.prefix.count > 8
            || !site.prefix.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        {
            problems.append("site.prefix must be 1 to 8 upper-case letters or digits")
        }
        if languages.isEmpty { problems.append("languages is empty: list at least one language code, e.g. [\"en\"]") }
        for language in languages where !Self.isLanguageCode(language) {
            problems.append("languages: \"\(language)\" is not a language code such as en, fr, es, ar or ti")
        }
        if !(1...240).contains(retentionMonths) { problems.append("retentionMonths must be between 1 and 240") }
        if !(CodeFormat.minimumLength...CodeFormat.maximumLength).contains(codes.randomLength) {
            problems.append(
                "codes.randomLength must be between \(CodeFormat.minimumLength) and \(CodeFormat.maximumLength)")
        }
        problems += reports.problems()
        return problems
    }

    static func isLanguageCode(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count),
            first.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) })
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (2...8).contains(part.count)
                && part.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        }
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion, site, languages, retentionMonths, controller, codes, reports
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        site = try container.decode(Site.self, forKey: .site)
        languages = try container.decode([String].self, forKey: .languages)
        retentionMonths = try container.decode(Int.self, forKey: .retentionMonths)
        controller = try container.decode(Controller.self, forKey: .controller)
        codes = try container.decodeIfPresent(Codes.self, forKey: .codes) ?? Codes()
        reports = try container.decodeIfPresent(Reports.self, forKey: .reports) ?? Reports()
    }
}

extension WorkspaceConfig.Controller {
    /// What `separa init` writes until someone sets the real controller.
    static let placeholder = WorkspaceConfig.defaults(siteName: "-").controller

    /// Whether `name` names an organisation: neither empty nor `separa init`'s placeholder.
    public static func isReal(name: String?) -> Bool { isReal(name, placeholder: placeholder.name) }

    /// Whether `contact` says how to reach the controller: neither empty nor `separa init`'s placeholder.
    public static func isReal(contact: String?) -> Bool { isReal(contact, placeholder: placeholder.contact) }

    /// Whether both the name and the contact are real: the one rule for consent statements and code cards,
    /// which must tell people whom to contact.
    public var isSet: Bool { Self.isReal(name: name) && Self.isReal(contact: contact) }

    private static func isReal(_ text: String?, placeholder: String) -> Bool {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return false }
        return text != placeholder
    }
}
