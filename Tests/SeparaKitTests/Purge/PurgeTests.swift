import Foundation
import GRDB
import Testing

@testable import SeparaKit

@Suite("Purge")
struct PurgeTests {
    typealias F = PurgeFixture

    // MARK: Dates

    @Test(arguments: [
        ("2026-03-15", 24, "2024-03-15"), ("2026-03-31", 1, "2026-02-28"), ("2024-03-31", 1, "2024-02-29"),
        ("2026-01-10", 1, "2025-12-10"), ("2026-01-10", 13, "2024-12-10"), ("2028-02-29", 12, "2027-02-28"),
        ("2026-05-31", 240, "2006-05-31"),
    ])
    func retentionCountsCalendarMonths(today: String, months: Int, expected: String) {
        #expect(RetentionDate.day(today, minusMonths: months) == expected)
    }

    // MARK: Retention

    /// A record exactly at the retention edge is due; one day younger is kept. Its code goes with it once
    /// nothing remains; the other person's code stays.
    @Test func aRecordExactlyAtTheEdgeIsDueAndOneDayYoungerIsKept() throws {
        let fixture = try F(keyFile: false)
        let codes = F.codes(2)
        try fixture.register(codes, day: "2024-03-01")
        try fixture.record(codes[0], visit: "2024-03-15")
        try fixture.record(codes[1], visit: "2024-03-16")

        let now = F.date("2026-03-15")
        let summary = try fixture.purge().retention(passphrase: nil, now: now)
        #expect(summary.records == 1 && summary.codes == 1 && summary.unusedCodes == 0 && summary.batches == 0)
        #expect(!summary.keyFile)
        #expect(try fixture.recordCodes() == [codes[1].canonical])
        #expect(try fixture.registered() == [codes[1].canonical])

        // The next day the other one is due, its batch left empty and removed.
        let next = try fixture.purge().retention(passphrase: nil, now: F.date("2026-03-16"))
        #expect(next.records == 1 && next.codes == 1 && next.batches == 1)
        #expect(try fixture.registered().isEmpty)
        let log = try AuditLog.entries(in: fixture.store)
        #expect(log.map(\.action) == [.purge, .purge])
        #expect(log.allSatisfy { $0.codes.isEmpty })
        #expect(log[0].detail.contains("records=1") && log[0].detail.contains("mode=retention"))
    }

    /// A template's retentionMonths (6 for `note`) overrides separa.json's (24).
    @Test func aTemplatesRetentionOverridesTheWorkspaces() throws {
        let fixture = try F(keyFile: false)
        let codes = F.codes(2)
        try fixture.register(codes, day: "2025-09-01")
        try fixture.record(codes[0], template: "note", visit: "2025-09-15")
        try fixture.record(codes[1], template: "intake", visit: "2025-09-15")
        let summary = try fixture.purge().retention(passphrase: nil, now: F.date("2026-03-15"))
        #expect(summary.records == 1)
        #expect(try fixture.recordCodes() == [codes[1].canonical])
        // The person of the note record is not due: their code's template (intake) keeps 24 months.
        #expect(summary.codes == 0)
        #expect(summary.unknownTemplates.isEmpty)
    }

    @Test func unusedCodesOlderThanTheRetentionAreRemovedAndIngestThenCallsThemUnregistered() throws {
        let fixture = try F(keyFile: false)
        let old = F.codes(3, seed: 1)
        let young = F.codes(1, seed: 2)
        try fixture.register(old, batch: "TEST-OLD", day: "2024-01-10", status: .issued, template: nil)
        try fixture.register(young, batch: "TEST-NEW", day: "2024-01-11")
        let summary = try fixture.purge().retention(passphrase: nil, now: F.date("2026-01-10"))
        #expect(summary.codes == 3 && summary.unusedCodes == 3 && summary.batches == 1)
        #expect(try fixture.registered() == [young[0].canonical])
        let check = try CodeRegistry(workspace: fixture.workspace, store: fixture.store).check([old[0].display])
        guard case .notRegistered = check[0].verdict else {
            Issue.record("a purged code is still known to the registry")
            return
        }
    }

