import Foundation

/// What a report can break persons down by.
public enum ReportDimension: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The `sex` field (a `select_one`).
    case sex
    /// The `age` field, in the report's age bands.
    case ageBand = "age_band"
    /// The Washington Group short set (`wg_seeing` … `wg_communicating`), with its standard cut-off.
    case disability
    /// The `nationality` field (a `select_one`); nationalities with fewer persons than the threshold are
    /// counted in "other".
    case nationality

    public var description: String { rawValue }

    /// The dimension's name in table titles.
    public var title: String {
        switch self {
        case .sex: return "Sex"
        case .ageBand: return "Age"
        case .disability: return "Disability"
        case .nationality: return "Nationality"
        }
    }

    /// Reads `sex,age_band,disability,nationality` (any order, no repeats).
    public static func list(_ text: String) -> [ReportDimension]? {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let dimensions = names.compactMap { ReportDimension(rawValue: $0) }
        guard !names.isEmpty, dimensions.count == names.count, Set(dimensions).count == dimensions.count else {
            return nil
        }
        return dimensions
    }
}

/// One category of a dimension or of the services: its stored name, its label, its HXL attributes.
public struct ReportCategory: Hashable, Sendable {
    /// The choice name (`female`, `syr`, `18-59`, `unknown`).
    public let name: String
    /// The label in the report's language.
    public let label: String
    /// HXL attributes without the `+` (`f`, `children`, `age0_4`).
    public let hxl: [String]

    public init(name: String, label: String, hxl: [String]) {
        self.name = name
        self.label = label
        self.hxl = hxl
    }
}

/// The Washington Group short set as the intake template asks it.
public enum WashingtonGroup {
    /// The six domains' field names.
    public static let fields = [
        "wg_seeing", "wg_hearing", "wg_walking", "wg_remembering", "wg_self_care", "wg_communicating",
    ]
    /// The four answers, from least to most difficulty.
    public static let answers = ["no_difficulty", "some_difficulty", "a_lot_of_difficulty", "cannot_do_at_all"]

    /// The standard cut-off: with a disability when at least one domain is answered "a lot of difficulty"
    /// or "cannot do at all"; without when all six are answered and none is; unknown otherwise (not asked,
    /// e.g. of a child, or incomplete).
    public static func status(answers: [Int?]) -> DisabilityStatus {
        if answers.contains(where: { ($0 ?? 0) >= 2 }) { return .with }
        return answers.count == fields.count && answers.allSatisfy({ $0 != nil }) ? .without : .unknown
    }
}

/// A person's disability status by the Washington Group cut-off.
public enum DisabilityStatus: Int, CaseIterable, Sendable {
    case with = 0
    case without = 1
    case unknown = 2
}

/// The fields of the template that describes persons, resolved to category lists.
struct ReportSchema: Sendable {
    static let unknownName = "unknown"
    static let otherName = "other"

    let template: Template
    let language: String
    let ageBands: ReportAgeBands
    /// Categories per dimension, the last being "unknown" (not recorded); for nationality, the template's
    /// choices (grouping into "other" happens per period).
    let sex: [ReportCategory]
    let age: [ReportCategory]
    let disability: [ReportCategory]
    let nationality: [ReportCategory]
    /// Which WG fields the template has (all six are needed for "without disability").
    let wgFields: [String]
    let hasSex: Bool
    let hasAge: Bool
    let hasNationality: Bool
    /// Whether the template asks about unaccompanied or separated children.
    let hasUnaccompanied: Bool
    /// The index of the template's own "other" nationality, if any.
    let nationalityOther: Int?
    /// Services given, from every template with a `services_provided` field.
    let services: [ReportCategory]
    let serviceTemplates: [TemplateID]

    static let unaccompaniedField = "unaccompanied_child"
    static let servicesField = "services_provided"

