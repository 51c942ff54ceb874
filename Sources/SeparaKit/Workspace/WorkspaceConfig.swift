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

    public var formatVersion: Int
    public var site: Site
    /// Language codes in the order forms show them, e.g. `["en", "fr", "es", "ar"]`.
    public var languages: [String]
    /// Months after a person's last activity before `separa purge` removes their data.
    public var retentionMonths: Int
    public var controller: Controller
    public var codes: Codes

    public init(
        site: Site, languages: [String] = ["en", "fr", "es", "ar"], retentionMonths: Int = 24,
        controller: Controller, codes: Codes = Codes()
    ) {
        self.formatVersion = Self.currentFormatVersion
        self.site = site
        self.languages = languages
        self.retentionMonths = retentionMonths
        self.controller = controller
        self.codes = codes
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
        case formatVersion, site, languages, retentionMonths, controller, codes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        site = try container.decode(Site.self, forKey: .site)
        languages = try container.decode([String].self, forKey: .languages)
        retentionMonths = try container.decode(Int.self, forKey: .retentionMonths)
        controller = try container.decode(Controller.self, forKey: .controller)
        codes = try container.decodeIfPresent(Codes.self, forKey: .codes) ?? Codes()
    }
}