    /// A person with a key entry: kept while any record remains or their last activity is recent; then
    /// the entry, the current and the revoked earlier code all go.
    @Test func aPersonGoesWithEveryEarlierCodeOnceNothingRemains() throws {
        let fixture = try F()
        let codes = F.codes(4)
        let (old, current, other, otherOld) = (codes[0], codes[1], codes[2], codes[3])
        try fixture.register([old, otherOld], day: "2023-01-01", status: .revoked)
        try fixture.register([current, other], batch: "TEST-2", day: "2023-06-01")
        try fixture.record(current, visit: "2023-06-10")
        try fixture.record(other, visit: "2023-06-10")
        try fixture.link(current, given: "Ana", earlier: [old], added: "2023-06-10")
        // The other person was reissued later: their last activity is the reissue.
        try fixture.link(other, given: "Bea", earlier: [otherOld], added: "2024-02-01")

        let purge = fixture.purge()
        let summary = try purge.retention(passphrase: F.passphrase, now: F.date("2025-06-10"))
        #expect(summary.records == 2)
        #expect(summary.keyEntries == 1 && summary.codes == 2 && summary.batches == 0)
        #expect(try fixture.registered() == [other.canonical, otherOld.canonical])
        let content = try fixture.content()
        #expect(content.entry(for: old.canonical) == nil && content.entry(for: current.canonical) == nil)
        #expect(content.entry(for: otherOld.canonical)?.code == other.canonical)
        // The key file knows where the audit log stood: the purge entry.
        let last = try #require(AuditLog.entries(in: fixture.store).last)
        #expect(last.action == .purge && content.auditMark?.seq == last.seq)
        #expect(try AuditLog.verify(fixture.store, knownLength: content.auditMark?.seq).isEmpty)

        let later = try purge.retention(passphrase: F.passphrase, now: F.date("2026-02-01"))
        #expect(later.keyEntries == 1 && later.codes == 2 && later.batches == 2)
        #expect(try fixture.content().entries.isEmpty)
    }

    @Test func aDryRunCountsAndChangesNoByte() throws {
        let fixture = try F()
        let codes = F.codes(3)
        try fixture.register(codes, day: "2023-01-01")
        try fixture.record(codes[0], visit: "2023-01-05")
        try fixture.record(codes[1], visit: "2025-12-05")
        try fixture.link(codes[0], given: "Ana", added: "2023-01-05")
        let before = try fixture.snapshot()
        let dry = try fixture.purge().retention(passphrase: F.passphrase, dryRun: true, now: F.date("2026-01-01"))
        #expect(dry.dryRun && dry.records == 1 && dry.keyEntries == 1 && dry.codes == 2 && dry.unusedCodes == 1)
        #expect(dry.auditSeq == nil)
        #expect(try fixture.snapshot() == before)

        var real = try fixture.purge().retention(passphrase: F.passphrase, now: F.date("2026-01-01"))
        #expect(real.auditSeq != nil)
        real.dryRun = true
        real.auditSeq = nil
        #expect(real == dry)
    }

