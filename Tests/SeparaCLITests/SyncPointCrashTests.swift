import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// Every command that changes the store or the key file, killed with SIGKILL at each of its sync points:
/// every `fsync`, `fdatasync`, `rename` and `unlink` it makes, its own and SQLite's, found by tracing a clean
/// run with strace and then replayed one by one with strace's fault injection (`-e inject=SYSCALL:signal=KILL
/// :when=N` kills the process as it enters the Nth such call). After each kill: the store passes
/// `PRAGMA integrity_check`, `audit verify --key` passes (so the key file opens), the same command run again
/// completes (or says the work is already done), and nothing is lost or duplicated.
@Suite(
    "Every sync point of every changing command survives kill -9",
    .enabled(if: SyncPoints.available, "SKIPPED: strace is not installed or may not trace here")
)
struct SyncPointCrashTests {
    // MARK: The base workspace

    /// A workspace with five printed codes (A…E), records for A, B and C, and A, B and C in the key file.
    final class Base: Sendable {
        let root: URL
        let desk: URL
        let pass: URL
        let codes: [String]

        init() throws {
            desk = CLI.temporaryDirectory()
            root = desk.appendingPathComponent("base")
            pass = desk.appendingPathComponent("pass.txt")
            try Data("the coordinator's long passphrase\n".utf8).write(to: pass)
            let initRun = try CLI.run(["init", root.path, "--site", "Crash Site"], in: desk)
            #expect(initRun.status == 0, "\(initRun.stderr)")
            let config = root.appendingPathComponent("separa.json")
            var json = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any])
            json["controller"] = ["name": "Example Society", "contact": "data@example.org"]
            try JSONSerialization.data(withJSONObject: json).write(to: config)
            try SyncPoints.expectOK(["print", "intake", "--count", "5", "--card"], in: root)
            try SyncPoints.expectOK(["key", "init", "--passphrase-file", pass.path], in: root)
            codes = try SyncPoints.query(root, "SELECT code FROM code ORDER BY code").map { $0 ?? "" }
            #expect(codes.count == 5)
            try Data(
                (["code,visit_date,sex,age,nationality,unaccompanied_child"]
                    + codes.prefix(3).map { "\($0),03/11/2026,female,34,syr,no" }).joined(separator: "\n").utf8
            ).write(to: desk.appendingPathComponent("sheets.csv"))
            try SyncPoints.expectOK(["ingest", "intake", desk.appendingPathComponent("sheets.csv").path], in: root)
            try slips(Array(codes.prefix(3)), to: "slips-abc.csv")
            try slips(Array(codes.suffix(2)), to: "slips-de.csv")
            try SyncPoints.expectOK(["key", "add", desk.appendingPathComponent("slips-abc.csv").path], in: root)
            try SyncPoints.expectOK(["key", "merge", "--passphrase-file", pass.path], in: root)
            try Data(
                (["code,visit_date,sex,age,nationality,unaccompanied_child"]
                    + codes.prefix(3).map { "\($0),10/11/2026,female,35,syr,no" }
                    + ["\(codes[3]),10/11/2026,female,not a number,syr,no"]).joined(separator: "\n").utf8
            ).write(to: desk.appendingPathComponent("visits.csv"))
        }

        func slips(_ codes: [String], to name: String) throws {
            try Data(
                (["code,given_name,family_name,phone,consent"]
                    + codes.enumerated().map { "\($1),Given\($0),Family\($0),,yes" }).joined(separator: "\n").utf8
            ).write(to: desk.appendingPathComponent(name))
        }

        /// A fresh copy of the base workspace to run one kill in, with its own copy of the desk files (the
        /// workspace is `run/ws`, the files beside it in `run/`).
        func copy(preparing: [String]? = nil) throws -> URL {
            let run = desk.appendingPathComponent("run-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            let target = run.appendingPathComponent("ws")
            try FileManager.default.copyItem(at: root, to: target)
            for name in try FileManager.default.contentsOfDirectory(atPath: desk.path) where name.contains(".") {
                try FileManager.default.copyItem(
                    at: desk.appendingPathComponent(name), to: run.appendingPathComponent(name))
            }
            if let preparing { try SyncPoints.expectOK(localised(preparing, to: target), in: target) }
            return target
        }

        /// `arguments` with the desk files replaced by the run's own copies.
        func localised(_ arguments: [String], to target: URL) -> [String] {
            arguments.map {
                $0.replacingOccurrences(of: desk.path + "/", with: target.deletingLastPathComponent().path + "/")
            }
        }
    }

    static let base = Result { try Base() }

    // MARK: The sweep

    /// One command's sweep: trace it once on a fresh copy, then for each sync point kill it there on another
    /// fresh copy, check, run it again, check what must hold at the end.
    func sweep(
        _ name: String, arguments: [String], preparing: [String]? = nil, status: Int32 = 0,
        rerunMayRefuse: Bool = false, afterKill: (Base, URL) throws -> Void = { _, _ in },
        finally check: (Base, URL) throws -> Void
    ) throws {
        let base = try Self.base.get()
        let first = try base.copy(preparing: preparing)
        let points = try SyncPoints.points(base.localised(arguments, to: first), in: first, status: status)
        #expect(points.count >= 3, "\(name): only \(points.count) sync points traced")
        var killed = 0
        for point in points {
            let root = try base.copy(preparing: preparing)
            defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
            let arguments = base.localised(arguments, to: root)
            let run = try SyncPoints.run(arguments, in: root, killingAt: point)
            if run.status != status { killed += 1 }
            let label = "\(name) killed at \(point)"
            #expect(try SyncPoints.query(root, "PRAGMA integrity_check") == ["ok"], "\(label)")
            let verify = try CLI.run(
                ["audit", "verify", "--key", "--passphrase-file", base.pass.path], in: root,
                environment: SyncPoints.environment)
            #expect(verify.status == 0, "\(label): audit verify: \(verify.stdout) \(verify.stderr)")
            try afterKill(base, root)
            let again = try CLI.run(arguments, in: root, environment: SyncPoints.environment)
            #expect(
                again.status == status || (rerunMayRefuse && again.status == 1),
                "\(label): run again: \(again.stdout) \(again.stderr)")
            try check(base, root)
            #expect(
                try CLI.run(
                    ["audit", "verify", "--key", "--passphrase-file", base.pass.path], in: root,
                    environment: SyncPoints.environment
                ).status == 0, "\(label): audit verify at the end")
        }
        #expect(killed >= points.count - 1, "\(name): \(points.count - killed) of \(points.count) runs were not killed")
        SyncPoints.covered.add(name, points.count)
    }

    /// The key file's entries (codes), decrypted.
    func keyFileCodes(_ base: Base, _ root: URL) throws -> [String] {
        let run = try CLI.run(
            ["age", "decrypt", "--passphrase-file", base.pass.path, "keys/identity.age"], in: root,
            environment: SyncPoints.environment)
        #expect(run.status == 0, "\(run.stderr)")
        return base.codes.filter { run.stdout.contains("\"code\":\"\($0)\"") }
    }

    func folder(_ root: URL, _ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(path).path)) ?? [])
            .sorted()
    }

    @Test func printCount() throws {
        try sweep("print --count", arguments: ["print", "intake", "--count", "2", "--card"]) { _, root in
            // The killed run's batch (if its commit happened) and the rerun's: every registered batch has its
            // form in place, nothing is left under a temporary name, no code without a form.
            let batches = try SyncPoints.query(root, "SELECT id FROM batch WHERE kind != 'codes' ORDER BY id")
            #expect(batches.count == 2 || batches.count == 3, "batches: \(batches)")
            for case let batch? in batches {
                #expect(
                    FileManager.default.fileExists(
                        atPath: root.appendingPathComponent("output/intake-\(batch).pdf").path))
            }
            #expect(try SyncPoints.query(root, "SELECT count(*) FROM code") == [String(5 + 2 * (batches.count - 1))])
            let printed = try SyncPoints.query(
                root, "SELECT count(DISTINCT holds) FROM output_file WHERE kind = 'batch' AND name LIKE 'intake-%'")
            #expect(printed == [String(batches.count)])
            #expect(folder(root, "output").filter { FileSystem.isTemporaryName($0) }.isEmpty)
        }
    }

    @Test func ingest() throws {
        let base = try Self.base.get()
        // Exit status 2: one row is rejected.
        try sweep(
            "ingest", arguments: ["ingest", "intake", base.desk.appendingPathComponent("visits.csv").path], status: 2,
            afterKill: { base, root in
                // Once the visits are committed, the rejected row is in a rejects file in output/ (the command
                // after the kill finished its rename), recorded in the manifest with its code, before any rerun.
                guard try SyncPoints.query(root, "SELECT count(*) FROM record") == ["6"] else { return }
                let rejects = folder(root, "output").filter { $0.hasPrefix("rejects-") }
                #expect(rejects.count == 1, "rejects after the kill: \(folder(root, "output"))")
                let recorded = try SyncPoints.query(
                    root, "SELECT holds FROM output_file WHERE name LIKE 'rejects-%'")
                #expect(recorded == [base.codes[3]])
            },
            finally: { (_: Base, root: URL) throws in
                // Three new visits stored once each; the bad row in a rejects file.
                #expect(try SyncPoints.query(root, "SELECT count(*) FROM record") == ["6"])
                #expect(folder(root, "output").contains { $0.hasPrefix("rejects-") })
            })
    }

    @Test func keyAdd() throws {
        let base = try Self.base.get()
        try sweep("key add", arguments: ["key", "add", base.desk.appendingPathComponent("slips-de.csv").path]) {
            (base: Base, root: URL) throws in
            let merge = try CLI.run(
                ["key", "merge", "--passphrase-file", base.pass.path], in: root, environment: SyncPoints.environment)
            #expect(merge.status == 0, "\(merge.stderr)")
            #expect(try keyFileCodes(base, root) == base.codes)
            #expect(folder(root, "keys/held").isEmpty, "held: \(folder(root, "keys/held"))")
            #expect(folder(root, "keys/inbox").filter { $0.hasSuffix(".age") }.isEmpty)
        }
    }

    /// With --shred the slips file is gone once the slips are sealed: a rerun may find no file (or a file
    /// already zeroed) and refuse, but every slip is sealed once.
    @Test func keyAddShred() throws {
        let base = try Self.base.get()
        try sweep(
            "key add --shred",
            arguments: ["key", "add", base.desk.appendingPathComponent("slips-de.csv").path, "--shred"],
            rerunMayRefuse: true
        ) { (base: Base, root: URL) throws in
            let merge = try CLI.run(
                ["key", "merge", "--passphrase-file", base.pass.path], in: root, environment: SyncPoints.environment)
            #expect(merge.status == 0, "\(merge.stderr)")
            #expect(try keyFileCodes(base, root) == base.codes)
            #expect(folder(root, "keys/held").isEmpty, "held: \(folder(root, "keys/held"))")
        }
    }

    @Test func keyMerge() throws {
        let base = try Self.base.get()
        try sweep(
            "key merge", arguments: ["key", "merge", "--passphrase-file", base.pass.path],
            preparing: ["key", "add", base.desk.appendingPathComponent("slips-de.csv").path]
        ) { (base: Base, root: URL) throws in
            #expect(try keyFileCodes(base, root) == base.codes)
            #expect(folder(root, "keys/held").isEmpty)
            #expect(folder(root, "keys/inbox").filter { $0.hasSuffix(".age") }.isEmpty)
            let pending = root.appendingPathComponent("keys/pending-codes.txt")
            let waiting = (try? String(contentsOf: pending, encoding: .utf8)) ?? ""
            #expect(waiting.split(whereSeparator: \.isNewline).isEmpty, "still waiting: \(waiting)")
        }
    }

    @Test func keyReissue() throws {
        let base = try Self.base.get()
        try sweep(
            "key reissue",
            arguments: ["key", "reissue", base.codes[0], "--reason", "exposed", "--passphrase-file", base.pass.path],
            rerunMayRefuse: true
        ) { base, root in
            // The old code revoked, exactly one new code, the old code's record under it, the person in the
            // key file under it with the old code in their history.
            let old = base.codes[0]
            #expect(try SyncPoints.query(root, "SELECT status FROM code WHERE code = '\(old)'") == ["revoked"])
            let new = try SyncPoints.query(
                root, "SELECT code FROM code WHERE code NOT IN (\(base.codes.map { "'\($0)'" }.joined(separator: ",")))"
            )
            #expect(new.count == 1, "new codes: \(new)")
            guard let newCode = new.first ?? nil else { return }
            #expect(try SyncPoints.query(root, "SELECT count(*) FROM record WHERE code = '\(newCode)'") == ["1"])
            #expect(try SyncPoints.query(root, "SELECT count(*) FROM record WHERE code = '\(old)'") == ["0"])
            let lookup = try CLI.run(
                ["key", "lookup", old, "--plaintext", "--passphrase-file", base.pass.path], in: root,
                environment: SyncPoints.environment)
            #expect(
                lookup.stdout.contains("Family0") && lookup.stdout.contains(CodeFormat.group(newCode)),
                "\(lookup.stdout)")
        }
    }

    @Test func purgeCode() throws {
        let base = try Self.base.get()
        try sweep(
            "purge --code", arguments: ["purge", "--code", base.codes[1], "--passphrase-file", base.pass.path],
            rerunMayRefuse: true
        ) { base, root in
            let gone = base.codes[1]
            #expect(try SyncPoints.query(root, "SELECT count(*) FROM code WHERE code = '\(gone)'") == ["0"])
            #expect(try SyncPoints.query(root, "SELECT count(*) FROM record WHERE code = '\(gone)'") == ["0"])
            #expect(try SyncPoints.query(root, "SELECT count(*) FROM record") == ["2"])
            #expect(try keyFileCodes(base, root) == [base.codes[0], base.codes[2]])
            let again = try CLI.run(
                ["purge", "--code", gone, "--passphrase-file", base.pass.path], in: root,
                environment: SyncPoints.environment)
            #expect(again.status == 1 && again.stderr.contains("is not in the store, the key file or the inbox"))
        }
    }
}

