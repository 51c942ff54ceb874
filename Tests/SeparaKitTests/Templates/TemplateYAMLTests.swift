import Foundation
import Testing

@testable import SeparaKit

@Suite("Template YAML")
struct TemplateYAMLTests {
    static let small = """
        id: small
        version: 2
        languages: [en, fr]
        title: {en: Small, fr: Petit}
        settings:
          retentionMonths: 12
          access: {en: Staff, fr: Personnel}
          storage: {en: Locked, fr: Sous clé}
        purposes:
          help: {en: To help you, fr: Pour vous aider}
        identity: []
        sensitive:
          - fields:
              - name: visits
                type: integer
                min: 0
                max: 50
                label: {en: Visits, fr: Visites}
                purpose: help
              - name: phone
                type: yes_no
                label: {en: Phone, fr: Téléphone}
                purpose: help
              - name: weight
                type: decimal
                label: {en: Weight, fr: Poids}
        choices: {}

        """

    @Test("checker messages cite the YAML line of the field")
    func lineNumbers() throws {
        let (template, diagnostics) = TemplateYAML.decode(Self.small, file: "templates/small.yaml")
        #expect(diagnostics.isEmpty)
        let errors = TemplateChecker.check(try #require(template)).errors
        let identity = try #require(errors.first { $0.rule == .identityOnSensitiveSheet })
        #expect(identity.location == .yaml(file: "templates/small.yaml", line: 20))
        let purpose = try #require(errors.first { $0.rule == .missingPurpose })
        #expect(
            purpose.description
                == "templates/small.yaml:24: error: field 'weight' has no purpose. Say why it is collected: add purpose: KEY and declare KEY under purposes (or drop the field: collect only what you need)"
        )
    }

    @Test("structure mistakes are reported at their line, with what to write")
    func structureErrors() throws {
        let broken = Self.small.replacingOccurrences(of: "type: integer", with: "type: number")
            .replacingOccurrences(of: "max: 50", with: "maxx: 50")
        let (_, diagnostics) = TemplateYAML.decode(broken, file: "t.yaml")
        let descriptions = diagnostics.map(\.description)
        #expect(descriptions.contains { $0.hasPrefix("t.yaml:15: error: field 'visits' has unknown type 'number'") })
        #expect(descriptions.contains { $0.hasPrefix("t.yaml:17: error: unknown key 'maxx' in a field") })
    }

    @Test("invalid YAML is one error with its line")
    func invalidYAML() {
        let (template, diagnostics) = TemplateYAML.decode("id: x\nlanguages: [en\n", file: "bad.yaml")
        #expect(template == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location?.description.hasPrefix("bad.yaml:") == true)
    }

    @Test("a date field needs a format it understands")
    func dateFormat() {
        let yaml = Self.small.replacingOccurrences(of: "type: decimal", with: "type: date\n        format: DD/MM/YY")
        let (_, diagnostics) = TemplateYAML.decode(yaml, file: "t.yaml")
        #expect(diagnostics.contains { $0.rule == .invalidValue && $0.message.contains("date format 'DD/MM/YY'") })
    }

    @Test("encode then decode gives the same template", arguments: ["intake", "visit"])
    func roundTrip(name: String) throws {
        let template = try ShippedTemplatesTests.shipped(name)
        let text = try TemplateYAML.encode(template)
        let (decoded, diagnostics) = TemplateYAML.decode(text, file: "templates/\(name).yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        let again = try #require(decoded)
        #expect(strip(again) == strip(template))
        #expect(text.contains("retentionMonths") == (template.settings.retentionMonths != nil))
    }

    /// The template without source locations (they differ between two files).
    func strip(_ template: Template) -> Template {
        var copy = template
        copy.source = nil
        copy.settings.location = nil
        copy.purposes = copy.purposes.map { Purpose(id: $0.id, text: $0.text) }
        copy.choiceLists = copy.choiceLists.map {
            ChoiceList(name: $0.name, choices: $0.choices.map { Choice(name: $0.name, label: $0.label) })
        }
        func clean(_ field: Field) -> Field {
            var field = field
            field.location = nil
            return field
        }
        copy.identity = copy.identity.map(clean)
        copy.sensitivePages = copy.sensitivePages.map { Page(title: $0.title, fields: $0.fields.map(clean)) }
        return copy
    }
}

@Suite("Dates, ages and lookups")
struct TemplateValuesTests {
    @Test("dates are parsed strictly in the declared format")
    func dates() throws {
        let format = try DateFormat(pattern: "DD/MM/YYYY")
        #expect(format.parse("05/03/2024") == .success(CalendarDate(year: 2024, month: 3, day: 5)!))
        #expect(format.parse(" 5/3/2024 ") == .success(CalendarDate(year: 2024, month: 3, day: 5)!))
        #expect(format.parse("05-03-2024") == .success(CalendarDate(year: 2024, month: 3, day: 5)!))
        // ISO: unambiguous
        #expect(format.parse("2024-03-05") == .success(CalendarDate(year: 2024, month: 3, day: 5)!))
        #expect(format.parse("29/02/2024") == .success(CalendarDate(year: 2024, month: 2, day: 29)!))
        #expect(format.parse("29/02/2023") == .failure(.impossibleDate))
        #expect(format.parse("31/02/2024") == .failure(.impossibleDate))
        #expect(format.parse("31/04/2024") == .failure(.impossibleDate))
        #expect(format.parse("05/13/2024") == .failure(.impossibleDate))
        #expect(format.parse("05/03/24") == .failure(.twoDigitYear))
        #expect(format.parse("05032024") == .failure(.wrongShape))
        #expect(format.parse("5 March 2024") == .failure(.wrongShape))
        #expect(format.parse("") == .failure(.wrongShape))
        #expect(format.format(CalendarDate(year: 2024, month: 3, day: 5)!) == "05/03/2024")
        let american = try DateFormat(pattern: "mm-dd-yyyy")
        #expect(american.parse("03/05/2024") == .success(CalendarDate(year: 2024, month: 3, day: 5)!))
        #expect(american.pattern == "MM-DD-YYYY")
        #expect(throws: DateFormat.Problem.invalidPattern) { try DateFormat(pattern: "DD/MM") }
        #expect(throws: DateFormat.Problem.invalidPattern) { try DateFormat(pattern: "DD/DD/YYYY") }
    }