    @Test func aWrongPassphraseChangesNothing() throws {
        let fixture = try F()
        let codes = F.codes(1)
        try fixture.register(codes, day: "2020-01-01")
        let before = try fixture.snapshot()
        #expect(throws: KeyFileError.wrongPassphrase(path: "keys/identity.age")) {
            try fixture.purge().retention(
                passphrase: try AgePassphrase("not the passphrase"), now: F.date("2026-01-01"))
        }
        #expect(throws: PurgeError.passphraseRequired(path: "keys/identity.age")) {
            try fixture.purge().retention(passphrase: nil, now: F.date("2026-01-01"))
        }
        #expect(try fixture.snapshot() == before)
    }

    // MARK: Erasure

    @Test(arguments: [false, true])
    func eraseByTheCurrentOrARevokedEarlierCode(byEarlierCode: Bool) throws {
        let fixture = try F()
        let codes = F.codes(3)
        let (old, current, other) = (codes[0], codes[1], codes[2])
        try fixture.register([old], day: "2026-01-01", status: .revoked)
        try fixture.register([current, other], batch: "TEST-2", day: "2026-02-01")
        try fixture.record(current, visit: "2026-02-03")
        try fixture.record(current, template: "note", visit: "2026-02-20")
        try fixture.record(other, visit: "2026-02-03")
        try fixture.link(current, given: "Ana", earlier: [old], added: "2026-02-03")
        try fixture.link(other, given: "Bea", added: "2026-02-03")
        // Files the coordinator may have written: a code list, a rejects file, a printed batch.
        let output = fixture.workspace.outputURL
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("code\n\(current.display)\n".utf8).write(to: output.appendingPathComponent("codes-list.csv"))
        try Data("code\n\(other.display)\n".utf8).write(to: output.appendingPathComponent("other.csv"))
        try Data("%PDF".utf8).write(to: output.appendingPathComponent("intake-TEST-2.pdf"))
        try Data("%PDF".utf8).write(to: output.appendingPathComponent("intake-TEST-21.pdf"))

        // A lower-case spelling with spaces, as typed from a request.
        let typed = (byEarlierCode ? old : current).display.lowercased().replacingOccurrences(of: "-", with: " ")
        let summary = try fixture.purge().erase(code: typed, passphrase: F.passphrase, now: F.date("2026-03-01"))
        #expect(summary.mode == .erasure)
        #expect(summary.records == 2 && summary.codes == 2 && summary.keyEntries == 1 && summary.batches == 1)
        #expect(summary.erasedCodes == [old.canonical, current.canonical].sorted())
        #expect(summary.outputFiles == ["output/codes-list.csv", "output/intake-TEST-2.pdf"])

        #expect(try fixture.recordCodes() == [other.canonical])
        #expect(try fixture.registered() == [other.canonical])
        let content = try fixture.content()
        #expect(content.entries.keys.sorted() == [other.canonical])
        #expect(content.entries[other.canonical]?.fields["given_name"] == "Bea")
        let last = try #require(AuditLog.entries(in: fixture.store).last)
        // The purge entry names no code: after it, the store holds none of the person's codes.
        #expect(last.action == .purge && last.codes.isEmpty)
        #expect(last.detail.contains("mode=erasure") && last.detail.contains("key_entries=1"))
        #expect(content.auditMark?.seq == last.seq)
    }

    @Test func aCodeFoundNowhereChangesNothing() throws {
        let fixture = try F()
        let codes = F.codes(2)
        try fixture.register([codes[0]], day: "2026-01-01")
        let before = try fixture.snapshot()
        #expect(throws: PurgeError.notFound(code: codes[1].display)) {
            try fixture.purge().erase(code: codes[1].canonical, passphrase: F.passphrase)
        }
        #expect(try fixture.snapshot() == before)
    }

    @Test func erasureDropsTheSlipsWaitingInTheInboxAndHeld() throws {
        let fixture = try F()
        let codes = F.codes(3)
        try fixture.register(codes, day: "2026-01-01")
        let slips = fixture.desk.appendingPathComponent("slips.csv")
        try Data(
            """
            code,given_name,family_name,phone,consent
            \(codes[0].display),Ana,One,,yes
            \(codes[1].display),Bea,Two,,yes

            """.utf8
        ).write(to: slips)
        let added = try fixture.keyFile.add(slips: slips, template: "intake", now: F.date("2026-01-02"))
        let inbox = try #require(added.inboxFile)
        // A held entry for the third code (as a merge leaves one that clashed).
        let recipient = try fixture.keyFile.recipient()
        try FileSystem.createDirectory(fixture.keyFile.heldURL, mode: 0o700)
        let held = try fixture.keyFile.seal(
            [KeyEntry(code: codes[2].canonical, template: "intake", fields: ["given_name": "Cleo"], addedAt: "x")],
            to: recipient, in: fixture.keyFile.heldURL, now: F.date("2026-01-02"))

        let first = try fixture.purge().erase(code: codes[0].display, passphrase: F.passphrase)
        #expect(first.sealedEntries == 1 && first.keyEntries == 0 && first.codes == 1)
        let identity = try fixture.content().identity
        let left = try SealedFile.read(inbox, displayPath: "inbox", identity)
        #expect(left.entries.map(\.code) == [codes[1].canonical])
        #expect(try fixture.keyFile.pendingCodes() == [codes[1].canonical])

        let second = try fixture.purge().erase(code: codes[2].display, passphrase: F.passphrase)
        #expect(second.sealedEntries == 1)
        #expect(!FileManager.default.fileExists(atPath: held.path))
        // Merging afterwards brings in only the one left.
        let merge = try fixture.keyFile.merge(passphrase: F.passphrase)
        #expect(merge.merged == [codes[1].canonical])
    }

    /// THE test: after `purge --code`, the person's remark (stored only in their record) is nowhere in
    /// store.sqlite's bytes, and their name is not in the decrypted key file; the other person's are.
    @Test func afterErasureNothingOfThePersonIsLeftInTheFilesBytes() throws {
        let fixture = try F()
        let codes = F.codes(2)
        try fixture.register(codes, day: "2026-01-01", template: nil)
        let canaryRemark = "QZX canary remark 4417 VJW"
        let otherRemark = "KPD other remark 9022 HTM"
        try fixture.ingestNotes(
            ["\(codes[0].display),03/02/2026,\(canaryRemark)", "\(codes[1].display),03/02/2026,\(otherRemark)"],
            now: F.date("2026-02-04"))
        try fixture.link(codes[0], given: "Zebulon", family: "Quartermaine", added: "2026-02-04")
        try fixture.link(codes[1], given: "Ottilie", family: "Brankovic", added: "2026-02-04")

        func storeBytes() throws -> Data { try Data(contentsOf: fixture.workspace.storeURL) }
        // The search works: before the purge the remark is in the file.
        #expect(try storeBytes().range(of: Data(canaryRemark.utf8)) != nil)

        let summary = try fixture.purge().erase(code: codes[0].display, passphrase: F.passphrase)
        #expect(summary.records == 1 && summary.keyEntries == 1)

        let bytes = try storeBytes()
        #expect(bytes.range(of: Data(canaryRemark.utf8)) == nil)
        #expect(bytes.range(of: Data("canary remark".utf8)) == nil)
        #expect(bytes.range(of: Data(otherRemark.utf8)) != nil)
        for suffix in ["-journal", "-wal"] {
            let side = URL(fileURLWithPath: fixture.workspace.storeURL.path + suffix)
            if let data = FileManager.default.contents(atPath: side.path) {
                #expect(data.range(of: Data(canaryRemark.utf8)) == nil, "\(suffix)")
            }
        }
        var plaintext = try fixture.content().encoded()
        defer { KeyFile.wipe(&plaintext) }
        #expect(plaintext.range(of: Data("Zebulon".utf8)) == nil)
        #expect(plaintext.range(of: Data("Quartermaine".utf8)) == nil)
        #expect(plaintext.range(of: Data(codes[0].canonical.utf8)) == nil)
        #expect(plaintext.range(of: Data("Ottilie".utf8)) != nil)
    }

    // MARK: Crash safety

    /// Killed after the store's transaction and before the key file was saved: the key file still holds the
    /// person with every code. Running the same purge again finishes the job.
    @Test(arguments: [false, true])
    func aRerunAfterAKillBetweenTheTwoFilesFinishesTheJob(erasure: Bool) throws {
        let fixture = try F()
        let codes = F.codes(3)
        let (old, current, other) = (codes[0], codes[1], codes[2])
        try fixture.register([old], day: "2023-01-01", status: .revoked)
        try fixture.register([current, other], batch: "TEST-2", day: "2023-02-01")
        try fixture.record(current, visit: "2023-02-03")
        try fixture.record(other, visit: "2025-12-03")
        try fixture.link(current, given: "Ana", earlier: [old], added: "2023-02-03")
        let keyBytes = try Data(contentsOf: fixture.keyFile.url)
        let now = F.date("2026-01-01")

        func run() throws -> PurgeSummary {
            erasure
                ? try fixture.purge().erase(code: old.display, passphrase: F.passphrase, now: now)
                : try fixture.purge().retention(passphrase: F.passphrase, now: now)
        }
        let first = try run()
        #expect(first.keyEntries == 1 && first.codes == 2)
        // The key file as it was before its save: what a kill -9 between the two files leaves.
        try keyBytes.write(to: fixture.keyFile.url)
        #expect(try fixture.content().entry(for: current.canonical) != nil)

        let rerun = try run()
        #expect(rerun.keyEntries == 1 && rerun.records == 0 && rerun.codes == 0)
        #expect(try fixture.content().entries.isEmpty)
        #expect(try fixture.registered() == [other.canonical])
        #expect(try AuditLog.verify(fixture.store).isEmpty)
    }
}
