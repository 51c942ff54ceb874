import Foundation
import Testing

@testable import SeparaKit

@Suite("Template checker")
struct TemplateCheckerTests {
    /// The shipped intake with one more field on its first sensitive page.
    static func intake(adding field: Field, choices: ChoiceList? = nil) throws -> Template {
        var template = try ShippedTemplatesTests.shipped("intake")
        if field.sheet == .identity {
            template.identity.append(field)
        } else {
            template.sensitivePages[0].fields.append(field)
        }
        if let choices { template.choiceLists.append(choices) }
        return template
    }

    static func field(_ name: String, _ kind: FieldKind = .yesNo, label: [String: String], sheet: Sheet = .sensitive)
        -> Field
    {
        var labels = ["en": "Question", "fr": "Question", "es": "Pregunta", "ar": "سؤال"]
        for (language, text) in label { labels[language] = text }
        return Field(
            name: name, kind: kind, label: LocalizedText(labels), purpose: "fair_help", sheet: sheet,
            location: .yaml(file: "templates/intake.yaml", line: 99))
    }

    static func rules(_ template: Template) -> [TemplateDiagnostic.Rule] {
        TemplateChecker.check(template).errors.map(\.rule)
    }

    // MARK: Identity on a sensitive sheet

    @Test(
        "an identity field on a sensitive sheet is refused, recognised by its label in each shipped language",
        arguments: [
            ("en", "Phone number"), ("en", "Family name"), ("en", "E-mail"), ("en", "Home address"),
            ("en", "Passport number"),
            ("en", "Date of birth"), ("en", "Photo"), ("en", "Signature"),
            ("fr", "Téléphone"), ("fr", "Nom de famille"), ("fr", "Prénom"), ("fr", "Adresse"),
            ("fr", "Numéro de la pièce d’identité"),
            ("fr", "Date de naissance"), ("fr", "Courriel"),
            ("es", "Nombre"), ("es", "Apellidos"), ("es", "Número de teléfono"), ("es", "Dirección"),
            ("es", "Pasaporte"),
            ("es", "Fecha de nacimiento"), ("es", "Firma"),
            ("ar", "رقم الهاتف"), ("ar", "الاسم"), ("ar", "اسم العائلة"), ("ar", "العنوان"), ("ar", "رقم جواز السفر"),
            ("ar", "تاريخ الميلاد"),
            ("ar", "التوقيع"), ("ar", "البريد الإلكتروني"),
        ])
    func identityByLabel(language: String, label: String) throws {
        let template = try Self.intake(adding: Self.field("q1", .selectOne(list: "sex"), label: [language: label]))
        let errors = TemplateChecker.check(template).errors
        let error = try #require(errors.first { $0.rule == .identityOnSensitiveSheet }, "\(label) was not recognised")
        #expect(error.location == .yaml(file: "templates/intake.yaml", line: 99))
        #expect(error.description.hasPrefix("templates/intake.yaml:99: error: field 'q1' looks like"))
        #expect(error.description.contains("its \(language) text"))
        #expect(throws: TemplateError.self) { try TemplateChecker.requireUsable(template, allowFreeText: true) }
    }

    @Test(
        "an identity field is recognised by its name",
        arguments: [
            "phone", "given_name", "familyName", "dateOfBirth", "email", "passport_no", "id_number", "dob",
            "home_address", "photo", "signature", "telefono", "prenom",
        ])
    func identityByName(name: String) throws {
        let template = try Self.intake(adding: Self.field(name, label: [:]))
        #expect(Self.rules(template).contains(.identityOnSensitiveSheet))
    }

    @Test("a date about birth is a date of birth, whatever its words (recognised by type)")
    func identityByType() throws {
        let template = try Self.intake(
            adding: Self.field("when", .date(format: .dayMonthYear), label: ["en": "When were you born?"]))
        let error = try #require(TemplateChecker.check(template).errors.first { $0.rule == .identityOnSensitiveSheet })
        #expect(error.message.contains("a date of birth"))
        #expect(error.fix.contains("use type age"))
    }

    @Test("the same identity field is fine on the identity slip")
    func identityOnSlipIsFine() throws {
        let template = try Self.intake(
            adding: Self.field(
                "phone2", .yesNo,
                label: ["en": "Phone number", "fr": "Téléphone", "es": "Teléfono", "ar": "رقم الهاتف"], sheet: .identity
            ))
        #expect(!Self.rules(template).contains(.identityOnSensitiveSheet))
    }

