import Foundation
import GRDB
import Testing

@testable import SeparaKit

@Suite("Key file")
struct KeyFileTests {
    typealias F = KeyFileFixture

    @Test func initCreatesALockedFileAndItsRecipient() throws {
        let fixture = try F()
        let content = try fixture.open()
        #expect(content.entries.isEmpty)
        #expect(try fixture.keyFile.recipient() == content.identity.recipient)
        #expect(try AgeEncryption.recipientTypes(of: AgeDataInput(Data(contentsOf: fixture.keyFile.url))) == ["scrypt"])
        let mode = try FileManager.default.attributesOfItem(atPath: fixture.keyFile.url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: KeyFileError.alreadyExists(path: "keys/identity.age")) {
            try fixture.keyFile.create(passphrase: F.otherPassphrase)
        }
        #expect(try fixture.auditActions() == [.keyInit])
    }

    @Test func addMergeLookupFindPasswdRoundTrip() throws {
        let fixture = try F()
        let summary = try fixture.keyFile.add(slips: try fixture.canarySlips(), template: "intake")
        #expect(summary.codes == fixture.codes[0..<3].map(\.canonical))
        #expect(summary.rejections.isEmpty)
        #expect(fixture.keyFile.inboxFiles().count == 1)
        #expect(try fixture.keyFile.pendingCodes() == Set(summary.codes))
        // The clerk cannot read it back: the inbox is sealed to the X25519 recipient only.
        let sealed = try Data(contentsOf: #require(summary.inboxFile))
        #expect(try AgeEncryption.recipientTypes(of: AgeDataInput(sealed)) == ["X25519"])
        #expect(throws: AgeError.noMatchingIdentity(fileNeedsPassphrase: false)) {
            try AgeEncryption.decrypt(sealed, identities: [.passphrase(F.passphrase)])
        }

        let merge = try fixture.keyFile.merge(passphrase: F.passphrase)
        #expect(merge.merged == summary.codes.sorted())
        #expect(merge.files == 1 && merge.rejections.isEmpty && merge.heldFile == nil)
        #expect(fixture.keyFile.inboxFiles().isEmpty)
        #expect(try fixture.keyFile.pendingCodes().isEmpty)

        guard case .current(let entry) = try fixture.keyFile.lookup(fixture.codes[0].display, passphrase: F.passphrase)
        else {
            Issue.record("the canary's code is not linked")
            return
        }
        #expect(entry.fields["given_name"] == F.canaryGiven)
        #expect(entry.fields["phone"] == F.canaryPhone)
        #expect(entry.template == "intake")
        guard case .none = try fixture.keyFile.lookup(fixture.codes[5].canonical, passphrase: F.passphrase) else {
            Issue.record("an unlinked code found someone")
            return
        }

        for query in ["zebulon", "ZÉBULON quarter-maine", "quartermaine zebulon", "00611222333", "+00 611 222 333"] {
            #expect(
                try fixture.keyFile.find(query, passphrase: F.passphrase).map(\.code) == [fixture.codes[0].canonical],
                "\(query)")
        }
        #expect(try fixture.keyFile.find("Nobody", passphrase: F.passphrase).isEmpty)

        try fixture.keyFile.changePassphrase(from: F.passphrase, to: F.otherPassphrase)
        #expect(try fixture.open(F.otherPassphrase).entries.count == 3)
        #expect(throws: KeyFileError.wrongPassphrase(path: fixture.keyFile.url.path)) { try fixture.open(F.passphrase) }

