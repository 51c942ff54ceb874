import Foundation
import SeparaKit
import Testing

@Suite("separa audit (end to end)")
struct AuditCommandTests {
    func workspaceWithEntries() throws -> URL {
        let root = try CLI.workspace()
        let store = try Store.open(at: root.appendingPathComponent("store.sqlite"))
        try AuditLog.append(to: store, action: .keyUnlock)
        try AuditLog.append(to: store, action: .keyLookup, codes: ["K7M29QX4HT3C"])
        try AuditLog.append(to: store, action: .purge, detail: ["records": "3"])
        return root
    }

    @Test func anIntactLogVerifiesAndShows() throws {
        let root = try workspaceWithEntries()
        let verify = try CLI.run(["audit", "verify"], in: root)
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("intact: 3 entries"))
        let show = try CLI.run(["audit", "show"], in: root)
        #expect(show.stdout.contains("key-lookup\tcodes: K7M2-9QX4-HT3C"))
        #expect(show.stdout.contains("purge\trecords=3"))
    }

    /// An edit made with the sqlite3 tool is caught and named.
    @Test(
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "SKIPPED: sqlite3 not installed")
    )
    func anEditWithSqlite3IsCaught() throws {
        let root = try workspaceWithEntries()
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [
            root.appendingPathComponent("store.sqlite").path, "UPDATE audit SET detail = 'records=0' WHERE seq = 3",
        ]
        try sqlite.run()
        sqlite.waitUntilExit()
        let verify = try CLI.run(["audit", "verify"], in: root)
        #expect(verify.status == 2)
        #expect(verify.stdout.contains("BROKEN: entry 3 was edited after it was written"))
    }

    @Test(
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "SKIPPED: sqlite3 not installed")
    )
    func aDeletionWithSqlite3IsCaught() throws {
        let root = try workspaceWithEntries()
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [root.appendingPathComponent("store.sqlite").path, "DELETE FROM audit WHERE seq = 2"]
        try sqlite.run()
        sqlite.waitUntilExit()
        let verify = try CLI.run(["audit", "verify"], in: root)
        #expect(verify.status == 2)
        #expect(verify.stdout.contains("entries 2…2 are missing"))
    }

    /// Entries cut from the end, and a log rewritten with every hash recomputed, pass the chain check but
    /// not the check against the key file's record (`--key`).
    @Test func theKeyFileCatchesACutTailAndARewrittenLog() throws {
        let root = try workspaceWithEntries()
        let pass = CLI.temporaryDirectory().appendingPathComponent("pass.txt")
        try Data("a passphrase long enough\n".utf8).write(to: pass)
        let fast = ["SEPARA_KEY_WORK_FACTOR": "1"]
        #expect(try CLI.run(["key", "init", "--passphrase-file", pass.path], in: root, environment: fast).status == 0)
        let withKey = ["audit", "verify", "--key", "--passphrase-file", pass.path]
        let intact = try CLI.run(withKey, in: root, environment: fast)
        #expect(intact.status == 0 && intact.stdout.contains("the key file's record of it matches"), "\(intact.stderr)")

        // Cut the tail: the key-init entry (4) and the unlock the verify just added (5).
        let store = try Store.open(at: root.appendingPathComponent("store.sqlite"))
        try store.database.write { db in try db.execute(sql: "DELETE FROM audit WHERE seq >= 4") }
        #expect(try CLI.run(["audit", "verify"], in: root).status == 0)  // the chain alone cannot tell
        let cut = try CLI.run(withKey, in: root, environment: fast)
        #expect(cut.status == 2)
        #expect(cut.stdout.contains("the log ends at entry 3 but had reached entry 4"))

        // Rewrite it from the start: a valid chain, but not the one the key file recorded.
        try store.database.write { db in try db.execute(sql: "DELETE FROM audit") }
        for _ in 0..<5 { try AuditLog.append(to: store, action: .report) }
        #expect(try CLI.run(["audit", "verify"], in: root).status == 0)
        let rewritten = try CLI.run(withKey, in: root, environment: fast)
        #expect(rewritten.status == 2)
        #expect(rewritten.stdout.contains("entry 4 is not the entry the key file recorded"))

        let wrong = CLI.temporaryDirectory().appendingPathComponent("wrong.txt")
        try Data("not the passphrase\n".utf8).write(to: wrong)
        #expect(
            try CLI.run(["audit", "verify", "--passphrase-file", wrong.path], in: root, environment: fast).status == 4)
    }
}
