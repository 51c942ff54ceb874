import Foundation
import GRDB
import Testing

@testable import SeparaKit

@Suite("Workspace")
struct WorkspaceTests {
    func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func initCreatesAPrivateWorkspace() throws {
        let root = TestPaths.temporaryDirectory().appendingPathComponent("site")
        let workspace = try Workspace.create(at: root, config: .defaults(siteName: "Roma Termini"))
        #expect(FileManager.default.fileExists(atPath: workspace.configURL.path))
        #expect(try mode(workspace.storeURL) == 0o600)
        #expect(try mode(workspace.keysURL) == 0o700)
        #expect(try mode(workspace.outputURL) == 0o700)
        let reopened = try Workspace.open(root)
        #expect(reopened.config == workspace.config)
        #expect(reopened.config.site.prefix == "ROMATERM")
        // The store is migrated and uses secure_delete.
        let store = try reopened.openStore()
        let secureDelete = try store.database.read { db in try Int.fetchOne(db, sql: "PRAGMA secure_delete") }
        #expect(secureDelete == 1)
        #expect(try store.database.read { db in try db.tableExists("code") })
    }

    @Test func initRefusesAnExistingWorkspace() throws {
        let root = TestPaths.temporaryDirectory()
        try Workspace.create(at: root, config: .defaults(siteName: "A"))
        let before = try Data(contentsOf: root.appendingPathComponent("separa.json"))
        #expect(throws: WorkspaceError.alreadyExists(path: root.standardizedFileURL.path)) {
            try Workspace.create(at: root, config: .defaults(siteName: "B"))
        }
        #expect(try Data(contentsOf: root.appendingPathComponent("separa.json")) == before)
    }

    @Test func isFoundUpwardLikeGit() throws {
        let root = TestPaths.temporaryDirectory()
        try Workspace.create(at: root, config: .defaults(siteName: "A"))
        let deep = root.appendingPathComponent("output/a/b")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let found = try Workspace.locate(explicit: nil, from: deep)
        #expect(found.root.path == root.standardizedFileURL.path)
        let explicit = try Workspace.locate(explicit: root.path, from: URL(fileURLWithPath: "/"))
        #expect(explicit.root.path == root.standardizedFileURL.path)
    }

    @Test func outsideAWorkspaceSaysToRunInit() throws {
        let empty = TestPaths.temporaryDirectory()
        do {
            _ = try Workspace.locate(explicit: nil, from: empty)
            Issue.record("expected notFound")
        } catch {
            #expect(error.description.contains("separa init"))
        }
        #expect(throws: WorkspaceError.notAWorkspace(path: empty.standardizedFileURL.path)) {
            try Workspace.locate(explicit: empty.path, from: URL(fileURLWithPath: "/"))
        }
    }

    @Test(arguments: [
        ("{ not json", "not valid JSON"),
        (#"{"formatVersion": 1}"#, "key site is missing"),
        (
            #"{"formatVersion": 1, "site": {"name": "A", "prefix": "A"}, "languages": "en", "retentionMonths": 12, "controller": {"name": "", "contact": ""}}"#,
            "languages has the wrong type"
        ),
    ])
    func corruptConfigIsExplained(contents: String, expected: String) throws {
        let root = TestPaths.temporaryDirectory()
        try Data(contents.utf8).write(to: root.appendingPathComponent("separa.json"))
        do {
            _ = try Workspace.open(root)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.description.contains("separa.json"))
        }
    }

    @Test func invalidValuesAreListed() throws {
        var config = WorkspaceConfig.defaults(siteName: "A")
        config.languages = []
        config.retentionMonths = 0
        config.codes.randomLength = 5
        config.formatVersion = 99
        let problems = config.problems()
        #expect(problems.count == 4)
        #expect(problems.contains { $0.contains("newer Separa") })
    }

    @Test func aNewerStoreIsRefusedAndLeftUnchanged() throws {
        let root = TestPaths.temporaryDirectory()
        let workspace = try Workspace.create(at: root, config: .defaults(siteName: "A"))
        let queue = try DatabaseQueue(path: workspace.storeURL.path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        try queue.close()
        let before = try Data(contentsOf: workspace.storeURL)
        #expect(throws: StoreError.newerSchema(path: workspace.storeURL.path)) { try workspace.openStore() }
        #expect(try Data(contentsOf: workspace.storeURL) == before)
    }

    @Test func aFileThatIsNotAStoreIsRefused() throws {
        let root = TestPaths.temporaryDirectory()
        let workspace = try Workspace.create(at: root, config: .defaults(siteName: "A"))
        try Data(repeating: 0x41, count: 4096).write(to: workspace.storeURL)
        #expect(throws: StoreError.notAStore(path: workspace.storeURL.path)) { try workspace.openStore() }
    }

    @Test func prefixesAreDerivedSafely() {
        #expect(WorkspaceConfig.derivePrefix(from: "Roma Termini HSP") == "ROMATERM")
        #expect(WorkspaceConfig.derivePrefix(from: "Tétouan") == "TETOUAN")
        #expect(WorkspaceConfig.derivePrefix(from: "مركز") == "HSP")
    }
}
