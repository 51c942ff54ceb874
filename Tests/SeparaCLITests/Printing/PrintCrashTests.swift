import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// `separa print --count` killed at the worst moments: after the registry commit and before the rename,
/// and after the rename. No kill may leave registered codes with no form, or a form nothing reports.
@Suite("separa print survives kill -9")
struct PrintCrashTests {
    static func registered(_ root: URL) throws -> Int {
        let store = try Workspace.open(root).openStore()
        return try store.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM code") ?? 0 }
    }

    static func outputs(_ root: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("output").path).sorted()
    }

    @Test("killed between the registry commit and the rename, the next command puts the form in place and says so")
    func killAfterCommit() throws {
        let root = try PrintCommandTests.workspace()
        let killed = try CLI.run(
            ["print", "intake", "--count", "3"], in: root, environment: [FaultInjection.variable: "print-after-commit"])
        #expect(killed.status == 137 || killed.status == 9 || killed.status != 0, "\(killed.stderr)")
        #expect(try Self.registered(root) == 3)
        // Nothing in place yet: the finished PDF sits under its hidden temporary name.
        #expect(try Self.outputs(root).filter { !$0.hasPrefix(".") }.isEmpty)
        #expect(try Self.outputs(root).contains { $0.hasPrefix(".intake-pending.pdf.tmp-") })

        // Any next command finishes the rename and says which file.
        let next = try CLI.run(["codes", "list", "--batches"], in: root)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("it is now in place"))
        let outputs = try Self.outputs(root)
        let pdf = try #require(outputs.first { $0.hasPrefix("intake-") && $0.hasSuffix(".pdf") })
        #expect(!outputs.contains { $0.hasPrefix(".") })
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
        check.arguments = ["--check", root.appendingPathComponent("output/\(pdf)").path]
        check.standardOutput = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
        // And only once.
        let again = try CLI.run(["codes", "list", "--batches"], in: root)
        #expect(!again.stderr.contains("note:"))
    }

    @Test("killed after the rename, the form is in place and nothing is left to finish")
    func killAfterRename() throws {
        let root = try PrintCommandTests.workspace()
        _ = try CLI.run(
            ["print", "intake", "--count", "2"], in: root, environment: [FaultInjection.variable: "print-after-rename"])
        #expect(try Self.outputs(root).contains { $0.hasPrefix("intake-") && $0.hasSuffix(".pdf") })
        let next = try CLI.run(["codes", "list", "--batches"], in: root)
        #expect(next.status == 0 && !next.stderr.contains("note:"), "\(next.stderr)")
        // The record of the rename may outlive it (the kill came before it was cleared): it names a file that
        // is no longer there, so it is dropped the next time a temporary file is looked at, and never acted on.
        let later = try CLI.run(["print", "intake", "--count", "1"], in: root)
        #expect(later.status == 0 && !later.stderr.contains("note:"), "\(later.stderr)")
        #expect(try Self.outputs(root).filter { $0.hasPrefix("intake-") }.count == 2)
    }

    @Test("a temporary file whose commit never happened is removed by the next command, one still being written is not")
    func orphansAreRemovedUnlessHeld() throws {
        let root = try PrintCommandTests.workspace()
        let output = root.appendingPathComponent("output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let orphan = output.appendingPathComponent(".intake-pending.pdf.tmp-ORPHAN")
        try Data("%PDF-1.5 half".utf8).write(to: orphan)
        // A writer that is still running holds its temporary file.
        let running = try AtomicFileWriter(output.appendingPathComponent("codes-running.csv"), mode: 0o600)
        defer { running.abandon() }
        let next = try CLI.run(["codes", "list", "--batches"], in: root)
        #expect(next.stderr.contains("removed output/.intake-pending.pdf.tmp-ORPHAN"))
        #expect(!FileManager.default.fileExists(atPath: orphan.path))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(running.temporaryName).path))
    }
}
