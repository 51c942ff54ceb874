import Foundation
import Testing

@testable import SeparaKit

@Suite("Consent text")
struct ConsentTextTests {
    static let config: WorkspaceConfig = {
        var config = WorkspaceConfig.defaults(siteName: "Test HSP")
        config.controller = .init(name: "Example Red Cross", contact: "+00 000 000 000, info@example.org")
        config.retentionMonths = 18
        return config
    }()

    @Test(
        "intake's consent is generated in each language: purposes, what is collected, access, storage, retention, contact",
        arguments: ["en", "fr", "es", "ar"])
    func intakeConsent(language: String) throws {
        let template = try ShippedTemplatesTests.shipped("intake")
        let consent = try #require(ConsentText.generate(template, language: language, config: Self.config))
        let text = consent.text
        #expect(consent.isRightToLeft == (language == "ar"))
        // Every purpose used is read out, with what is collected for it.
        for purpose in template.purposes { #expect(text.contains(purpose.text[language]!), "purpose \(purpose.id)") }
        #expect(text.contains(template.field(named: "sex")!.summary[language]!))
        #expect(text.contains(template.field(named: "phone")!.summary[language]!))
        // The six Washington Group questions are named once, not six times.
        let wgSummary = template.field(named: "wg_seeing")!.summary[language]!
        #expect(text.components(separatedBy: wgSummary).count == 2)
        #expect(text.contains(template.settings.access[language]!))
        #expect(text.contains(template.settings.storage[language]!))
        #expect(text.contains("Example Red Cross"))
        #expect(text.contains("+00 000 000 000, info@example.org"))
        #expect(text.contains("18"))
        // One bullet per purpose, in the order purposes are first used.
        #expect(consent.paragraphs.filter { $0.hasPrefix("• ") }.count == 7)
    }

    @Test("the template's own controller, contact and retention win over separa.json")
    func templateSettingsWin() throws {
        var template = try ShippedTemplatesTests.shipped("visit")
        template.settings.controller = "Other Society"
        template.settings.contact = "desk"
        template.settings.retentionMonths = 1
        let consent = try #require(ConsentText.generate(template, language: "en", config: Self.config))
        #expect(consent.text.contains("The organisation responsible for it: Other Society."))
        #expect(consent.text.contains("Questions or complaints: desk"))
        #expect(consent.text.contains("we delete it 1 month after your last visit"))
        #expect(!consent.text.contains("Example Red Cross"))
    }

    @Test("without separa.json the statement still reads plainly")
    func withoutConfig() throws {
        let template = try ShippedTemplatesTests.shipped("intake")
        let consent = try #require(ConsentText.generate(template, language: "fr", config: nil))
        #expect(consent.text.contains("l’organisation qui gère ce point de service"))
        #expect(!consent.text.contains("mois après"))  // no retention known: not invented
    }

    @Test(
        "Arabic months agree with the number",
        arguments: [
            (1, "شهر واحد"), (2, "شهرين"), (3, "3 أشهر"), (10, "10 أشهر"), (11, "11 شهرًا"), (24, "24 شهرًا"),
            (100, "100 شهر"),
        ])
    func arabicMonths(months: Int, expected: String) {
        #expect(ConsentWording.arabicMonths(months) == expected)
    }

    @Test("separa init's placeholders are never read to a person")
    func placeholdersNotRead() throws {
        let template = try ShippedTemplatesTests.shipped("intake")
        let consent = try #require(
            ConsentText.generate(template, language: "en", config: .defaults(siteName: "Test HSP")))
        #expect(!consent.text.contains("separa.json"))
        #expect(
            consent.text.contains("The organisation responsible for it: the organisation that runs this service point.")
        )
        #expect(consent.text.contains("Questions or complaints: ask the staff of this service point"))
    }

    @Test("no wording for a language Separa does not ship: nil, not a wrong-language text")
    func unknownLanguage() throws {
        let template = try ShippedTemplatesTests.shipped("intake")
        #expect(ConsentText.generate(template, language: "ti") == nil)
        #expect(ConsentText.languages == ["en", "fr", "es", "ar"])
    }

    @Test(
        "the fixed consent sentences contain no word the checker refuses (they are read to people)",
        arguments: ["en", "fr", "es", "ar"])
    func wordingIsClean(language: String) throws {
        let template = try ShippedTemplatesTests.shipped("visit")
        let consent = try #require(ConsentText.generate(template, language: language, config: Self.config))
        for paragraph in consent.paragraphs {
            #expect(TemplateKeywords.protectionMatch(paragraph, language: language) == nil, "\(paragraph)")
        }
    }
}
