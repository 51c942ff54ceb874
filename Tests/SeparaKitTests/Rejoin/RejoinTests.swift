import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// The re-identified view: which records a filter takes, how identity and answers land in the CSV, that the
/// file opens with the recipient's key or the passphrase (and with the `age` tool and pyrage), that plaintext
/// cells cannot run as formulas, and what the audit log keeps.
@Suite("rejoin")
struct RejoinTests {
    /// A workspace with a key file, four people linked in memory, one record code without identity, and
    /// intake records for all five codes.
    struct Setup {
        let fixture: KeyFileFixture
        var workspace: Workspace { fixture.workspace }
        var codes: [CaseCode] { fixture.codes }
        let keys: KeyFileContent
        let intake: Template

        /// Records: code index → (date, sex, nationality, needs).
        static let records: [(Int, String, String, String, [String])] = [
            (0, "2026-11-03", "female", "afg", ["food", "water"]),
            (0, "2026-12-01", "female", "afg", ["health"]),
            (1, "2026-11-04", "male", "syr", ["shelter"]),
            (2, "2026-11-05", "female", "syr", []),
            (3, "2026-11-06", "male", "eri", ["food"]),
            (4, "2026-11-07", "female", "afg", ["food"]),  // no key-file entry
        ]

        init() throws {
            fixture = try KeyFileFixture(codes: 6)
            var content = try fixture.open()
            content.add(
                KeyEntry(
                    code: fixture.codes[0].canonical, template: "intake",
                    fields: [
                        "given_name": KeyFileFixture.canaryGiven, "family_name": KeyFileFixture.canaryFamily,
                        "phone": KeyFileFixture.canaryPhone, "consent": "yes",
                    ], addedAt: "2026-11-03T10:00:00Z"))
            content.add(
                KeyEntry(
                    code: fixture.codes[1].canonical, template: "intake",
                    fields: ["given_name": "=HYPERLINK(\"http://x\")", "family_name": "@SUM(A1)", "consent": "yes"],
                    addedAt: "2026-11-04T10:00:00Z"))
            content.add(
                KeyEntry(
                    code: fixture.codes[2].canonical, template: "intake",
                    fields: ["given_name": "Ana", "family_name": "Pérez, \"la Chica\"", "consent": "yes"],
                    addedAt: "2026-11-05T10:00:00Z"))
            content.add(
                KeyEntry(
                    code: fixture.codes[3].canonical, template: "intake", fields: ["given_name": "Omar"],
                    addedAt: "2026-11-06T10:00:00Z"))
            keys = content
            intake = try TemplateLibrary(workspace: fixture.workspace).template(named: "intake")
            for (index, date, sex, nationality, needs) in Self.records {
                var fields: [String: Any] = [
                    "sex": sex, "age": "34", "nationality": nationality, "unaccompanied_child": "no",
                ]
                if !needs.isEmpty { fields["needs"] = needs }
                try insert(fixture.codes[index], date, fields)
            }
        }

