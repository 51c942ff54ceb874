import Foundation
import GRDB
import Testing

@testable import SeparaKit

#if canImport(Glibc)
    import Glibc
#endif

/// `separa key …` end to end: the built binary in a temporary workspace, passphrases from files, and a tiny
/// scrypt work factor through SEPARA_KEY_WORK_FACTOR (honoured for tests and benchmarks; production is 18).
@Suite("separa key")
struct KeyCommandTests {
    static let fast = ["SEPARA_KEY_WORK_FACTOR": "1"]

    /// A workspace with registered codes, passphrase files A and B outside it, and a key file locked with A.
    struct Setup {
        let root: URL
        let desk: URL
        let codes: [CaseCode]
        let passA: URL
        let passB: URL

        init(codes count: Int = 40, initialize: Bool = true) throws {
            root = try CLI.workspace()
            desk = CLI.temporaryDirectory()
            let workspace = try Workspace.open(root)
            let store = try workspace.openStore()
            var drawn: [CaseCode] = []
            var rng = SystemRandomNumberGenerator()
            _ = try CodeRegistry(workspace: workspace, store: store).issue(
                count: count, prefix: "TEST", sink: { code, _, _ in drawn.append(code) }, generator: &rng)
            codes = drawn
            passA = desk.appendingPathComponent("a.txt")
            passB = desk.appendingPathComponent("b.txt")
            try Data("passphrase A, long enough\nsecond line ignored\n".utf8).write(to: passA)
            try Data("passphrase B, also long\n".utf8).write(to: passB)
            if initialize {
                let run = try key(["init", "--passphrase-file", passA.path])
                #expect(run.status == 0, "\(run.stderr)")
            }
        }

        @discardableResult
        func key(_ arguments: [String]) throws -> CLI.Run {
            try CLI.run(["key"] + arguments, in: root, environment: KeyCommandTests.fast)
        }

        func slips(_ rows: [(CaseCode, String, String)], name: String = "slips.csv") throws -> URL {
            let text =
                (["code,Given name,family_name,phone,consent"] + rows.map { "\($0.0.display),\($0.1),\($0.2),,yes" })
                .joined(separator: "\n")
            let url = root.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url
        }

        var keyFile: URL { root.appendingPathComponent("keys/identity.age") }

        /// The key file's entries with the passphrase in `file`, or nil when it does not open with it.
        func entries(with file: URL) -> Set<String>? {
            let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
            let line = String(text.prefix { $0 != "\n" })
            guard let passphrase = try? AgePassphrase(line),
                let content = try? KeyFile.open(keyFile, passphrase: passphrase)
            else { return nil }
            return Set(content.entries.keys)
        }
    }

    @Test func helpTexts() throws {
        for (arguments, name) in [
            (["key", "--help"], "help-key.txt"), (["key", "add", "--help"], "help-key-add.txt"),
            (["key", "lookup", "--help"], "help-key-lookup.txt"),
            (["key", "reissue", "--help"], "help-key-reissue.txt"),
            (["key", "resolve", "--help"], "help-key-resolve.txt"),
        ] {
            let run = try CLI.run(arguments, in: CLI.temporaryDirectory())
            try CLI.assertGolden(run.stdout, name)
        }
    }

    @Test func clerkAddsCoordinatorMergesLooksUpAndChangesThePassphrase() throws {
        let setup = try Setup()
        #expect(FileManager.default.fileExists(atPath: setup.root.appendingPathComponent("keys/recipient.txt").path))
        let slips = try setup.slips([(setup.codes[0], "Zebulon", "Quartermaine"), (setup.codes[1], "Ana", "Pérez")])
        let add = try setup.key(["add", slips.lastPathComponent, "--shred"])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("Sealed 2 identity slip(s)"))
        #expect(!FileManager.default.fileExists(atPath: slips.path))

        let merge = try setup.key(["merge", "--passphrase-file", setup.passA.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("Merged 2 entries from 1 inbox file(s)"))

        // Standard output is a pipe here: refused without --plaintext or --output.
        let refused = try setup.key(["lookup", setup.codes[0].display, "--passphrase-file", setup.passA.path])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("not a terminal"))

        let lookup = try setup.key([
            "lookup", setup.codes[0].canonical, "--plaintext", "--passphrase-file", setup.passA.path,
        ])
        #expect(lookup.status == 0, "\(lookup.stderr)")
        #expect(lookup.stdout.contains("Given name: Zebulon") && lookup.stdout.contains("Family name: Quartermaine"))

