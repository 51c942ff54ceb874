import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// `key reissue` and `key resolve`: a person gets a new code, their records follow it, the old code is refused
/// at ingest, and rejected sheets are rewritten to the current code.
@Suite("Reissue and resolve")
struct ReissueTests {
    typealias F = KeyFileFixture

    /// A key file holding the canary on codes[0] and two more people, and records for codes[0] and codes[1].
    struct Setup {
        let fixture: F
        let intake: Template
        var codes: [CaseCode] { fixture.codes }

        init(controller: Bool = true) throws {
            fixture = try F(controller: controller)
            _ = try fixture.keyFile.add(slips: try fixture.canarySlips(), template: "intake")
            _ = try fixture.keyFile.merge(passphrase: F.passphrase)
            intake = try TemplateLibrary(workspace: fixture.workspace).usableTemplate(
                named: "intake", allowFreeText: false
            ).template
            let rows = [
                IngestFixture.row(fixture.codes[0], day: 3), IngestFixture.row(fixture.codes[0], day: 4, age: "35"),
                IngestFixture.row(fixture.codes[0], day: 5, sex: "male"), IngestFixture.row(fixture.codes[1], day: 3),
            ]
            let summary = try ingest(rows, name: "first.csv")
            #expect(summary.stored == 4)
        }

        func ingest(_ rows: [String], name: String) throws -> Ingest.Summary {
            let url = try fixture.slips(([IngestFixture.header] + rows).joined(separator: "\n") + "\n", name: name)
            return try Ingest.run(
                workspace: fixture.workspace, store: fixture.store, template: intake, files: [url],
                options: Ingest.Options())[0]
        }

        func records(of code: CaseCode) throws -> [String] {
            try fixture.store.database.read { db in
                try String.fetchAll(
                    db, sql: "SELECT visit_date || '|' || fields FROM record WHERE code = ? ORDER BY visit_date",
                    arguments: [code.canonical])
            }
        }

        func status(of code: CaseCode) throws -> CodeStatus? {
            try fixture.store.database.read { db in try RegisteredCode.current(db, code: code.canonical)?.status }
        }

        func reissue(_ code: CaseCode, _ reason: ReissueReason = .lost, printing: ReplacementPrinting = .init())
            throws -> ReissueOutcome
        {
            try fixture.keyFile.reissue(code.display, reason: reason, passphrase: F.passphrase, printing: printing)
        }
    }

    @Test func reissueMovesEveryRecordLinksTheNewCodeAndRevokesTheOldOne() throws {
        let setup = try Setup()
        let old = setup.codes[0]
        let before = try setup.records(of: old)
        let otherBefore = try setup.records(of: setup.codes[1])
        #expect(before.count == 3)

        let outcome = try setup.reissue(old, .exposed)
        #expect(outcome.old == old && !outcome.resumed && outcome.movedRecords == 3)
        #expect(outcome.printFailure == nil)
        let new = outcome.new
        #expect(new != old)
        #expect(try setup.records(of: new) == before)
        #expect(try setup.records(of: old).isEmpty)
        #expect(try setup.records(of: setup.codes[1]) == otherBefore)
        #expect(try setup.status(of: old) == .revoked)
        #expect(try setup.status(of: new) == .used)

        // The key file links the new code to the same person and keeps old → new in their history.
        let content = try setup.fixture.open()
        #expect(content.entries[old.canonical] == nil)
        let entry = try #require(content.entries[new.canonical])
        #expect(entry.fields["given_name"] == F.canaryGiven && entry.fields["phone"] == F.canaryPhone)
        #expect(entry.history.map(\.from) == [old.canonical] && entry.history.map(\.to) == [new.canonical])
        #expect(entry.history.map(\.reason) == ["exposed"])
        guard case .replaced(let found) = try setup.fixture.keyFile.lookup(old.display, passphrase: F.passphrase)
        else {
            Issue.record("the old code no longer finds the person")
            return
        }
        #expect(found.code == new.canonical)

        // The store never pairs the two codes: the reissue entry names the old code and the reason only.
        let audit = try AuditLog.entries(in: setup.fixture.store)
        let reissue = try #require(audit.last { $0.action == .reissue })
        #expect(reissue.codes == old.canonical)
        #expect(reissue.detail == "reason=exposed; records=3")
        #expect(!audit.contains { $0.codes.contains(new.canonical) })
        #expect(try AuditLog.verify(setup.fixture.store, knownLength: content.auditMark?.seq).isEmpty)
        let batchKind = try setup.fixture.store.database.read { db in
            try String.fetchOne(
                db, sql: "SELECT kind FROM batch JOIN code ON code.batch = batch.id WHERE code.code = ?",
                arguments: [new.canonical])
        }
        #expect(batchKind == "reissue")

        // The replacement card: one card-sized page carrying the new code, never the old one.
        let card = try #require(outcome.card)
        #expect(card.lastPathComponent == "card-\(new.display).pdf")
        let pdf = try Data(contentsOf: card)
        #expect(pdf.starts(with: Data("%PDF".utf8)))
        #expect(pdf.range(of: Data(old.display.utf8)) == nil && pdf.range(of: Data(old.canonical.utf8)) == nil)
    }