    @Test("labels are checked with their own language's words: French 'nombre' (number) is not Spanish 'nombre' (name)")
    func noCrossLanguageFalsePositive() throws {
        let template = try Self.intake(
            adding: Self.field("children_count", .integer(min: 0, max: 20), label: ["fr": "Nombre d’enfants"]))
        #expect(TemplateChecker.check(template).errors.isEmpty)
    }

    // MARK: Protection incidents and SGBV

    @Test(
        "a field about sexual violence or a protection incident is refused in each shipped language, with the reason",
        arguments: [
            ("en", "Have you experienced sexual violence?"), ("en", "Details of the trafficking incident"),
            ("en", "Were you raped?"),
            ("en", "Type of abuse"), ("en", "Perpetrator"),
            ("fr", "Avez-vous subi des violences sexuelles ?"), ("fr", "Détails de l’agression"), ("fr", "Viol"),
            ("fr", "Exploitation sexuelle"),
            ("es", "¿Ha sufrido violencia sexual?"), ("es", "Detalles de la violación"),
            ("es", "Víctima de trata de personas"), ("es", "Tipo de abuso"),
            ("ar", "هل تعرضت للعنف الجنسي؟"), ("ar", "تفاصيل الاغتصاب"), ("ar", "الاتجار بالبشر"),
            ("ar", "نوع الاعتداء"),
        ])
    func protectionByLabel(language: String, label: String) throws {
        for sheet in Sheet.allCases {
            let template = try Self.intake(adding: Self.field("q1", label: [language: label], sheet: sheet))
            let error = try #require(
                TemplateChecker.check(template).errors.first { $0.rule == .protectionIncident },
                "\(label) was not recognised")
            #expect(
                error.message.contains(
                    "disclosures of protection incidents and sexual or gender-based violence are not documented"))
            #expect(error.message.contains("staff give protection and information, and keep no notes"))
            #expect(error.fix.hasPrefix("remove the field"))
        }
    }

    @Test("SGBV is recognised in a field's name and in its choices")
    func protectionInNameAndChoices() throws {
        #expect(Self.rules(try Self.intake(adding: Self.field("gbv_type", label: [:]))).contains(.protectionIncident))
        let list = ChoiceList(
            name: "journey_events",
            choices: [
                Choice(name: "robbed", label: ["en": "Robbed", "fr": "Volé", "es": "Robado", "ar": "سُرق"]),
                Choice(
                    name: "other_event", label: ["en": "Sexual assault", "fr": "Autre", "es": "Otro", "ar": "أخرى"]),
            ])
        let template = try Self.intake(
            adding: Self.field(
                "journey", .selectMultiple(list: "journey_events"), label: ["en": "What happened on the way?"]),
            choices: list)
        #expect(Self.rules(template).contains(.protectionIncident))
    }

    // MARK: Other rules

    @Test("a field without purpose, or with an undeclared one, is refused")
    func purpose() throws {
        var field = Self.field("q1", label: [:])
        field.purpose = ""
        #expect(Self.rules(try Self.intake(adding: field)) == [.missingPurpose])
        field.purpose = "marketing"
        let error = try #require(TemplateChecker.check(try Self.intake(adding: field)).errors.first)
        #expect(error.rule == .missingPurpose)
        #expect(error.message.contains("'marketing', which is not declared"))
    }

    @Test("a select without choices is refused")
    func selectWithoutChoices() throws {
        #expect(
            Self.rules(try Self.intake(adding: Self.field("q1", .selectOne(list: "nowhere"), label: [:]))) == [
                .selectWithoutChoices
            ])
        let empty = ChoiceList(name: "empty", choices: [])
        #expect(
            Self.rules(try Self.intake(adding: Self.field("q1", .selectOne(list: "empty"), label: [:]), choices: empty))
                == [.selectWithoutChoices])
    }

    @Test("a label missing for a declared language is refused, naming the language")
    func missingLabel() throws {
        var field = Self.field("q1", label: [:])
        field.label.values["ar"] = nil
        let error = try #require(TemplateChecker.check(try Self.intake(adding: field)).errors.first)
        #expect(error.rule == .missingTranslation)
        #expect(error.message == "the label of field 'q1' has no text in ar")
    }

    @Test("a duplicate field name is refused")
    func duplicateName() throws {
        let error = try #require(
            TemplateChecker.check(try Self.intake(adding: Self.field("age", label: [:]))).errors.first {
                $0.rule == .duplicateName
            })
        #expect(error.message.contains("field name 'age' is used twice"))
    }

    @Test(
        "free text on a sensitive sheet: refused unless the template allows it; then a warning, and print/ingest need allowFreeText"
    )
    func freeText() throws {
        var field = Self.field("remarks", .text(maxLength: 80), label: [:])
        #expect(Self.rules(try Self.intake(adding: field)) == [.freeTextNotAllowed])
        field.allowFreeText = true
        let template = try Self.intake(adding: field)
        let diagnostics = TemplateChecker.check(template)
        #expect(diagnostics.errors.isEmpty)
        #expect(diagnostics.warnings.map(\.rule) == [.freeTextOnSensitiveSheet])
        #expect(throws: TemplateError.self) { try TemplateChecker.requireUsable(template, allowFreeText: false) }
        let warnings = try TemplateChecker.requireUsable(template, allowFreeText: true)
        #expect(warnings.count == 1)
    }

    @Test("a language without word lists is checked for the rest, with a warning that its labels were not screened")
    func uncheckedLanguage() throws {
        var template = try ShippedTemplatesTests.shipped("visit")
        template.languages.append("sw")
        let diagnostics = TemplateChecker.check(template)
        #expect(diagnostics.warnings.contains { $0.rule == .uncheckedLanguage && $0.message.contains("'sw'") })
        #expect(diagnostics.errors.contains { $0.rule == .missingTranslation })  // sw labels are missing
    }

    @Test("two choices a transcriber could not tell apart are refused")
    func ambiguousChoices() throws {
        let list = ChoiceList(
            name: "l",
            choices: [
                Choice(name: "a", label: ["en": "Yes", "fr": "Oui", "es": "Sí", "ar": "نعم"]),
                Choice(name: "b", label: ["en": "YES", "fr": "Non", "es": "No", "ar": "لا"]),
            ])
        let rules = Self.rules(
            try Self.intake(adding: Self.field("q1", .selectOne(list: "l"), label: [:]), choices: list))
        #expect(rules == [.duplicateName])
    }
}

