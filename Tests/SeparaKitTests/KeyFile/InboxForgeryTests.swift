import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// Attacks on the key file by someone with a clerk's access: `keys/inbox/` is writable and
/// `keys/recipient.txt` is public, so anyone can seal any JSON to the key file. Merge must judge every entry
/// as a stranger's; `key add` must seal only to the pinned key and never destroy a slip it did not seal.
@Suite("Inbox forgery")
struct InboxForgeryTests {
    typealias F = KeyFileFixture

    /// Seals `lines` to the public recipient into `keys/inbox/NAME`, as an attacker would.
    static func forge(_ fixture: KeyFileFixture, _ lines: [String], name: String? = nil, now: Date = Date()) throws {
        let recipient = try fixture.keyFile.recipient()
        let sealed = try AgeEncryption.encrypt(
            Data((lines.joined(separator: "\n") + "\n").utf8), to: [.x25519(recipient)])
        try FileSystem.createDirectory(fixture.keyFile.inboxURL, mode: 0o700)
        let file = name ?? "\(Timestamp.fileName(now))-0badc0de0bad.age"
        try sealed.write(to: fixture.keyFile.inboxURL.appendingPathComponent(file))
    }

    /// One JSON line as `key add` writes it, with overrides.
    static func entry(
        code: String, template: String = "intake", fields: String = #"{"consent":"yes","given_name":"Forged"}"#,
        addedAt: String = Timestamp.iso8601(Date()), extra: String = ""
    ) -> String {
        #"{"added_at":"\#(addedAt)","code":"\#(code)","fields":\#(fields),"template":"\#(template)"\#(extra)}"#
    }

    @Test("a forged entry whose history names a victim is held, and erasing its code leaves the victim whole")
    func forgedHistoryCannotTakeSomeoneElsesRecords() throws {
        let fixture = try F()
        let victim = fixture.codes[0]
        let attacker = fixture.codes[1]
        _ = try fixture.keyFile.add(slips: fixture.canarySlips(others: 0), template: "intake")
        _ = try fixture.keyFile.merge(passphrase: F.passphrase)
        let history =
            #","history":[{"at":"2026-11-01T00:00:00Z","from":"\#(victim.canonical)","reason":"lost","to":"\#(attacker.canonical)"}]"#
        try Self.forge(fixture, [Self.entry(code: attacker.canonical, extra: history)])

        let merge = try fixture.keyFile.merge(passphrase: F.passphrase)
        #expect(merge.merged.isEmpty)
        #expect(merge.rejections.map(\.problem) == [.carriesHistory])
        #expect(merge.heldFile != nil)
        let content = try fixture.open()
        #expect(content.entry(for: attacker.canonical) == nil)
        #expect(content.entry(for: victim.canonical)?.history == [])

        // Erasing the attacker's code touches only that code.
        _ = try Purge(keyFile: fixture.keyFile).erase(code: attacker.display, passphrase: F.passphrase)
        let registry = CodeRegistry(workspace: fixture.workspace, store: fixture.store)
        #expect(try registry.current(victim) != nil)
        #expect(try registry.current(attacker) == nil)
        #expect(try fixture.open().entry(for: victim.canonical) != nil)
    }

