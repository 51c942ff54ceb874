import Foundation
import Testing

@testable import SeparaKit

@Suite("Shipped templates")
struct ShippedTemplatesTests {
    static let languages = ["en", "fr", "es", "ar"]

    static func shipped(_ name: String) throws -> Template {
        let file = try #require(ShippedTemplates.files.first { $0.fileName == "\(name).yaml" })
        let (template, diagnostics) = TemplateYAML.decode(file.contents, file: "templates/\(file.fileName)")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        return try #require(template)
    }

    @Test("the embedded templates are byte-identical to the repository's templates/ folder")
    func embeddedMatchesRepository() throws {
        let folder = TestPaths.repository.appendingPathComponent("templates")
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
            .sorted()
        #expect(onDisk == ShippedTemplates.files.map(\.fileName).sorted(), "run: sh scripts/embed-templates.sh")
        for file in ShippedTemplates.files {
            let data = try Data(contentsOf: folder.appendingPathComponent(file.fileName))
            #expect(data == Data(file.contents.utf8), "\(file.fileName) differs: run sh scripts/embed-templates.sh")
        }
    }

    @Test("intake and visit ship, in English, French, Spanish and Arabic")
    func bothShipInFourLanguages() throws {
        #expect(Set(ShippedTemplates.files.map(\.fileName)) == ["intake.yaml", "visit.yaml"])
        for name in ["intake", "visit"] {
            let template = try Self.shipped(name)
            #expect(template.id.rawValue == name)
            #expect(template.languages == Self.languages)
        }
    }

    @Test("every shipped template passes the checker with no error and no warning", arguments: ["intake", "visit"])
    func passesChecker(name: String) throws {
        let template = try Self.shipped(name)
        let diagnostics = TemplateChecker.check(template)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(throws: Never.self) { try TemplateChecker.requireUsable(template, allowFreeText: false) }
    }

    @Test(
        "intake: identity slip holds the names, the optional phone and consent; nothing identifying is on the sensitive sheet"
    )
    func intakeIdentitySlip() throws {
        let template = try Self.shipped("intake")
        #expect(template.identity.map(\.name) == ["given_name", "family_name", "phone", "consent"])
        #expect(template.field(named: "phone")?.required == false)
        #expect(template.field(named: "consent")?.kind == .yesNo)
        #expect(template.field(named: "consent")?.required == true)
        #expect(template.sensitiveFields.allSatisfy { $0.sheet == .sensitive })
        #expect(!template.sensitiveFields.contains { $0.kind.isText })
    }

    @Test("intake: sex, age, nationality, the child question with its printed referral instruction, needs and services")
    func intakeSensitiveSheet() throws {
        let template = try Self.shipped("intake")
        let names = template.sensitiveFields.map(\.name)
        for name in ["sex", "age", "nationality", "unaccompanied_child", "needs", "services_requested"] {
            #expect(names.contains(name), "\(name) missing")
        }
        #expect(template.field(named: "age")?.kind == .age)
        #expect(template.field(named: "unaccompanied_child")?.kind == .yesNo)
        // The referral instruction is printed right beside the child question.
        let index = try #require(names.firstIndex(of: "unaccompanied_child"))
        let note = template.sensitiveFields[index + 1]
        #expect(note.kind == .note)
        for language in Self.languages { #expect(note.label[language] != nil) }
        #expect(note.label["en"]?.contains("refer the child today") == true)
    }

    @Test("intake: the Washington Group short set, its six questions with the four standard answers")
    func washingtonGroup() throws {
        let template = try Self.shipped("intake")
        let wg = template.sensitiveFields.filter { $0.name.hasPrefix("wg_") && $0.kind != .note }
        #expect(
            wg.map(\.name) == [
                "wg_seeing", "wg_hearing", "wg_walking", "wg_remembering", "wg_self_care", "wg_communicating",
            ])
        #expect(wg[0].label["en"] == "Do you have difficulty seeing, even if wearing glasses?")
        #expect(wg[1].label["en"] == "Do you have difficulty hearing, even if using a hearing aid?")
        #expect(wg[2].label["en"] == "Do you have difficulty walking or climbing steps?")
        #expect(wg[3].label["en"] == "Do you have difficulty remembering or concentrating?")
        #expect(wg[4].label["en"] == "Do you have difficulty (with self-care such as) washing all over or dressing?")
        #expect(
            wg[5].label["en"]
                == "Using your usual (customary) language, do you have difficulty communicating, for example understanding or being understood?"
        )
        for field in wg { #expect(field.kind == .selectOne(list: "wg_difficulty")) }
        let answers = try #require(template.choiceList(named: "wg_difficulty"))
        #expect(
            answers.choices.map { $0.label["en"] ?? "" } == [
                "No – no difficulty", "Yes – some difficulty", "Yes – a lot of difficulty", "Cannot do at all",
            ])
        for choice in answers.choices { for language in Self.languages { #expect(choice.label[language] != nil) } }
    }

    @Test("visit: visit date and services provided; no identity slip (the code comes from the person's card)")
    func visit() throws {
        let template = try Self.shipped("visit")
        #expect(template.identity.isEmpty)
        #expect(template.dataFields.map(\.name) == ["visit_date", "services_provided"])
        #expect(template.field(named: "visit_date")?.kind == .date(format: .dayMonthYear))
    }

    @Test("separa init copies the shipped templates into the new workspace")
    func initCopiesTemplates() throws {
        let folder = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try Workspace.create(
            at: folder.appendingPathComponent("ws"), config: .defaults(siteName: "Test HSP"))
        let library = try TemplateLibrary(workspace: workspace)
        #expect(library.ids == ["intake", "visit"])
        for entry in library.entries {
            #expect(entry.allDiagnostics.isEmpty, "\(entry.allDiagnostics.map(\.description))")
        }
        let usable = try library.usableTemplate(named: "intake", allowFreeText: false)
        #expect(usable.warnings.isEmpty)
        #expect(usable.template.dataFields.count == 17)
    }
}