@Suite("Checker word lists")
struct TemplateKeywordsTests {
    static let languages = ["en", "fr", "es", "ar"]

    @Test("every shipped language has identity words of every kind and SGBV words", arguments: languages)
    func tablesComplete(language: String) throws {
        let identity = try #require(TemplateKeywords.identity[language])
        for kind in TemplateKeywords.IdentityKind.allCases {
            #expect(identity.contains { $0.kind == kind }, "\(language) has no \(kind) words")
        }
        #expect((TemplateKeywords.protection[language] ?? []).count >= 20)
        #expect(TemplateKeywords.coveredLanguages.contains(language))
    }

    @Test("every word of every table is recognised inside a sentence", arguments: languages)
    func wordsMatchThemselves(language: String) {
        for word in TemplateKeywords.identity[language] ?? [] {
            let phrase = word.phrase.replacingOccurrences(of: "*", with: "")
            #expect(
                TemplateKeywords.identityMatch("(\(phrase.uppercased()))?", language: language) != nil, "\(word.phrase)"
            )
        }
        for word in TemplateKeywords.protection[language] ?? [] {
            let phrase = word.replacingOccurrences(of: "*", with: "")
            #expect(TemplateKeywords.protectionMatch("… \(phrase) …", language: language) != nil, "\(word)")
        }
    }

    @Test("matching ignores accents, case and Arabic letter forms, but needs whole words")
    func matching() {
        #expect(TemplateKeywords.identityMatch("TÉLÉPHONE", language: "fr")?.kind == .phone)
        #expect(TemplateKeywords.identityMatch("الهاتف", language: "ar")?.kind == .phone)
        #expect(TemplateKeywords.identityMatch("رقم الهويّة", language: "ar")?.kind == .document)
        #expect(TemplateKeywords.identityMatch("Nationality", language: "en") == nil)
        #expect(TemplateKeywords.identityMatch("Renamed", language: "en") == nil)
        #expect(TemplateKeywords.protectionMatch("Violación", language: "es") != nil)
        #expect(TemplateKeywords.protectionMatch("Se trata de su salud", language: "es") == nil)
        #expect(TemplateKeywords.protectionMatch("Vos données sont traitées", language: "fr") == nil)
    }
}