    init(
        template: Template, library: [Template], dimensions: [ReportDimension], ageBands: ReportAgeBands,
        language: String
    ) throws(ReportError) {
        self.template = template
        self.language = language
        self.ageBands = ageBands
        let id = template.id.rawValue
        func label(_ text: LocalizedText, _ fallback: String) -> String {
            text.text(in: language, fallbacks: ["en"] + template.languages) ?? fallback
        }
        func select(_ name: String, _ dimension: ReportDimension) throws(ReportError) -> [Choice]? {
            guard let field = template.field(named: name) else {
                if dimensions.contains(dimension) {
                    throw .missingField(template: id, dimension: dimension, field: name)
                }
                return nil
            }
            guard case .selectOne = field.kind, let list = template.choices(for: field) else {
                throw .wrongFieldType(template: id, field: name, expected: "a select_one")
            }
            return list.choices
        }
        let unknown = { (hxl: String) in ReportCategory(name: Self.unknownName, label: "Not recorded", hxl: [hxl]) }

        let sexChoices = try select("sex", .sex)
        hasSex = sexChoices != nil
        sex =
            (sexChoices ?? []).map { choice in
                let hxl: String
                switch choice.name {
                case "female": hxl = "f"
                case "male": hxl = "m"
                default: hxl = "sex_" + HXL.attributeSafe(choice.name)
                }
                return ReportCategory(name: choice.name, label: label(choice.label, choice.name), hxl: [hxl])
            } + [unknown("sex_unknown")]

        if let field = template.field(named: "age") {
            guard field.kind == .age else { throw .wrongFieldType(template: id, field: "age", expected: "an age") }
            hasAge = true
        } else if dimensions.contains(.ageBand) {
            throw .missingField(template: id, dimension: .ageBand, field: "age")
        } else {
            hasAge = false
        }
        age =
            ageBands.bands.map { ReportCategory(name: $0.name, label: $0.printed, hxl: $0.hxlAttributes) }
            + [unknown("age_unknown")]

        var wg: [String] = []
        for name in WashingtonGroup.fields {
            guard let field = template.field(named: name) else { continue }
            guard case .selectOne = field.kind,
                let list = template.choices(for: field),
                WashingtonGroup.answers.allSatisfy({ list.choice(named: $0) != nil })
            else {
                throw .wrongFieldType(
                    template: id, field: name, expected: "a select_one with the four Washington Group answers")
            }
            wg.append(name)
        }
        if wg.isEmpty && dimensions.contains(.disability) {
            throw .missingField(template: id, dimension: .disability, field: WashingtonGroup.fields[0])
        }
        wgFields = wg
        disability = [
            ReportCategory(name: "with_disability", label: "With disability", hxl: ["disabled"]),
            ReportCategory(name: "without_disability", label: "Without disability", hxl: ["nondisabled"]),
            ReportCategory(name: Self.unknownName, label: "Not asked or incomplete", hxl: ["disability_unknown"]),
        ]

        let nationalityChoices = try select("nationality", .nationality)
        hasNationality = nationalityChoices != nil
        var nationality = (nationalityChoices ?? []).map { choice in
            ReportCategory(
                name: choice.name, label: label(choice.label, choice.name),
                hxl: ["nationality_" + HXL.attributeSafe(choice.name)])
        }
        nationalityOther = nationality.firstIndex { $0.name == Self.otherName }
        nationality.append(unknown("nationality_unknown"))
        self.nationality = nationality

        if let field = template.field(named: Self.unaccompaniedField) {
            guard field.kind == .yesNo else {
                throw .wrongFieldType(template: id, field: Self.unaccompaniedField, expected: "a yes_no")
            }
            hasUnaccompanied = true
        } else {
            hasUnaccompanied = false
        }

        var services: [ReportCategory] = []
        var serviceTemplates: [TemplateID] = []
        for other in library {
            guard let field = other.field(named: Self.servicesField), case .selectMultiple = field.kind,
                let list = other.choices(for: field)
            else { continue }
            serviceTemplates.append(other.id)
            for choice in list.choices where !services.contains(where: { $0.name == choice.name }) {
                services.append(
                    ReportCategory(
                        name: choice.name,
                        label: choice.label.text(in: language, fallbacks: ["en"] + other.languages) ?? choice.name,
                        hxl: ["service_" + HXL.attributeSafe(choice.name)]))
            }
        }
        self.services = services
        self.serviceTemplates = serviceTemplates
    }

    /// The categories of `dimension` as recorded (before grouping).
    func categories(_ dimension: ReportDimension) -> [ReportCategory] {
        switch dimension {
        case .sex: return sex
        case .ageBand: return age
        case .disability: return disability
        case .nationality: return nationality
        }
    }

    /// The size of the joint count array: every combination of recorded categories.
    var jointSize: Int { sex.count * age.count * disability.count * nationality.count }

    func jointIndex(sex s: Int, age a: Int, disability d: Int, nationality n: Int) -> Int {
        ((s * age.count + a) * disability.count + d) * nationality.count + n
    }
}