    @Test func theOldCodeIsRefusedAtIngestAndResolveRewritesTheRejectedRows() throws {
        let setup = try Setup()
        let old = setup.codes[0]
        let new = try setup.reissue(old, printing: .init(card: false)).new

        let late = try setup.ingest(
            [IngestFixture.row(old, day: 9), IngestFixture.row(setup.codes[1], day: 9)], name: "late.csv")
        #expect(late.stored == 1 && late.rejected == 1)
        let rejects = try #require(late.rejectsURL)
        let rows = try IngestFixture.rejects(late)
        #expect(rows.count == 1 && rows[0][2] == RowProblem.revokedCode.description)

        let resolved = try setup.fixture.keyFile.resolve(rejects: rejects, passphrase: F.passphrase)
        #expect(resolved == ResolveSummary(output: rejects, rows: 1, resolved: 1, unresolvable: 0))
        let text = String(decoding: try Data(contentsOf: rejects), as: UTF8.self)
        #expect(text.contains(new.display))
        #expect(!text.contains(old.display) && !text.contains(old.canonical))
        #expect(text.contains(KeyFile.resolvedReason))
        #expect(try AuditLog.entries(in: setup.fixture.store).last?.action == .keyResolve)
        #expect(try AuditLog.entries(in: setup.fixture.store).last?.codes == "")

        // Imported again, the row lands under the current code.
        let again = try Ingest.run(
            workspace: setup.fixture.workspace, store: setup.fixture.store, template: setup.intake, files: [rejects],
            options: Ingest.Options())[0]
        #expect(again.stored == 1 && again.rejected == 0)
        #expect(try setup.records(of: new).count == 4)
        #expect(try setup.records(of: old).isEmpty)
    }

    @Test func aChainOfReissuesResolvesToTheLatestCode() throws {
        let setup = try Setup()
        let first = setup.codes[0]
        let second = try setup.reissue(first, printing: .init(card: false)).new
        let third = try setup.reissue(second, .duplicate, printing: .init(card: false)).new
        #expect(try setup.records(of: third).count == 3)
        let content = try setup.fixture.open()
        #expect(content.currentCode(replacing: first.canonical) == third.canonical)
        #expect(content.currentCode(replacing: second.canonical) == third.canonical)
        #expect(content.entries[third.canonical]?.history.map(\.reason) == ["lost", "duplicate"])

        let late = try setup.ingest([IngestFixture.row(first, day: 12)], name: "late.csv")
        let rejects = try #require(late.rejectsURL)
        let out = setup.fixture.desk.appendingPathComponent("resolved.csv")
        let summary = try setup.fixture.keyFile.resolve(rejects: rejects, output: out, passphrase: F.passphrase)
        #expect(summary.resolved == 1)
        #expect(String(decoding: try Data(contentsOf: out), as: UTF8.self).contains(third.display))
        // Written elsewhere, the rejects file itself is left as it was.
        #expect(String(decoding: try Data(contentsOf: rejects), as: UTF8.self).contains(first.display))
    }