        let actions = try fixture.auditActions()
        #expect(
            actions == [
                .keyInit, .keyAdd, .keyUnlock, .keyMerge, .keyUnlock, .keyLookup, .keyUnlock, .keyLookup,
            ] + Array(repeating: [.keyUnlock, .keyFind], count: 6).flatMap { $0 } + [.keyUnlock, .keyPasswd])
        #expect(try AuditLog.verify(fixture.store).isEmpty)
        let log = try AuditLog.entries(in: fixture.store)
        #expect(!log.contains { $0.detail.contains("ebulon") || $0.codes.contains("ebulon") })
        #expect(log.first { $0.action == .keyMerge }?.codes == summary.codes.sorted().joined(separator: ","))
    }

    @Test func theKeyFileKeepsTheAuditMarkSoACutTailIsFound() throws {
        let fixture = try F()
        _ = try fixture.keyFile.add(slips: try fixture.canarySlips(), template: "intake")
        _ = try fixture.keyFile.merge(passphrase: F.passphrase)
        let mark = try #require(try fixture.keyFile.auditMark(passphrase: F.passphrase))
        let last = try #require(try AuditLog.entries(in: fixture.store).last)
        #expect(mark == AuditMark(seq: last.seq, hash: last.hash))
        #expect(try AuditLog.verify(fixture.store, knownLength: mark.seq).isEmpty)
        try fixture.store.database.write { db in
            try db.execute(sql: "DELETE FROM audit WHERE seq >= ?", arguments: [mark.seq - 1])
        }
        #expect(
            try AuditLog.verify(fixture.store, knownLength: mark.seq) == [
                .truncated(expected: mark.seq, found: mark.seq - 2)
            ])
    }

    @Test func addRejectsBadRowsWithReasonsThatCarryNoIdentity() throws {
        let fixture = try F()
        let codes = fixture.codes
        let text = """
            Prénom,Nom de famille,Phone number (optional),code,consent
            Zebulon,Quartermaine,+00 611 222 333,\(codes[0].display),yes
            Zebulon,Quartermaine,+00 611 222 333,\(codes[0].display),yes
            Zebulon,Quartermaine,,\(fixture.revoked.display),yes
            Zebulon,Quartermaine,,\(CaseCode(randomValues: Array(repeating: 3, count: 11)).display),yes
            Zebulon,Quartermaine,,ZEBULON,yes
            Zebulon,Quartermaine,,,yes
            ,Quartermaine,,\(codes[1].display),yes
            ,,,,

            """
        let summary = try fixture.keyFile.add(slips: try fixture.slips(text), template: "intake")
        #expect(summary.codes == [codes[0].canonical])
        #expect(summary.rows == 7)
        let byLine = Dictionary(uniqueKeysWithValues: summary.rejections.map { ($0.line, $0.problem) })
        #expect(byLine[3] == .duplicateInFile(line: 2))
        #expect(byLine[4] == .row(.revokedCode))
        #expect(byLine[5] == .row(.unregisteredCode))
        #expect(byLine[7] == .row(.missingCode))
        #expect(byLine[8] == .row(.required))
        if case .row(.invalidCode)? = byLine[6] {} else { Issue.record("line 6: \(String(describing: byLine[6]))") }
        for rejection in summary.rejections {
            #expect(!rejection.problem.description.lowercased().contains("zebulon"))
            #expect(!rejection.problem.description.contains("Quartermaine"))
        }
        let report = try fixture.keyFile.writeAddRejects(summary.rejections, file: "slips.csv")
        #expect(try F.leaks(under: report.deletingLastPathComponent()).isEmpty)

        // Added again, the code waiting in the inbox is skipped and counted, not sealed twice.
        let again = try fixture.keyFile.add(
            slips: try fixture.slips("code,given_name,consent\n\(codes[0].canonical),Zebulon,yes\n", name: "again.csv"),
            template: "intake")
        #expect(again.codes.isEmpty && again.rejections.isEmpty && again.alreadyWaiting == 1)
        #expect(fixture.keyFile.inboxFiles().count == 1)
    }

    @Test(arguments: [
        ("code,given_name,notes\n", SheetError.unknownColumn(file: "slips.csv", column: 3)),
        ("given_name,family_name\n", SheetError.missingColumn(file: "slips.csv", name: "code")),
        ("code,family_name\n", SheetError.missingColumn(file: "slips.csv", name: "given_name")),
        ("code,given_name,Prénom\n", SheetError.duplicateColumn(file: "slips.csv", column: 3, first: 2)),
    ])
    func headerProblemsRefuseTheWholeFile(header: String, expected: SheetError) throws {
        let fixture = try F()
        #expect(throws: expected) { try fixture.keyFile.add(slips: try fixture.slips(header), template: "intake") }
        #expect(fixture.keyFile.inboxFiles().isEmpty)
    }

    @Test func mergeHoldsCodesLinkedToSomeoneElseAndSkipsEntriesAlreadyIn() throws {
        let fixture = try F()
        let first = try fixture.keyFile.add(slips: try fixture.canarySlips(), template: "intake")
        let inboxCopy = try Data(contentsOf: #require(first.inboxFile))
        _ = try fixture.keyFile.merge(passphrase: F.passphrase)

        // A merge killed after saving leaves its inbox file: merged again, its entries are skipped.
        try inboxCopy.write(to: #require(first.inboxFile))
        let repeated = try fixture.keyFile.merge(passphrase: F.passphrase)
        #expect(repeated.merged.isEmpty && repeated.alreadyMerged == 3 && repeated.rejections.isEmpty)

        // Another person's slip for a code already linked is held, sealed, with no identity in the report.
        let other = try fixture.keyFile.add(
            slips: try fixture.slips(
                "code,given_name,consent\n\(fixture.codes[0].display),Someone,yes\n\(fixture.codes[4].display),New,yes\n"
            ),
            template: "intake")
        #expect(other.codes.count == 2)
        let merge = try fixture.keyFile.merge(passphrase: F.passphrase)
        #expect(merge.merged == [fixture.codes[4].canonical])
        #expect(merge.rejections.map(\.code) == [fixture.codes[0].canonical])
        #expect(merge.rejections.map(\.problem) == [.alreadyLinked])
        let held = try #require(merge.heldFile)
        let identity = try fixture.open().identity
        let heldText = String(
            decoding: try AgeEncryption.decrypt(Data(contentsOf: held), identities: [.x25519(identity)]), as: UTF8.self)
        #expect(heldText.contains("Someone"))
        #expect(try fixture.open().entries[fixture.codes[0].canonical]?.fields["given_name"] == F.canaryGiven)
    }

    @Test func aWrongPassphraseWritesNothing() throws {
        let fixture = try F()
        _ = try fixture.keyFile.add(slips: try fixture.canarySlips(), template: "intake")
        let before = try Data(contentsOf: fixture.keyFile.url)
        let inbox = fixture.keyFile.inboxFiles()
        let auditCount = try AuditLog.entries(in: fixture.store).count
        let wrong = try AgePassphrase("not the passphrase")
        let expected = KeyFileError.wrongPassphrase(path: "keys/identity.age")
        #expect(throws: expected) { try fixture.keyFile.merge(passphrase: wrong) }
        #expect(throws: expected) { try fixture.keyFile.changePassphrase(from: wrong, to: F.otherPassphrase) }
        #expect(throws: expected) { try fixture.keyFile.lookup(fixture.codes[0].canonical, passphrase: wrong) }
        #expect(throws: expected) { try fixture.keyFile.find("Zebulon", passphrase: wrong) }
        #expect(try Data(contentsOf: fixture.keyFile.url) == before)
        #expect(fixture.keyFile.inboxFiles() == inbox)
        #expect(try AuditLog.entries(in: fixture.store).count == auditCount)
        #expect(expected.description.contains("wrong passphrase"))
    }

    /// Every single-byte change and every truncation of a small key file is refused, naming what failed.
    @Test func tamperingAtEveryByteIsDetected() throws {
        let fixture = try F()
        let original = try Data(contentsOf: fixture.keyFile.url)
        let url = fixture.desk.appendingPathComponent("tampered.age")
        var kinds: [String: Int] = [:]
        for index in 0..<original.count {
            var copy = original
            copy[index] ^= 0x01
            try copy.write(to: url)
            let result = Result { () throws(KeyFileError) in
                try KeyFile.open(url, passphrase: F.passphrase, displayPath: "tampered.age")
            }
            guard case .failure(let error) = result else {
                Issue.record("byte \(index) changed, yet the file opened")
                continue
            }
            kinds[Self.kind(of: error), default: 0] += 1
            if Self.kind(of: error) == "unexpected" { Issue.record("byte \(index): \(error)") }
        }
        for length in 0..<original.count {
            try original.prefix(length).write(to: url)
            #expect(throws: KeyFileError.self) { _ = try KeyFile.open(url, passphrase: F.passphrase) }
        }
        #expect(kinds["payload"] ?? 0 > 0 && kinds["headerMAC"] ?? 0 > 0 && kinds["header"] ?? 0 > 0)
        let payload = KeyFileError.damaged(
            path: "keys/identity.age", failure: .payloadFailure(chunk: 1, problem: .authenticationFailed))
        #expect(payload.description.contains("payload chunk 1"))
    }

    static func kind(of error: KeyFileError) -> String {
        switch error {
        case .damaged(_, let failure): return "\(failure.failureClass)"
        case .wrongPassphrase: return "scrypt stanza (salt or wrapped key)"
        case .unsupportedVersion: return "version"
        default: return "unexpected"
        }
    }

    @Test func thePlaintextFormatIsDocumentedAndStable() throws {
        let identity = AgeX25519Identity.generate()
        var content = KeyFileContent(
            identity: identity,
            entries: [
                KeyEntry(
                    code: "K7M29QX4HT3C", template: "intake", fields: ["given_name": "Ana", "family_name": "Pérez"],
                    addedAt: "2026-11-27T10:00:00Z",
                    history: [
                        KeyHistoryEvent(
                            from: "0000000000AA", to: "K7M29QX4HT3C", reason: "lost", at: "2026-11-28T09:00:00Z")
                    ])
            ], savedAt: "2026-11-28T09:00:00Z")
        content.auditMark = AuditMark(seq: 7, hash: String(repeating: "a", count: 64))
        let text = String(decoding: content.encoded(), as: UTF8.self)
        #expect(
            text == """
                # separa key file v1
                # One JSON object a line after the secret key; see README, "The key file".
                \(identity.secretKeyString)
                {"audit_hash":"\(String(repeating: "a", count: 64))","audit_seq":7,"saved_at":"2026-11-28T09:00:00Z"}
                {"added_at":"2026-11-27T10:00:00Z","code":"K7M29QX4HT3C","fields":{"family_name":"Pérez","given_name":"Ana"},"history":[{"at":"2026-11-28T09:00:00Z","from":"0000000000AA","reason":"lost","to":"K7M29QX4HT3C"}],"template":"intake"}

                """)
        let parsed = try KeyFileContent.parse(Data(text.utf8), path: "k")
        #expect(parsed.sortedEntries == content.sortedEntries && parsed.auditMark == content.auditMark)
        #expect(parsed.entry(for: "0000000000AA")?.code == "K7M29QX4HT3C")
        #expect(throws: KeyFileError.unsupportedVersion(path: "k")) {
            try KeyFileContent.parse(Data("# separa key file v2\n".utf8), path: "k")
        }
        #expect(
            throws: KeyFileError.malformed(
                path: "k", line: 6, problem: "neither a comment, the secret key nor a JSON object")
        ) {
            try KeyFileContent.parse(Data((text + "Zebulon\n").utf8), path: "k")
        }
        #expect(!"\(parsed.sortedEntries[0])".contains("Ana"))
    }

    @Test func noIdentityValueLeavesTheAgeFiles() throws {
        let fixture = try F()
        let slips = try fixture.canarySlips()
        let summary = try fixture.keyFile.add(slips: slips, template: "intake")
        _ = try fixture.keyFile.writeAddRejects(summary.rejections, file: "slips.csv")
        _ = try fixture.keyFile.merge(passphrase: F.passphrase)
        _ = try fixture.keyFile.lookup(fixture.codes[0].canonical, passphrase: F.passphrase)
        _ = try fixture.keyFile.find("zebulon", passphrase: F.passphrase)
        try fixture.keyFile.changePassphrase(from: F.passphrase, to: F.otherPassphrase)
        try FileSystem.shred(slips)
        #expect(!FileManager.default.fileExists(atPath: slips.path))
        #expect(try F.leaks(under: fixture.workspace.root) == [])
        #expect(F.plaintextFiles(under: fixture.workspace.root).contains { $0.lastPathComponent == "store.sqlite" })
    }

    @Test func aSecondWriterWaitsThenGivesUp() throws {
        let fixture = try F()
        let held = try FileLock(fixture.keyFile.lockURL)
        var impatient = fixture.keyFile
        impatient.lockWait = 0.2
        #expect(throws: KeyFileError.busy(path: fixture.keyFile.lockURL.path)) {
            try impatient.changePassphrase(from: F.passphrase, to: F.otherPassphrase)
        }
        held.release()
        try impatient.changePassphrase(from: F.passphrase, to: F.otherPassphrase)
    }
}