    /// Each forged line, and the reason it must be held for.
    static let forgeries: [(String, @Sendable (KeyFileFixture) -> String, SlipProblem)] = [
        (
            "an extra field",
            {
                entry(
                    code: $0.codes[2].canonical, fields: #"{"consent":"yes","given_name":"A","hiv_status":"positive"}"#)
            }, .notAField
        ),
        (
            "a note",
            {
                entry(
                    code: $0.codes[2].canonical,
                    fields: #"{"consent":"yes","given_name":"A","notes":"met at the border"}"#)
            }, .notAField
        ),
        ("a key of its own", { entry(code: $0.codes[2].canonical, extra: #","notes":"x""#) }, .notAnEntry),
        (
            "an unregistered code",
            { _ in entry(code: CaseCode(randomValues: Array(repeating: 5, count: 11)).canonical) },
            .row(.unregisteredCode)
        ),
        ("a lower-case code", { entry(code: $0.codes[2].canonical.lowercased()) }, .notCanonical),
        ("a code with hyphens", { entry(code: $0.codes[2].display) }, .notCanonical),
        ("a revoked code", { entry(code: $0.revoked.canonical) }, .row(.revokedCode)),
        ("an unknown template", { entry(code: $0.codes[2].canonical, template: "secret_list") }, .unknownTemplate),
        (
            "no consent", { entry(code: $0.codes[2].canonical, fields: #"{"consent":"no","given_name":"A"}"#) },
            .noConsent
        ),
        ("consent missing", { entry(code: $0.codes[2].canonical, fields: #"{"given_name":"A"}"#) }, .row(.required)),
        (
            "a required field missing", { entry(code: $0.codes[2].canonical, fields: #"{"consent":"yes"}"#) },
            .row(.required)
        ),
        (
            "a back-dated entry", { entry(code: $0.codes[2].canonical, addedAt: "2019-01-01T00:00:00Z") },
            .addedAtOutOfWindow
        ),
        (
            "an entry from the future", { entry(code: $0.codes[2].canonical, addedAt: "2099-01-01T00:00:00Z") },
            .addedAtOutOfWindow
        ),
        (
            "a 3 MB name",
            {
                entry(
                    code: $0.codes[2].canonical,
                    fields: #"{"consent":"yes","given_name":"\#(String(repeating: "A", count: 3_000_000))"}"#)
            }, .row(.tooLong(max: SlipRules.maximumFieldLength))
        ),
        (
            "a name with a line break",
            { entry(code: $0.codes[2].canonical, fields: #"{"consent":"yes","given_name":"A\nB"}"#) }, .controlCharacter
        ),
        ("not JSON", { _ in "given_name=Zebulon Quartermaine" }, .notAnEntry),
        (
            "a field that is not text",
            { entry(code: $0.codes[2].canonical, fields: #"{"consent":"yes","given_name":["A"]}"#) }, .notAnEntry
        ),
        ("a well-formed slip key add never sealed", { entry(code: $0.codes[2].canonical) }, .notSealedByKeyAdd),
    ]

    @Test(
        "every entry that is not exactly a slip as key add writes it is held with its reason, never merged",
        arguments: forgeries.indices)
    func forgedEntriesAreHeld(index: Int) throws {
        let (name, make, expected) = Self.forgeries[index]
        let fixture = try F()
        try Self.forge(fixture, [make(fixture)])
        let merge = try fixture.keyFile.merge(passphrase: F.passphrase)
        #expect(merge.merged.isEmpty, "\(name)")
        #expect(merge.rejections.map(\.problem) == [expected], "\(name)")
        #expect(merge.heldFile != nil, "\(name): held, so that nothing is lost")
        #expect(try fixture.open().entries.isEmpty, "\(name)")
        // What is reported names no value the forger chose, and shows a code only when it is a valid one.
        let shown = merge.rejections.map(\.diagnostic.description).joined()
        #expect(!shown.contains("Forged") && !shown.contains("hiv") && !shown.contains("secret_list"), "\(name)")
    }

    @Test("a forged file named to look old cannot back-date its entries: only what key add sealed is merged")
    func aFileNameDoesNotVouchForItsEntries() throws {
        let fixture = try F()
        try Self.forge(
            fixture, [Self.entry(code: fixture.codes[2].canonical, addedAt: "2019-01-01T00:00:00Z")],
            name: "20190101-000000-0badc0de0bad.age")
        let merge = try fixture.keyFile.merge(passphrase: F.passphrase, now: Date())
        // The name agrees with the entry, but no key add sealed that code at that time: the audit log says so.
        #expect(merge.merged.isEmpty)
        #expect(merge.rejections.map(\.problem) == [.notSealedByKeyAdd])
    }

    @Test("key add refuses a recipient that is not the pinned one: nothing is sealed to an attacker's key")
    func aSwappedRecipientIsRefused() throws {
        let fixture = try F()
        let attacker = AgeX25519Identity.generate()
        try Data("\(attacker.recipient)\n".utf8).write(to: fixture.keyFile.recipientURL)
        #expect(throws: KeyFileError.recipientNotPinned(path: "keys/recipient.txt")) {
            try fixture.keyFile.add(slips: fixture.canarySlips(), template: "intake")
        }
        #expect(fixture.keyFile.inboxFiles().isEmpty)
    }

    @Test("key add seals to the pinned key and says which, by a short fingerprint")
    func addNamesTheKeyItSealedTo() throws {
        let fixture = try F()
        let summary = try fixture.keyFile.add(slips: fixture.canarySlips(), template: "intake")
        #expect(summary.fingerprint == KeyFile.fingerprint(try fixture.keyFile.recipient()))
        #expect(try fixture.keyFile.pinnedRecipient(in: fixture.store) == (try fixture.keyFile.recipient()).description)
    }

    @Test("--shred never destroys a row that was not sealed: the file keeps the header and the rejected rows")
    func shredKeepsRejectedRows() throws {
        let fixture = try F()
        var typo = Array(fixture.codes[1].display)
        typo[0] = typo[0] == "7" ? "8" : "7"
        let url = try fixture.slips(
            "code,given_name,family_name,phone,consent\n"
                + "\(fixture.codes[0].display),Zebulon,Quartermaine,,yes\n"
                + "\(String(typo)),Nadia,Typo,,yes\n")
        let summary = try fixture.keyFile.add(slips: url, template: "intake", shred: true)
        #expect(summary.codes == [fixture.codes[0].canonical])
        #expect(summary.rejections.count == 1)
        #expect(summary.shredded == .keptRejected(rows: 1))
        let kept = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        #expect(kept.contains("Nadia") && kept.contains("code,given_name"))
        #expect(!kept.contains("Zebulon"))

        // All sealed: the file is gone.
        let clean = try fixture.slips(
            "code,given_name,family_name,phone,consent\n\(fixture.codes[2].display),Amal,Ok,,yes\n", name: "clean.csv")
        #expect(try fixture.keyFile.add(slips: clean, template: "intake", shred: true).shredded == .removed)
        #expect(!FileManager.default.fileExists(atPath: clean.path))
    }

    @Test("a slip without consent is refused at key add and its identity is not sealed")
    func noConsentNoIdentity() throws {
        let fixture = try F()
        let url = try fixture.slips(
            "code,given_name,family_name,phone,consent\n\(fixture.codes[0].display),Zebulon,Quartermaine,,No\n")
        let summary = try fixture.keyFile.add(slips: url, template: "intake")
        #expect(summary.codes.isEmpty && summary.inboxFile == nil)
        #expect(summary.rejections.map(\.problem) == [.noConsent])
    }

    @Test("adding the same file again skips the rows already waiting and counts them")
    func reAddingSkipsWaitingRows() throws {
        let fixture = try F()
        let url = try fixture.canarySlips(others: 3)
        _ = try fixture.keyFile.add(slips: url, template: "intake")
        let again = try fixture.keyFile.add(slips: url, template: "intake")
        #expect(again.codes.isEmpty && again.rejections.isEmpty && again.alreadyWaiting == 4)
    }

    @Test("control characters in a name are shown escaped, never sent to the terminal")
    func controlCharactersAreEscaped() {
        let name = "Zeb\u{1B}[2J\u{1B}[Hulon\u{202E}nacirema\u{7}"
        let shown = name.escapingControlCharacters
        #expect(!shown.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(!shown.contains("\u{202E}"))
        #expect(shown.contains("\\u{1b}[2J") && shown.contains("\\u{202e}"))
        #expect("Nadia Al-Amin".escapingControlCharacters == "Nadia Al-Amin")
    }
}