        func insert(_ code: CaseCode, _ date: String, _ fields: [String: Any]) throws {
            let json = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
            try fixture.store.database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                        VALUES (?, 'intake', ?, '1', ?, 'TEST-I1', 0, '2026-12-01T00:00:00Z')
                        """, arguments: [code.canonical, date, String(decoding: json, as: UTF8.self)])
            }
        }

        var outputFolder: URL { workspace.outputURL }

        func request(_ conditions: [String] = [], purpose: String = "follow-up of referrals", name: String = "view.age")
            throws -> RejoinRequest
        {
            try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
            return try Rejoin.prepare(
                workspace: workspace, template: "intake", purpose: purpose, conditions: conditions,
                destination: outputFolder.appendingPathComponent(name), plaintext: name.hasSuffix(".csv"))
        }

        /// Runs a plaintext rejoin and returns the summary and the CSV rows (header first).
        func plaintextRows(_ conditions: [String]) throws -> (RejoinSummary, [[String]]) {
            let name = "view-\(UUID().uuidString).csv"
            let summary = try Rejoin.run(
                try request(conditions, name: name), workspace: workspace, keys: keys, output: .plaintext)
            return (summary, try RejoinTests.rows(Data(contentsOf: summary.destination)))
        }

        /// The visit dates and codes (index in `codes`) of the rows a filter takes.
        func taken(_ conditions: [String]) throws -> [String] {
            let (_, rows) = try plaintextRows(conditions)
            return rows.dropFirst().map { row in
                let index = codes.firstIndex { $0.display == row[0] }.map(String.init) ?? "?"
                return "\(index)@\(row[5])"
            }
        }
    }

    /// The case's name, for comparing with the expected one.
    static func caseName(_ error: any Error) -> String {
        guard let error = error as? RejoinError else { return "not a RejoinError: \(error)" }
        if case .emptyPurpose = error { return "emptyPurpose" }
        return Mirror(reflecting: error).children.first?.label ?? "?"
    }

    static func rows(_ data: Data) throws -> [[String]] {
        let reader = try CSVReader(bytes: Array(data))
        var rows: [[String]] = []
        while let record = try reader.next() { rows.append(record.fields) }
        return rows
    }

    // MARK: The filter

    @Test func everyRecordWithoutWhereInCodeAndDateOrder() throws {
        let setup = try Setup()
        let (summary, rows) = try setup.plaintextRows([])
        #expect(
            rows.first
                == [
                    "code", "given_name", "family_name", "phone", "consent", "visit_date", "sex", "age",
                    "nationality", "unaccompanied_child", "wg_seeing", "wg_hearing", "wg_walking", "wg_remembering",
                    "wg_self_care", "wg_communicating", "needs", "services_requested",
                ])
        #expect(summary.rows == 6 && rows.count == 7)
        let expected = Setup.records.map { "\($0.0)@\($0.1)" }.sorted { lhs, rhs in
            let l = setup.codes[Int(lhs.prefix { $0 != "@" })!].canonical
            let r = setup.codes[Int(rhs.prefix { $0 != "@" })!].canonical
            return l != r ? l < r : lhs < rhs
        }
        #expect(try setup.taken([]) == expected)
    }

    @Test func sameFieldIsOrOtherFieldsAreAnd() throws {
        let setup = try Setup()
        #expect(
            Set(try setup.taken(["sex=female"])) == ["0@2026-11-03", "0@2026-12-01", "2@2026-11-05", "4@2026-11-07"])
        #expect(
            Set(try setup.taken(["nationality=afg", "nationality=eri"]))
                == ["0@2026-11-03", "0@2026-12-01", "3@2026-11-06", "4@2026-11-07"])
        #expect(
            Set(try setup.taken(["nationality=afg", "nationality=syr", "sex=male"])) == ["1@2026-11-04"])
    }

    @Test func selectMultipleMeansContains() throws {
        let setup = try Setup()
        #expect(Set(try setup.taken(["needs=food"])) == ["0@2026-11-03", "3@2026-11-06", "4@2026-11-07"])
        #expect(Set(try setup.taken(["needs=water", "needs=shelter"])) == ["0@2026-11-03", "1@2026-11-04"])
        let (_, rows) = try setup.plaintextRows(["needs=water"])
        #expect(rows[1].last == "" && rows[1][rows[0].firstIndex(of: "needs")!] == "food water")
    }

    @Test func labelsInAnyLanguageCodesAndDates() throws {
        let setup = try Setup()
        #expect(try setup.taken(["Sexe=Femme", "Nationalité=Syrie"]) == ["2@2026-11-05"])
        #expect(try setup.request(["sex=Mujer"]).filter.auditText == "sex=female")
        #expect(
            try setup.taken(["visit_date>=2026-11-04", "visit_date<=2026-11-05"]).sorted()
                == ["1@2026-11-04", "2@2026-11-05"])
        #expect(try setup.taken(["visit_date=2026-12-01"]) == ["0@2026-12-01"])
        let code = setup.codes[0].canonical.lowercased()
        #expect(Set(try setup.taken(["code=\(code)"])) == ["0@2026-11-03", "0@2026-12-01"])
    }

    @Test(arguments: [
        ("colour=red", "unknownField"), ("given_name=Ana", "notFilterable"), ("age=34", "notFilterable"),
        ("sex=purple", "unknownChoice"), ("sex>=female", "rangeNotAllowed"), ("visit_date=yesterday", "badDate"),
        ("code=XXXX", "badCode"), ("sex", "malformedCondition"), ("=female", "malformedCondition"),
    ])
    func badConditionsAreUsageErrorsThatSayWhatExists(condition: String, expected: String) throws {
        let setup = try Setup()
        do {
            _ = try setup.request([condition])
            Issue.record("\(condition) was accepted")
        } catch {
            #expect((error as? RejoinError)?.isUsage == true)
            #expect("\(error)".hasPrefix("--where"))
            #expect(Self.caseName(error) == expected)
            if expected == "unknownField" || expected == "notFilterable" {
                #expect("\(error)".contains("fields: code, visit_date, sex, nationality"))
            }
            if expected == "unknownChoice" { #expect("\(error)".contains("choices: female, male, not_stated")) }
        }
    }

    // MARK: Identity in the file

    @Test func recordsWithoutIdentityHaveEmptyCellsAndAreCounted() throws {
        let setup = try Setup()
        let (summary, rows) = try setup.plaintextRows(["nationality=afg"])
        #expect(summary.unlinked == 1 && summary.rows == 3)
        let unlinkedCode = setup.codes[4].display
        let linkedCode = setup.codes[0].display
        let unlinked = try #require(rows.first(where: { $0[0] == unlinkedCode }))
        #expect(unlinked[1...4].allSatisfy { $0.isEmpty })
        #expect(unlinked[5] == "2026-11-07" && unlinked[6] == "female")
        let linked = try #require(rows.first(where: { $0[0] == linkedCode }))
        #expect(
            Array(linked[1...4])
                == [KeyFileFixture.canaryGiven, KeyFileFixture.canaryFamily, "'" + KeyFileFixture.canaryPhone, "yes"])
    }

    @Test func plaintextCellsCannotRunAsFormulas() throws {
        let setup = try Setup()
        let (summary, rows) = try setup.plaintextRows(["code=\(setup.codes[1].display)"])
        #expect(summary.outputKind == "plaintext")
        #expect(rows[1][1] == "'=HYPERLINK(\"http://x\")" && rows[1][2] == "'@SUM(A1)")
        for row in rows {
            for cell in row { #expect(!(cell.first.map { "=+-@\t\r".contains($0) } ?? false)) }
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: summary.destination.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func quotedNamesReadBackWhole() throws {
        let setup = try Setup()
        let (_, rows) = try setup.plaintextRows(["code=\(setup.codes[2].display)"])
        #expect(rows[1][1] == "Ana" && rows[1][2] == "Pérez, \"la Chica\"")
    }

    // MARK: Encryption

    @Test func opensWithTheRecipientsKeyOnly() throws {
        let setup = try Setup()
        let reader = AgeX25519Identity.generate()
        let other = AgeX25519Identity.generate()
        let summary = try Rejoin.run(
            try setup.request(["sex=female"]), workspace: setup.workspace, keys: setup.keys,
            output: .recipients([reader.recipient, other.recipient]))
        let sealed = try Data(contentsOf: summary.destination)
        #expect(try AgeEncryption.recipientTypes(of: AgeDataInput(sealed)) == ["X25519", "X25519"])
        for identity in [reader, other] {
            let rows = try Self.rows(try AgeEncryption.decrypt(sealed, identities: [.x25519(identity)]))
            #expect(rows.count == 5 && rows[1][1] == KeyFileFixture.canaryGiven)
        }
        #expect(throws: AgeError.self) {
            try AgeEncryption.decrypt(sealed, identities: [.x25519(AgeX25519Identity.generate())])
        }
        #expect(try KeyFileFixture.leaks(under: setup.workspace.root).isEmpty)
    }

    @Test func opensWithThePassphrase() throws {
        let setup = try Setup()
        let passphrase = try AgePassphrase("a passphrase for the referral partner")
        let summary = try Rejoin.run(
            try setup.request(), workspace: setup.workspace, keys: setup.keys,
            output: .passphrase(passphrase, workFactor: 1))
        let sealed = try Data(contentsOf: summary.destination)
        #expect(try AgeEncryption.recipientTypes(of: AgeDataInput(sealed)) == ["scrypt"])
        let rows = try Self.rows(try AgeEncryption.decrypt(sealed, identities: [.passphrase(passphrase)]))
        #expect(rows.count == 7)
        #expect(throws: AgeError.wrongPassphrase) {
            try AgeEncryption.decrypt(sealed, identities: [.passphrase(try AgePassphrase("not it"))])
        }
        #expect(try KeyFileFixture.leaks(under: setup.workspace.root).isEmpty)
    }

    @Test(
        "the age tool opens what rejoin writes", .enabled(if: ExternalTools.age != nil, ExternalTools.ageMissing))
    func ageToolOpensIt() throws {
        let setup = try Setup()
        let identity = AgeX25519Identity.generate()
        let summary = try Rejoin.run(
            try setup.request(), workspace: setup.workspace, keys: setup.keys, output: .recipients([identity.recipient])
        )
        let desk = TestPaths.temporaryDirectory("rejoin-age")
        defer { try? FileManager.default.removeItem(at: desk) }
        let keyFile = desk.appendingPathComponent("key.txt")
        let opened = desk.appendingPathComponent("view.csv")
        try Data(identity.identityFileText().utf8).write(to: keyFile)
        let run = try ExternalTools.run(
            ExternalTools.age!, ["-d", "-i", keyFile.path, "-o", opened.path, summary.destination.path])
        #expect(run.status == 0, "age: \(run.stderr)")
        let rows = try Self.rows(try Data(contentsOf: opened))
        #expect(rows.count == 7 && rows.contains { $0[2] == KeyFileFixture.canaryFamily })
    }

    @Test("pyrage opens a passphrase rejoin", .enabled(if: ExternalTools.hasPyrage, ExternalTools.pyrageMissing))
    func pyrageOpensIt() throws {
        let setup = try Setup()
        let secret = "a passphrase for pyrage"
        let summary = try Rejoin.run(
            try setup.request(), workspace: setup.workspace, keys: setup.keys,
            output: .passphrase(try AgePassphrase(secret), workFactor: 10))
        let opened = TestPaths.temporaryDirectory("rejoin-pyrage").appendingPathComponent("view.csv")
        let run = try ExternalTools.pyrage(
            "decrypt-passphrase", input: summary.destination, output: opened, secret: secret)
        #expect(run.status == 0, "pyrage: \(run.stderr)")
        #expect(try Self.rows(try Data(contentsOf: opened)).count == 7)
    }

    // MARK: The key file, the purpose and the audit log

    @Test func wrongPassphraseOpensNothing() throws {
        let setup = try Setup()
        #expect {
            _ = try Rejoin.unlock(workspace: setup.workspace, passphrase: KeyFileFixture.otherPassphrase)
        } throws: { error in
            guard case RejoinError.keyFile(.wrongPassphrase) = error else { return false }
            return true
        }
        let keys = try Rejoin.unlock(workspace: setup.workspace, passphrase: KeyFileFixture.passphrase)
        #expect(keys.entries.isEmpty)  // the fixture's file; people were added in memory only
    }

    @Test(arguments: [
        ("", "emptyPurpose"), ("   ", "emptyPurpose"), ("call +00 611 222 333", "purposeLooksLikeIdentity"),
        ("send to ana@example.org", "purposeLooksLikeIdentity"), ("name: Zebulon", "purposeLooksLikeIdentity"),
        ("two\nlines", "purposeNotOneLine"), (String(repeating: "x", count: 201), "purposeNotOneLine"),
    ])
    func purposesThatCouldNameSomeoneAreRefused(purpose: String, expected: String) throws {
        do {
            _ = try Rejoin.checkPurpose(purpose)
            Issue.record("accepted")
        } catch {
            #expect(error.isUsage)
            #expect(Self.caseName(error) == expected)
            #expect(!"\(error)".contains("611") && !"\(error)".contains("Zebulon") && !"\(error)".contains("ana@"))
        }
        #expect(
            try Rejoin.checkPurpose("follow-up of visits from 2026-11-01 to 2026-11-30")
                == "follow-up of visits from 2026-11-01 to 2026-11-30")
        #expect(
            try Rejoin.checkPurpose("  referral to the health partner, week 48 ")
                == "referral to the health partner, week 48")
    }

    @Test func oneAuditEntryWithPurposeFilterCountsAndCodesButNoIdentity() throws {
        let setup = try Setup()
        let before = try AuditLog.entries(in: setup.fixture.store).count
        let summary = try Rejoin.run(
            try setup.request(["nationality=afg", "nationality=syr", "visit_date<=2026-11-30"]),
            workspace: setup.workspace, keys: setup.keys, output: .recipients([AgeX25519Identity.generate().recipient]))
        let entries = try AuditLog.entries(in: setup.fixture.store)
        #expect(entries.count == before + 1)
        let entry = try #require(entries.last)
        #expect(entry == summary.auditEntry && entry.action == .rejoin)
        #expect(
            entry.detail
                == "output=recipients; purpose=follow-up of referrals; rows=4; template=intake; unlinked=1; where=nationality=afg|syr, visit_date<=2026-11-30"
        )
        // Afghan and Syrian records up to November: codes 0, 1, 2 and 4 (code 0's December visit is out).
        #expect(entry.codes == [0, 1, 2, 4].map { setup.codes[$0].canonical }.sorted().joined(separator: ","))
        for value in [KeyFileFixture.canaryGiven, KeyFileFixture.canaryFamily, "611"] {
            #expect(!entry.detail.contains(value) && !entry.codes.contains(value))
        }
        #expect(try AuditLog.verify(setup.fixture.store).isEmpty)
    }

    @Test func wrongExtensionIsRefusedBeforeAnything() throws {
        let setup = try Setup()
        #expect {
            _ = try Rejoin.prepare(
                workspace: setup.workspace, template: "intake", purpose: "follow-up", conditions: [],
                destination: setup.outputFolder.appendingPathComponent("view.csv"), plaintext: false)
        } throws: { error in
            guard case RejoinError.wrongExtension = error else { return false }
            return true
        }
        let request = try setup.request(name: "view.age")
        #expect(throws: RejoinError.self) {
            _ = try Rejoin.run(request, workspace: setup.workspace, keys: setup.keys, output: .plaintext)
        }
        #expect(!FileManager.default.fileExists(atPath: request.destination.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.outputFolder.path).isEmpty)
    }

    @Test(
        "a purpose that names someone in the key file is refused after unlocking, and nothing is written or audited",
        arguments: [
            // (Written "Zebulon Quartermaine", the name is refused before the key file is opened: two capitalised
            // words. Here, the check against the key file's names is what refuses it.)
            "shelter referral for zebulon quartermaine", "referral: zebulon", "follow up Z e b u l o n",
            "call QUARTERMAINE about housing", "ask Ana about the appointment", "Omar's papers",
            "Zébulon's referral",
        ])
    func purposesNamingSomeoneInTheKeyFileAreRefused(purpose: String) throws {
        let setup = try Setup()
        let before = try AuditLog.entries(in: setup.fixture.store).count
        let request = try setup.request(purpose: purpose, name: "view-\(UUID().uuidString).csv")
        #expect {
            _ = try Rejoin.run(request, workspace: setup.workspace, keys: setup.keys, output: .plaintext)
        } throws: { error in
            guard case RejoinError.purposeNamesAPerson = error else { return false }
            return !"\(error)".lowercased().contains("zebulon")
        }
        #expect(!FileManager.default.fileExists(atPath: request.destination.path))
        #expect(try AuditLog.entries(in: setup.fixture.store).count == before)
    }

    @Test("ordinary purposes still pass", arguments: ["follow-up of referrals", "shelter list for 2026-11", "yes"])
    func ordinaryPurposesPass(purpose: String) {
        #expect(!Rejoin.purposeNamesSomeone(purpose, keys: (try! Setup()).keys))
    }
}
