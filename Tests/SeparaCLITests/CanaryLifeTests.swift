import Foundation
import GRDB
import SeparaKit
import Testing

/// The whole life of a workspace with one canary identity (a distinctive name and phone), through the built
/// binary: init, print, ingest, key add and merge, lookup, find, reissue, resolve, rejoin, report, audit,
/// purge. After every step every byte of every file in the workspace and in the temp folder the commands
/// used is scanned for the canary (UTF-8, UTF-16, base64, hex): it is found only inside age-encrypted files,
/// and after `purge --code` not even there.
@Suite("Canary: the life of a workspace")
struct CanaryLifeTests {
    /// The binary's environment: a tiny scrypt work factor, and a temp folder the scan covers.
    let environment: [String: String]
    let root: URL
    let desk: URL
    let temp: URL
    let pass: URL

    init() throws {
        let base = CLI.temporaryDirectory()
        root = base.appendingPathComponent("ws")
        desk = base.appendingPathComponent("desk")
        temp = base.appendingPathComponent("tmp")
        for folder in [root, desk, temp] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        environment = ["SEPARA_KEY_WORK_FACTOR": "1", "TMPDIR": temp.path]
        pass = desk.appendingPathComponent("passphrase.txt")
        try Data("the coordinator's long passphrase\n".utf8).write(to: pass)
    }

