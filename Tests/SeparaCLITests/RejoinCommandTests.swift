import Foundation
import Testing

@testable import SeparaKit

/// `separa rejoin` end to end: the built binary, a key file merged through `key add` and `key merge`,
/// records in the store, passphrases from files and a tiny scrypt work factor (SEPARA_KEY_WORK_FACTOR).
@Suite("separa rejoin")
struct RejoinCommandTests {
    /// A workspace whose key file links codes 0 and 1 (code 0 to the canary), with intake records for codes
    /// 0, 1 and 2.
    struct Setup {
        let key: KeyCommandTests.Setup
        var root: URL { key.root }
        var desk: URL { key.desk }

        init() throws {
            key = try KeyCommandTests.Setup(codes: 6)
            let slips = try key.slips([
                (key.codes[0], Canary.givenName, Canary.familyName), (key.codes[1], "Ana", "Pérez"),
            ])
            #expect(try key.key(["add", slips.lastPathComponent, "--shred"]).status == 0)
            let merge = try key.key(["merge", "--passphrase-file", key.passA.path])
            #expect(merge.status == 0, "\(merge.stderr)")
            let store = try Workspace.open(root).openStore()
            for (index, sex, nationality) in [(0, "female", "afg"), (1, "male", "syr"), (2, "female", "syr")] {
                try store.database.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                            VALUES (?, 'intake', '2026-11-0\(index + 3)', '1', ?, 'TEST-I1', 0, '2026-12-01T00:00:00Z')
                            """,
                        arguments: [
                            key.codes[index].canonical,
                            "{\"age\":\"34\",\"nationality\":\"\(nationality)\",\"needs\":[\"food\",\"water\"],\"sex\":\"\(sex)\"}",
                        ])
                }
            }
        }

        @discardableResult
        func rejoin(_ arguments: [String]) throws -> CLI.Run {
            try CLI.run(
                ["rejoin", "--template", "intake", "--passphrase-file", key.passA.path] + arguments, in: root,
                environment: KeyCommandTests.fast)
        }

        func out(_ name: String) -> String { desk.appendingPathComponent(name).path }

        func rejoinEntries() throws -> [AuditEntry] {
            try AuditLog.entries(in: try Workspace.open(root).openStore()).filter { $0.action == .rejoin }
        }
    }

    static func rows(_ data: Data) throws -> [[String]] {
        let reader = try CSVReader(bytes: Array(data))
        var rows: [[String]] = []
        while let record = try reader.next() { rows.append(record.fields) }
        return rows
    }

    @Test func helpTexts() throws {
        let run = try CLI.run(["rejoin", "--help"], in: CLI.temporaryDirectory())
        try CLI.assertGolden(run.stdout, "help-rejoin.txt")
    }

    @Test func encryptsToARecipientAndAudits() throws {
        let setup = try Setup()
        let reader = AgeX25519Identity.generate()
        let output = setup.out("follow-up.age")
        let run = try setup.rejoin([
            "--purpose", "follow-up of food referrals", "--where", "needs=food", "--where", "nationality=Syrie",
            "--to", reader.recipient.description, "-o", output,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("2 record(s) of 2 person(s)"))
        #expect(run.stdout.contains("1 record(s) have no linked identity"))
        let rows = try Self.rows(
            try AgeEncryption.decrypt(Data(contentsOf: URL(fileURLWithPath: output)), identities: [.x25519(reader)]))
        let body = [[setup.key.codes[1].display, "Ana", "Pérez"], [setup.key.codes[2].display, "", ""]]
        #expect(
            rows.map { Array($0.prefix(3)) } == [["code", "given_name", "family_name"]] + body.sorted { $0[0] < $1[0] })
        let entries = try setup.rejoinEntries()
        #expect(entries.count == 1)
        #expect(entries.first?.detail.contains("purpose=follow-up of food referrals") == true)
        #expect(entries.first?.detail.contains("where=needs=food, nationality=syr") == true)
        #expect(!run.stdout.contains(Canary.givenName) && !run.stderr.contains(Canary.givenName))
    }

    @Test func encryptsWithANewPassphraseFromAFile() throws {
        let setup = try Setup()
        let output = setup.out("referral.age")
        let run = try setup.rejoin([
            "--purpose", "referral to the health partner", "--passphrase-out-file", setup.key.passB.path, "-o", output,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let passphrase = try AgePassphrase("passphrase B, also long")
        let rows = try Self.rows(
            try AgeEncryption.decrypt(
                Data(contentsOf: URL(fileURLWithPath: output)), identities: [.passphrase(passphrase)]))
        #expect(rows.count == 4)
        #expect(rows.contains { $0[1] == Canary.givenName && $0[2] == Canary.familyName })
    }

    @Test func wrongPassphraseExitsThreeAndWritesNothing() throws {
        let setup = try Setup()
        let output = setup.out("view.age")
        let run = try CLI.run(
            [
                "rejoin", "--template", "intake", "--passphrase-file", setup.key.passB.path, "--purpose", "follow-up",
                "--to", AgeX25519Identity.generate().recipient.description, "-o", output,
            ], in: setup.root, environment: KeyCommandTests.fast)
        #expect(run.status == 4, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: setup.desk.path).allSatisfy { !$0.contains("view") })
        #expect(try setup.rejoinEntries().isEmpty)
    }

    @Test(arguments: [
        (["--purpose", "follow-up", "--passphrase-out", "-o", "view.csv"], "-o must name a .age file"),
        (["--purpose", "follow-up", "-o", "view.age"], "say how to protect the file"),
        (["--purpose", "follow-up", "--plaintext", "-o", "view.age"], "--plaintext writes -o FILE.csv"),
        (["--purpose", "follow-up", "--plaintext", "--passphrase-out", "-o", "view.csv"], "exclude each other"),
        (["--purpose", "follow-up", "--to", "age1nope", "-o", "view.age"], "not an age recipient"),
        (["--purpose", "call +00 611 222 333", "--passphrase-out", "-o", "view.age"], "looks like a phone number"),
        (["--purpose", " ", "--passphrase-out", "-o", "view.age"], "--purpose is required"),
        (
            ["--purpose", "follow-up", "--where", "colour=red", "--passphrase-out", "-o", "view.age"],
            "fields: code, visit_date, sex"
        ),
        (
            ["--purpose", "follow-up", "--where", "sex=purple", "--passphrase-out", "-o", "view.age"],
            "choices: female, male, not_stated"
        ),
    ])
    func badUsageExits64BeforeAnyPassphrase(arguments: [String], message: String) throws {
        let setup = try Setup()
        // No --passphrase-file and no terminal: reaching the passphrase would fail with 1, not 64.
        let run = try CLI.run(
            ["rejoin", "--template", "intake"] + arguments.map { $0.hasPrefix("view.") ? setup.out($0) : $0 },
            in: setup.root, environment: KeyCommandTests.fast)
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(!run.stderr.contains("611 222"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: setup.desk.path).allSatisfy { !$0.contains("view") })
    }

    @Test func plaintextWarnsAndNeutralisesFormulas() throws {
        let setup = try Setup()
        let output = setup.out("view.csv")
        let run = try setup.rejoin(["--purpose", "follow-up", "--plaintext", "-o", output, "--where", "sex=female"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: \(output) holds names next to sensitive data"))
        #expect(run.stdout.contains("PLAINTEXT"))
        let rows = try Self.rows(try Data(contentsOf: URL(fileURLWithPath: output)))
        // The canary's phone was left blank on the slip; its name is there, as asked.
        #expect(rows.contains { $0[1] == Canary.givenName })
        #expect(rows.count == 3)
        let attributes = try FileManager.default.attributesOfItem(atPath: output)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try setup.rejoinEntries().first?.detail.contains("output=plaintext") == true)
    }
}