        let find = try setup.key([
            "find", "zebulon QUARTER maine", "--plaintext", "--passphrase-file", setup.passA.path,
        ])
        #expect(find.status == 0 && find.stdout.contains(setup.codes[0].display))
        let none = try setup.key(["find", "nobody", "--plaintext", "--passphrase-file", setup.passA.path])
        #expect(none.status == 1)

        let sealed = setup.desk.appendingPathComponent("found.age")
        let output = try setup.key(["find", "Pérez", "--output", sealed.path, "--passphrase-file", setup.passA.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try AgeEncryption.recipientTypes(of: AgeDataInput(Data(contentsOf: sealed))) == ["X25519"])

        let passwd = try setup.key([
            "passwd", "--passphrase-file", setup.passA.path, "--new-passphrase-file", setup.passB.path,
        ])
        #expect(passwd.status == 0, "\(passwd.stderr)")
        #expect(setup.entries(with: setup.passA) == nil)
        #expect(setup.entries(with: setup.passB) == Set(setup.codes[0..<2].map(\.canonical)))

        #expect(try leaks(under: setup.root).isEmpty)
        let audit = try AuditLog.entries(in: try Workspace.open(setup.root).openStore()).map(\.action)
        #expect(audit.filter { $0 == .keyUnlock }.count == 6)
        #expect(audit.contains(.keyAdd) && audit.contains(.keyMerge) && audit.contains(.keyPasswd))
    }

    @Test func reissueMovesRecordsAndResolveRewritesTheRejectedSheet() throws {
        let setup = try Setup()
        let (old, other) = (setup.codes[0], setup.codes[1])
        let slips = try setup.slips([(old, "Zebulon", "Quartermaine")])
        #expect(try setup.key(["add", slips.lastPathComponent, "--shred"]).status == 0)
        #expect(try setup.key(["merge", "--passphrase-file", setup.passA.path]).status == 0)
        func sheet(_ name: String, _ rows: [(CaseCode, Int)]) throws -> URL {
            let lines =
                ["code,visit_date,sex,age,nationality,unaccompanied_child"]
                + rows.map { "\($0.0.display),\(String(format: "%02d", $0.1))/11/2026,female,34,syr,no" }
            let url = setup.desk.appendingPathComponent(name)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
            return url
        }
        let first = try CLI.run(["ingest", "intake", try sheet("a.csv", [(old, 3), (old, 4)]).path], in: setup.root)
        #expect(first.status == 0, "\(first.stderr)")

        let reissue = try setup.key([
            "reissue", old.display, "--reason", "lost", "--no-card", "--passphrase-file", setup.passA.path,
        ])
        #expect(reissue.status == 0, "\(reissue.stderr)")
        #expect(reissue.stdout.contains("2 record(s) moved"))
        let store = try Workspace.open(setup.root).openStore()
        let new = try #require(
            try store.database.read { db in try String.fetchOne(db, sql: "SELECT DISTINCT code FROM record") }
                .flatMap { try CaseCode.parse($0) })
        #expect(new != old && reissue.stdout.contains("\(old.display) → \(new.display)"))

        let again = try setup.key([
            "reissue", old.canonical, "--reason", "lost", "--no-card", "--passphrase-file", setup.passA.path,
        ])
        #expect(again.status == 1 && again.stderr.contains("replaced already"))
        let unlinked = try setup.key([
            "reissue", other.display, "--reason", "other", "--no-card", "--passphrase-file", setup.passA.path,
        ])
        #expect(unlinked.status == 1 && unlinked.stderr.contains("no person is linked"))
        let badReason = try setup.key(["reissue", other.display, "--reason", "because", "--no-card"])
        #expect(badReason.status == 64)
        let wrong = try setup.key([
            "reissue", new.display, "--reason", "lost", "--no-card", "--passphrase-file", setup.passB.path,
        ])
        #expect(wrong.status == 4)