/// Sync points found by strace, and runs killed at one of them.
enum SyncPoints {
    static let calls = ["fsync", "fdatasync", "rename", "renameat", "renameat2", "unlink", "unlinkat"]
    static let strace = "/usr/bin/strace"
    static let environment = ["SEPARA_KEY_WORK_FACTOR": "1"]

    /// One point: the `occurrence`th call of `call` in a thread (strace counts per thread and per call).
    struct Point: CustomStringConvertible, Hashable {
        let call: String
        let occurrence: Int
        var description: String { "\(call) #\(occurrence)" }
    }

    /// The count per command, for the note.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        func add(_ name: String, _ count: Int) {
            lock.withLock { counts[name] = count }
            print("sync points covered: \(name): \(count)")
        }
    }
    static let covered = Tally()

    static let available: Bool = {
        guard FileManager.default.isExecutableFile(atPath: strace) else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: strace)
        probe.arguments = ["-qq", "-o", "/dev/null", "-e", "trace=fsync", "/bin/true"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    static func expectOK(_ arguments: [String], in root: URL) throws {
        let run = try CLI.run(arguments, in: root, environment: environment)
        #expect(run.status == 0, "separa \(arguments.joined(separator: " ")): \(run.stdout) \(run.stderr)")
    }

    /// The sync points of a clean run of `separa arguments…` in `root`, in the order they came.
    static func points(_ arguments: [String], in root: URL, status: Int32) throws -> [Point] {
        let log = root.deletingLastPathComponent().appendingPathComponent("trace-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let run = try straced(
            ["-f", "-qq", "-o", log.path, "-e", "trace=" + calls.joined(separator: ",")], arguments, in: root)
        #expect(run == status, "the traced run of separa \(arguments.joined(separator: " ")) failed")
        var seen: [String: Int] = [:]
        var points: [Point] = []
        let pattern = /^(\d+)\s+([a-z0-9_]+)\(/
        for line in try String(contentsOf: log, encoding: .utf8).split(separator: "\n") {
            guard let match = line.firstMatch(of: pattern) else { continue }
            let key = "\(match.1) \(match.2)"
            seen[key, default: 0] += 1
            let point = Point(call: String(match.2), occurrence: seen[key]!)
            if !points.contains(point) { points.append(point) }
        }
        try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
        return points
    }

    /// Runs `separa arguments…` in `root`, killed as it enters `point`; returns its exit status.
    static func run(_ arguments: [String], in root: URL, killingAt point: Point) throws -> CLI.Run {
        let status = try straced(
            [
                "-f", "-qq", "-o", "/dev/null", "-e", "trace=\(point.call)",
                "-e", "inject=\(point.call):signal=KILL:when=\(point.occurrence)",
            ], arguments, in: root)
        return CLI.Run(status: status, stdout: "", stderr: "")
    }

    private static func straced(_ options: [String], _ arguments: [String], in root: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: strace)
        process.arguments = options + [CLI.binary.path] + arguments
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The rows of a one-column query against the workspace's store (opening it rolls back a transaction a
    /// kill left behind, as any next command would).
    static func query(_ root: URL, _ sql: String) throws -> [String?] {
        let queue = try DatabaseQueue(path: root.appendingPathComponent("store.sqlite").path)
        defer { try? queue.close() }
        return try queue.read { db in try String?.fetchAll(db, sql: sql) }
    }
}