    @Test func refusalsChangeNothing() throws {
        let setup = try Setup()
        let fixture = setup.fixture
        // A valid code this workspace never issued.
        var rng = SeededGenerator(seed: 7)
        let stranger = CodeGenerator(randomLength: 11).next(using: &rng)
        // A code whose slip waits, unmerged, in the inbox.
        _ = try fixture.keyFile.add(
            slips: try fixture.slips("code,given_name,family_name,phone,consent\n\(setup.codes[6].display),A,B,,yes\n"),
            template: "intake")

        func snapshot() throws -> [Data] {
            [
                try Data(contentsOf: fixture.keyFile.url),
                try Data(contentsOf: fixture.workspace.storeURL),
            ]
        }
        let before = try snapshot()
        let cases: [(CaseCode, ReissueError)] = [
            (stranger, .notRegistered(code: stranger.display)),
            (fixture.revoked, .alreadyRevoked(code: fixture.revoked.display)),
            (setup.codes[5], .notLinked(code: setup.codes[5].display, waitingInInbox: false)),
            (setup.codes[6], .notLinked(code: setup.codes[6].display, waitingInInbox: true)),
        ]
        for (code, error) in cases {
            #expect(throws: error) { try setup.reissue(code) }
        }
        #expect(throws: KeyFileError.wrongPassphrase(path: "keys/identity.age")) {
            try fixture.keyFile.reissue(setup.codes[0].display, reason: .lost, passphrase: F.otherPassphrase)
        }
        // A mistyped code (two symbols swapped: the check symbol catches it) and a truncated one.
        var typo = Array(setup.codes[0].canonical)
        let swap = try #require(typo.indices.dropFirst().first { typo[$0] != typo[0] })
        typo.swapAt(0, swap)
        for text in [String(typo), String(setup.codes[0].canonical.prefix(8))] {
            #expect(throws: CodeError.self) {
                try fixture.keyFile.reissue(text, reason: .lost, passphrase: F.passphrase)
            }
        }
        #expect(try snapshot() == before)
        // Every message names the code typed and what to do, never a name.
        for (_, error) in cases {
            #expect(error.description.contains("separa "))
            #expect(!error.description.contains(F.canaryGiven))
        }
    }

    @Test func withoutAControllerTheCardCannotBeWordedAndNothingChanges() throws {
        let setup = try Setup(controller: false)
        let store = try Data(contentsOf: setup.fixture.workspace.storeURL)
        #expect(throws: PrintingError.self) { try setup.reissue(setup.codes[0]) }
        #expect(try Data(contentsOf: setup.fixture.workspace.storeURL) == store)
        // Without a card it goes through.
        #expect(try setup.reissue(setup.codes[0], printing: .init(card: false)).movedRecords == 3)
    }

    @Test func aReissueStoppedAfterTheKeyFileWasSavedCompletesWhenRunAgain() throws {
        let setup = try Setup()
        let old = setup.codes[0]
        let backup = try DatabaseQueue()
        try setup.fixture.store.database.backup(to: backup)
        let first = try setup.reissue(old, printing: .init(card: false))
        // The store as it was before the reissue (the crash case, and a store restored from a backup):
        // the key file already says old → new.
        try backup.backup(to: setup.fixture.store.database)
        #expect(try setup.status(of: old) == .used)
        #expect(try setup.status(of: first.new) == nil)
        // Meanwhile a sheet with the old code was still accepted.
        let late = try setup.ingest([IngestFixture.row(old, day: 20)], name: "late.csv")
        #expect(late.stored == 1)

        let second = try setup.reissue(old, .other, printing: .init(card: false))
        #expect(second.resumed && second.new == first.new)
        #expect(second.reason == .lost)  // the reason the key file recorded
        #expect(second.movedRecords == 4)
        #expect(try setup.status(of: old) == .revoked)
        #expect(try setup.status(of: first.new) == .used)
        #expect(try setup.records(of: first.new).count == 4)
        // A third run finds it done.
        #expect(throws: ReissueError.alreadyRevoked(code: old.display)) { try setup.reissue(old) }
    }

    @Test func aSaveRemovesTheTempFilesAKilledSaveLeft() throws {
        let setup = try Setup()
        let keys = setup.fixture.workspace.keysURL
        let stale = keys.appendingPathComponent(".identity.age.tmp-AbC123")
        try Data("age-encryption.org/v1\n".utf8).write(to: stale)
        _ = try setup.reissue(setup.codes[1], printing: .init(card: false))
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(try setup.fixture.open().entries.count == 3)
    }
}
