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
}