        let late = try CLI.run(["ingest", "intake", try sheet("b.csv", [(old, 9), (other, 9)]).path], in: setup.root)
        #expect(late.status == 2)
        let rejects = try #require(
            try FileManager.default.contentsOfDirectory(atPath: setup.root.appendingPathComponent("output").path)
                .first { $0.hasPrefix("rejects-") })
        let rejectsPath = "output/\(rejects)"
        let resolve = try setup.key(["resolve", rejectsPath, "--passphrase-file", setup.passA.path])
        #expect(resolve.status == 0, "\(resolve.stderr)")
        #expect(resolve.stdout.contains("Resolved 1 of 1 row(s)"))
        let reimport = try CLI.run(["ingest", "intake", rejectsPath], in: setup.root)
        #expect(reimport.status == 0, "\(reimport.stderr)")
        let moved = try store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM record WHERE code = ?", arguments: [new.canonical])
        }
        #expect(moved == 3)
        #expect(try leaks(under: setup.root).isEmpty)
    }

    @Test func aWrongPassphraseExitsWithThreeAndWritesNothing() throws {
        let setup = try Setup()
        let slips = try setup.slips([(setup.codes[0], "Zebulon", "Quartermaine")])
        #expect(try setup.key(["add", slips.lastPathComponent]).stderr.contains("still holds identity"))
        let before = try snapshot(setup.root)
        for arguments in [
            ["merge"], ["passwd", "--new-passphrase-file", setup.passA.path],
            ["lookup", setup.codes[0].display, "--plaintext"], ["find", "Zebulon", "--plaintext"],
        ] {
            let run = try setup.key(arguments + ["--passphrase-file", setup.passB.path])
            #expect(run.status == 4, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("wrong passphrase"))
            #expect(!run.stderr.contains("Zebulon"))
        }
        #expect(try snapshot(setup.root) == before)
    }

    @Test func addRejectsAreListedWithoutIdentity() throws {
        let setup = try Setup()
        let workspace = try Workspace.open(setup.root)
        let unregistered = CaseCode(randomValues: Array(repeating: 5, count: workspace.config.codes.randomLength))
        let slips = try setup.slips([
            (setup.codes[0], "Zebulon", "Quartermaine"), (setup.codes[0], "Zebulon", "Quartermaine"),
            (unregistered, "Zebulon", "Quartermaine"),
        ])
        let run = try setup.key(["add", slips.lastPathComponent, "--shred"])
        #expect(run.status == 2)
        #expect(run.stdout.contains("slips.csv:3: column 'code': same code as line 2"))
        #expect(run.stdout.contains("slips.csv:4: column 'code': code not registered"))
        #expect(!run.stdout.contains("Zebulon") && !run.stderr.contains("Zebulon"))
        // --shred destroyed the sealed row only: the two rejected rows stay in the CSV, for the clerk to fix,
        // and nowhere else.
        #expect(run.stdout.contains("now holds only the 2 rejected row(s)"))
        #expect(try leaks(under: setup.root).allSatisfy { $0.contains("slips.csv") })
        let kept = String(decoding: try Data(contentsOf: slips), as: UTF8.self)
        #expect(kept.split(whereSeparator: \.isNewline).count == 3)
    }

    /// Kills `key passwd` and `key merge` with SIGKILL at random moments; after each kill the key file opens
    /// with exactly one of the two passphrases and holds the content from before or after the command.
    @Test func crashLoop() throws {
        let setup = try Setup(codes: 120)
        var passphrase = setup.passA
        var linked: Set<String> = []
        var waiting: Set<String> = []
        var nextCode = 0
        var interrupted = 0
        var completed = 0
        var generator = SystemRandomNumberGenerator()
        // Kill moments spread over a whole run: timed once, unkilled (passwd to the same passphrase).
        let start = Date()
        let timing = try setup.key([
            "passwd", "--passphrase-file", passphrase.path, "--new-passphrase-file", passphrase.path,
        ])
        #expect(timing.status == 0, "\(timing.stderr)")
        let span = UInt32(min(max(Date().timeIntervalSince(start) * 1.3, 0.02), 2) * 1_000_000)
        for round in 0..<60 {
            let isMerge = round % 2 == 1
            let other = passphrase == setup.passA ? setup.passB : setup.passA
            if isMerge {
                let rows = (0..<2).map { _ in
                    defer { nextCode += 1 }
                    return (setup.codes[nextCode], "Given\(nextCode)", "Family\(nextCode)")
                }
                let slips = try setup.slips(rows, name: "round\(round).csv")
                let add = try setup.key(["add", slips.lastPathComponent, "--shred"])
                #expect(add.status == 0, "\(add.stderr)")
                waiting.formUnion(rows.map { $0.0.canonical })
            }
            let arguments =
                isMerge
                ? ["key", "merge", "--passphrase-file", passphrase.path]
                : ["key", "passwd", "--passphrase-file", passphrase.path, "--new-passphrase-file", other.path]
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = arguments
            process.currentDirectoryURL = setup.root
            process.environment = ProcessInfo.processInfo.environment.merging(Self.fast) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0...span, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { interrupted += 1 } else { completed += 1 }

            let withCurrent = setup.entries(with: passphrase)
            let withOther = setup.entries(with: other)
            #expect(
                (withCurrent == nil) != (withOther == nil), "round \(round): the key file opens with neither or both")
            let entries = try #require(withCurrent ?? withOther, "round \(round)")
            if isMerge {
                #expect(entries == linked || entries == linked.union(waiting), "round \(round): a partial merge")
                if entries != linked {
                    linked = entries
                    waiting = []
                }
            } else {
                #expect(entries == linked, "round \(round): passwd changed the content")
                if withOther != nil { passphrase = other }
            }
        }
        // Finished without interruption, everything added ends up linked, and nothing leaked.
        let final = try setup.key(["merge", "--passphrase-file", passphrase.path])
        #expect(final.status == 0, "\(final.stderr)")
        #expect(setup.entries(with: passphrase) == linked.union(waiting))
        #expect(interrupted > 0, "no run was interrupted: the kill came too late every time")
        #expect(try leaks(under: setup.root).isEmpty)
        print("crash loop: \(interrupted) runs killed, \(completed) finished before the kill")
    }

    // MARK: Helpers

    /// Every file's bytes under `root`, by relative path.
    func snapshot(_ root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[url.path.replacingOccurrences(of: root.path, with: "")] = try Data(contentsOf: url)
            }
        }
        return files
    }

    /// Files under `root` (age files excepted) holding a canary value in any encoding.
    @Test("key add killed after sealing: the retry seals again and the merge takes the person once, holding nothing")
    func keyAddKilledAfterSealing() throws {
        let setup = try Setup()
        let slips = try setup.slips([(setup.codes[0], "Amal", "One"), (setup.codes[1], "Bilal", "Two")])
        let killed = try CLI.run(
            ["key", "add", slips.lastPathComponent], in: setup.root,
            environment: KeyCommandTests.fast.merging([FaultInjection.variable: "key-add-after-seal"]) { $1 })
        #expect(killed.status != 0)
        let retry = try setup.key(["add", slips.lastPathComponent])
        #expect(retry.status == 0, "\(retry.stderr)")
        let merge = try setup.key(["merge", "--passphrase-file", setup.passA.path])
        #expect(merge.status == 0, "\(merge.stdout)\(merge.stderr)")
        #expect(merge.stdout.contains("Merged 2 entries") && merge.stdout.contains("2 already in the key file"))
        #expect(setup.entries(with: setup.passA) == [setup.codes[0].canonical, setup.codes[1].canonical])
        #expect(!FileManager.default.fileExists(atPath: setup.root.appendingPathComponent("keys/held").path))
    }

    @Test("key merge killed after removing the inbox files: the next merge clears the stale list of waiting codes")
    func keyMergeKilledAfterRemovingFiles() throws {
        let setup = try Setup()
        let slips = try setup.slips([(setup.codes[0], "Amal", "One")])
        #expect(try setup.key(["add", slips.lastPathComponent]).status == 0)
        let killed = try CLI.run(
            ["key", "merge", "--passphrase-file", setup.passA.path], in: setup.root,
            environment: KeyCommandTests.fast.merging([FaultInjection.variable: "key-merge-after-remove"]) { $1 })
        #expect(killed.status != 0)
        let pending = setup.root.appendingPathComponent("keys/inbox/pending-codes.txt")
        #expect(FileManager.default.fileExists(atPath: pending.path))
        #expect(setup.entries(with: setup.passA) == [setup.codes[0].canonical])
        let again = try setup.key(["merge", "--passphrase-file", setup.passA.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pending.path))
        // A slip for another code is sealed as usual afterwards.
        let next = try setup.slips([(setup.codes[1], "Bilal", "Two")], name: "next.csv")
        let added = try setup.key(["add", next.lastPathComponent])
        #expect(added.status == 0 && added.stdout.contains("Sealed 1 identity slip"), "\(added.stdout)")
    }

    func leaks(under root: URL) throws -> [String] { Canary.leaks(under: [root]) }
}