    @discardableResult
    func separa(
        _ arguments: [String], expect status: Int32 = 0, sourceLocation: Testing.SourceLocation = #_sourceLocation
    )
        throws -> CLI.Run
    {
        let run = try CLI.run(arguments, in: root, environment: environment)
        #expect(
            run.status == status, "separa \(arguments.joined(separator: " ")): \(run.stderr)",
            sourceLocation: sourceLocation)
        return run
    }

    /// The scan after a step: no canary outside age files, in the workspace or the temp folder.
    func scan(_ step: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let leaks = Canary.leaks(under: [root, temp])
        #expect(leaks.isEmpty, "after \(step): \(leaks)", sourceLocation: sourceLocation)
    }

    func write(_ lines: [String], to name: String) throws -> URL {
        let url = desk.appendingPathComponent(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url
    }

    func records(_ store: Store, _ code: CaseCode) throws -> Int {
        try store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM record WHERE code = ?", arguments: [code.canonical]) ?? 0
        }
    }

    @Test func theCanaryIsFoundOnlyInsideAgeFilesAndAfterErasureNowhere() throws {
        // init, with a data controller so that cards print.
        try separa(["init", root.path, "--site", "Canary Site"])
        let config = root.appendingPathComponent("separa.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any])
        json["controller"] = ["name": "Example Society", "contact": "data@example.org"]
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted]).write(to: config)
        scan("init")

        // print: forms for four people, and the key file.
        try separa(["print", "intake", "--count", "4", "--card"])
        try separa(["key", "init", "--passphrase-file", pass.path])
        let store = try Workspace.open(root).openStore()
        let codes = try store.database.read { db in
            try String.fetchAll(db, sql: "SELECT code FROM code ORDER BY code").map { try CaseCode.parse($0) }
        }
        #expect(codes.count == 4)
        let (canary, others) = (codes[0], Array(codes.dropFirst()))
        scan("print")

        // The clerk ingests the sensitive sheets and seals the identity slips.
        func row(_ code: CaseCode, _ day: Int) -> String {
            "\(code.display),\(String(format: "%02d", day))/11/2026,female,34,syr,no"
        }
        let header = "code,visit_date,sex,age,nationality,unaccompanied_child"
        let sheets = try write([header, row(canary, 3), row(canary, 10)] + others.map { row($0, 3) }, to: "sheets.csv")
        try separa(["ingest", "intake", sheets.path])
        let slips = try write(
            [
                "code,given_name,family_name,phone,consent",
                "\(canary.display),\(Canary.givenName),\(Canary.familyName),\(Canary.phone),yes",
            ] + others.enumerated().map { "\($1.display),Person\($0),Family\($0),,yes" }, to: "slips.csv")
        try separa(["key", "add", slips.path, "--shred"])
        #expect(!FileManager.default.fileExists(atPath: slips.path))
        scan("key add")
        try separa(["key", "merge", "--passphrase-file", pass.path])
        scan("key merge")

        // The coordinator looks the canary up (terminal text only) and finds them into an age file.
        let lookup = try separa(["key", "lookup", canary.display, "--plaintext", "--passphrase-file", pass.path])
        #expect(lookup.stdout.contains(Canary.familyName))
        try separa([
            "key", "find", "zebulon", "--output", "output/found.age", "--passphrase-file", pass.path,
        ])
        scan("lookup and find")

        // Reissue: every record moves, the old code is refused at ingest, resolve rewrites the sheet.
        let reissue = try separa([
            "key", "reissue", canary.display, "--reason", "exposed", "--passphrase-file", pass.path,
        ])
        #expect(try records(store, canary) == 0)
        let moved = try store.database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT code FROM record").map { try CaseCode.parse($0) }
        }
        let current = try #require(Set(moved).subtracting(others).first)
        #expect(reissue.stdout.contains("\(canary.display) → \(current.display)"))
        #expect(try records(store, current) == 2)
        #expect(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("output/card-\(current.display).pdf").path))
        scan("reissue")
        let late = try write([header, row(canary, 17)], to: "late.csv")
        let refused = try separa(["ingest", "intake", late.path], expect: 3)
        #expect(refused.stdout.contains("code revoked"))
        let rejects = try #require(
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("output").path)
                .first { $0.hasPrefix("rejects-") })
        try separa(["key", "resolve", "output/\(rejects)", "--passphrase-file", pass.path])
        try separa(["ingest", "intake", "output/\(rejects)"])
        #expect(try records(store, current) == 3)
        scan("resolve")

        // Rejoin for a follow-up, encrypted to a caseworker's key.
        let keygen = try separa(["age", "keygen", "-o", desk.appendingPathComponent("caseworker.key").path])
        let recipient = try #require(
            (keygen.stdout + keygen.stderr).split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("age1") })
        try separa([
            "rejoin", "--template", "intake", "--purpose", "shelter referral Tuesday", "--to", String(recipient), "-o",
            "output/follow-up.age", "--passphrase-file", pass.path,
        ])
        let opened = try separa([
            "age", "decrypt", "-i", desk.appendingPathComponent("caseworker.key").path, "output/follow-up.age",
        ])
        #expect(opened.stdout.contains(Canary.familyName) && opened.stdout.contains(current.display))
        scan("rejoin")

        try separa(["report"])
        scan("report")
        try separa(["audit", "verify", "--key", "--passphrase-file", pass.path])
        let audit = try separa(["audit", "show"])
        #expect(!Canary.appears(in: Data(audit.stdout.utf8)))
        scan("audit")
        // Only age files hold the canary: the key file, the find result, the rejoin export.
        let sealed = Canary.leaks(under: [root], includingAgeFiles: true).map {
            URL(fileURLWithPath: String($0.prefix { $0 != ":" })).lastPathComponent
        }
        #expect(Set(sealed).isSubset(of: ["identity.age", "found.age", "follow-up.age"]))

        // Erasure on request. The exports were handed over and deleted by the coordinator; purge --code
        // removes the key-file entry, the records and the registry rows (current and revoked code).
        for export in ["output/found.age", "output/follow-up.age"] {
            try FileManager.default.removeItem(at: root.appendingPathComponent(export))
        }
        let purge = try separa(["purge", "--code", canary.display, "--passphrase-file", pass.path])
        #expect(
            purge.stdout.contains("in 1 re-identified export(s)")
                && purge.stdout.contains("purpose=shelter referral Tuesday"))
        #expect(try records(store, current) == 0)
        let registered = try store.database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM code WHERE code IN (?, ?)",
                arguments: [canary.canonical, current.canonical])
        }
        #expect(registered == 0)
        #expect(Canary.leaks(under: [root, temp], includingAgeFiles: true).isEmpty)
        // Nor does any byte of the workspace hold either of the person's codes, or the purpose of the rejoin
        // that named them — except the outputs purge listed for the coordinator to remove (forms, the card,
        // the rejects file), which the coordinator chose to keep.
        let listed = Set(
            purge.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("output/") })
        #expect(listed.contains("output/card-\(current.display).pdf"))
        let traces = [canary.canonical, canary.display, current.canonical, current.display, "shelter referral Tuesday"]
        for (url, data) in Canary.files(under: [root, temp]) {
            let path = url.path.replacingOccurrences(of: root.path + "/", with: "")
            let found = traces.filter { trace in Canary.patterns(of: trace).contains { data.range(of: $0) != nil } }
            #expect(found.isEmpty || listed.contains(path), "\(path) still holds \(found)")
        }
        let keyFile = try separa(["age", "decrypt", "--passphrase-file", pass.path, "keys/identity.age"])
        #expect(keyFile.stdout.contains("Person0"))
        #expect(!Canary.appears(in: Data(keyFile.stdout.utf8)))
        #expect(!keyFile.stdout.contains(current.canonical) && !keyFile.stdout.contains(canary.canonical))
        // The others are untouched.
        for code in others { #expect(try records(store, code) == 1) }
        try separa(["audit", "verify", "--key", "--passphrase-file", pass.path])
    }
}