/// Someone who can write to the store but not open the key file forges a purge to erase their own key
/// lookups from the audit log: the chain still holds, but `audit verify --key` finds the missing seal.
@Suite("Audit log: forged erasures")
struct ForgedErasureTests {
    typealias F = KeyFileFixture

    @Test func aPurgeWithoutTheKeyHoldersSealIsFoundWithTheKeyFile() throws {
        let fixture = try F()
        _ = try fixture.keyFile.add(slips: try fixture.canarySlips(), template: "intake")
        _ = try fixture.keyFile.merge(passphrase: F.passphrase)
        _ = try fixture.keyFile.lookup(fixture.codes[0].display, passphrase: F.passphrase)
        #expect(try fixture.keyFile.verifyAuditLog(passphrase: F.passphrase).breaks.isEmpty)

        // The forger appends a purge entry, with the right count, and erases the lookup's code in its name.
        try fixture.store.database.write { db in
            let items = try AuditLog.itemsToErase(db, codes: [fixture.codes[0].canonical])
            #expect(!items.isEmpty)
            let entry = try AuditLog.append(
                db, action: .purge, detail: ["erased": String(items.count), "mode": "erasure", "seal": "00"])
            try AuditLog.erase(db, items: items, by: entry.seq)
        }
        #expect(try AuditLog.verify(fixture.store).isEmpty)  // the chain alone cannot tell
        let breaks = try fixture.keyFile.verifyAuditLog(passphrase: F.passphrase).breaks
        #expect(breaks.count == 1)
        guard case .unsealedErasure = breaks.first else {
            Issue.record("the forged erasure was not found: \(breaks)")
            return
        }
    }

    @Test func aKeyHoldersPurgeIsSealedAndVerifies() throws {
        let fixture = try F()
        _ = try fixture.keyFile.add(slips: try fixture.canarySlips(), template: "intake")
        _ = try fixture.keyFile.merge(passphrase: F.passphrase)
        _ = try fixture.keyFile.lookup(fixture.codes[0].display, passphrase: F.passphrase)
        _ = try Purge(keyFile: fixture.keyFile).erase(code: fixture.codes[0].display, passphrase: F.passphrase)
        let purge = try #require(try AuditLog.entries(in: fixture.store, actions: [.purge]).last)
        #expect(AuditLog.detailValue("seal", in: purge)?.count == 64)
        #expect(try AuditLog.erasures(in: fixture.store).first?.values ?? 0 >= 2)
        #expect(try fixture.keyFile.verifyAuditLog(passphrase: F.passphrase).breaks.isEmpty)
    }
}
