import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// Erasure reaches every file Separa wrote that held the person, whatever its format: the output manifest
/// names PDFs and PNGs that draw codes as glyphs and QR codes, which no search of their bytes finds.
@Suite("Output manifest")
struct OutputManifestTests {
    typealias F = KeyFileFixture

    /// A code list file on the clerk's desk.
    static func list(_ fixture: KeyFileFixture, _ codes: [CaseCode]) throws -> String {
        try fixture.slips(codes.map(\.display).joined(separator: "\n") + "\n", name: "codes-\(UUID().uuidString).txt")
            .path
    }

    @Test(
        "purge --code lists the reissue card, the cards, label sheets and thermal PNGs that held the person, and --delete-outputs removes them"
    )
    func erasureListsAndRemovesEveryOutput() throws {
        let fixture = try F(controller: true)
        let person = fixture.codes[0]
        let other = fixture.codes[5]
        _ = try fixture.keyFile.add(slips: fixture.canarySlips(others: 0), template: "intake")
        _ = try fixture.keyFile.merge(passphrase: F.passphrase)
        let workspace = fixture.workspace
        let store = fixture.store

        let cards = try CodeCards.run(
            workspace: workspace, store: store, selection: .list(path: try Self.list(fixture, [person, other])))
        let sheet = try LabelSheets.run(
            workspace: workspace, store: store, selection: .list(path: try Self.list(fixture, [person])),
            sheet: .averyL7160)
        let png = try ThermalLabels.run(
            workspace: workspace, store: store, selection: .list(path: try Self.list(fixture, [person])),
            dotsPerInch: 203)
        let unrelated = try CodeCards.run(
            workspace: workspace, store: store, selection: .list(path: try Self.list(fixture, [other])),
            now: Date().addingTimeInterval(5))
        let reissue = try fixture.keyFile.reissue(
            person.display, reason: .exposed, passphrase: F.passphrase,
            printing: ReplacementPrinting(cardLanguages: ["en"]))
        let newCard = try #require(reissue.card)

        let dry = try Purge(keyFile: fixture.keyFile).erase(
            code: reissue.new.display, passphrase: F.passphrase, dryRun: true)
        for url in [cards.output, sheet.output, png.output, newCard] {
            #expect(dry.outputFiles.contains("output/\(url.lastPathComponent)"), "\(url.lastPathComponent)")
        }
        #expect(!dry.outputFiles.contains("output/\(unrelated.output.lastPathComponent)"))

        let done = try Purge(keyFile: fixture.keyFile).erase(
            code: reissue.new.display, passphrase: F.passphrase, deleteOutputs: true)
        #expect(Set(done.deletedOutputs) == Set(done.outputFiles))
        for url in [cards.output, sheet.output, png.output, newCard] {
            #expect(!FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent)")
        }
        #expect(FileManager.default.fileExists(atPath: unrelated.output.path))
        // The manifest forgets the person's codes with them.
        let left = try store.database.read { db in try String.fetchAll(db, sql: "SELECT holds FROM output_file") }
        #expect(!left.contains(person.canonical) && !left.contains(reissue.new.canonical))
        #expect(left.contains(other.canonical))
    }
}