    @Test("every day of four years round-trips through DD/MM/YYYY, and no impossible day is accepted")
    func datesExhaustive() throws {
        let format = DateFormat.dayMonthYear
        for year in 2023...2026 {
            for month in 1...12 {
                for day in 1...31 {
                    let text = String(format: "%02d/%02d/%04d", day, month, year)
                    if let date = CalendarDate(year: year, month: month, day: day) {
                        #expect(format.parse(text) == .success(date))
                        #expect(format.format(date) == text)
                    } else {
                        #expect(format.parse(text) == .failure(.impossibleDate))
                    }
                }
            }
        }
    }

    @Test("ages: whole years 0–120, or one of the five bands")
    func ages() {
        #expect(AgeValue.parse("34") == .years(34))
        #expect(AgeValue.parse("0") == .years(0))
        #expect(AgeValue.parse("120") == .years(120))
        #expect(AgeValue.parse("34.0") == .years(34))
        #expect(AgeValue.parse("121") == nil)
        #expect(AgeValue.parse("-1") == nil)
        #expect(AgeValue.parse("3.5") == nil)
        #expect(AgeValue.parse("12–17") == .band(.from12to17))
        #expect(AgeValue.parse("0 - 4") == .band(.from0to4))
        #expect(AgeValue.parse("60+") == .band(.from60))
        #expect(AgeValue.parse("10-20") == nil)
        #expect(AgeValue.years(17).band == .from12to17)
        #expect(AgeValue.years(18).band == .from18to59)
        #expect(AgeBand.allCases.map(\.printed) == ["0–4", "5–11", "12–17", "18–59", "60+"])
        for years in 0...120 { #expect(AgeBand(years: years)?.lowerBound ?? 999 <= years) }
    }

    @Test("a CSV header finds its field by name or by label in any language, ignoring case, accents and spaces")
    func headerLookup() throws {
        let template = try ShippedTemplatesTests.shipped("intake")
        for header in [
            "given_name", "Given name", "GIVEN-NAME ", "prénom", "PRENOM", "Nombre", "الاسم", "nationalité", "Âge",
            "age",
        ] {
            #expect(template.field(matchingHeader: header).value != nil, "\(header)")
        }
        #expect(template.field(matchingHeader: "Prénom").value?.name == "given_name")
        #expect(template.field(matchingHeader: "unknown column").value == nil)
        #expect(template.field(matchingHeader: "unaccompanied_child_referral").value == nil)  // notes are never columns
    }

    @Test("a transcribed answer finds its choice by name or by label in any language")
    func choiceLookup() throws {
        let template = try ShippedTemplatesTests.shipped("intake")
        let sex = try #require(template.choiceList(named: "sex"))
        #expect(sex.choice(matching: "female").value?.name == "female")
        #expect(sex.choice(matching: "Femme").value?.name == "female")
        #expect(sex.choice(matching: "MUJER").value?.name == "female")
        #expect(sex.choice(matching: "أنثى").value?.name == "female")
        #expect(sex.choice(matching: "woman").value == nil)
        let yesNo = try #require(template.choices(for: template.field(named: "consent")!))
        #expect(yesNo.choice(matching: "Sí").value?.name == "yes")
        #expect(yesNo.choice(matching: "si").value?.name == "yes")
        #expect(yesNo.choice(matching: "نعم").value?.name == "yes")
        #expect(yesNo.choice(matching: "non").value?.name == "no")
    }
}
