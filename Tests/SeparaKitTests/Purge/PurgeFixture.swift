import Foundation
import GRDB

@testable import SeparaKit

/// A workspace with dated codes and records, a key file at a tiny work factor, and a `note` template whose
/// free-text remark lets a test look for a record's value in the store file's bytes.
struct PurgeFixture {
    let workspace: Workspace
    let store: Store
    let keyFile: KeyFile
    let desk: URL

    static let passphrase = try! AgePassphrase("correct horse battery staple")

    /// A template of its own retention (6 months) with a free-text remark on its sensitive sheet.
    static let noteTemplate = """
        id: note
        version: 1
        languages: [en]
        title:
          en: "Note"
        settings:
          retentionMonths: 6
          access:
            en: "Only the coordinator."
          storage:
            en: "On a protected computer."
        purposes:
          follow_up:
            en: "To follow up the help we give you"
        identity: []
        sensitive:
          - fields:
              - name: visit_date
                type: date
                format: DD/MM/YYYY
                label:
                  en: "Date of the visit"
                required: true
                purpose: follow_up
              - name: remark
                type: text
                maxLength: 60
                allowFreeText: true
                label:
                  en: "Remark"
                purpose: follow_up

        """

    init(keyFile withKeyFile: Bool = true) throws {
        let root = TestPaths.temporaryDirectory("separa-purge")
        workspace = try Workspace.create(at: root, config: .defaults(siteName: "Purge Test"))
        try Data(Self.noteTemplate.utf8).write(to: workspace.templatesURL.appendingPathComponent("note.yaml"))
        store = try workspace.openStore()
        keyFile = KeyFile(workspace: workspace, workFactor: 1, lockWait: 2)
        desk = TestPaths.temporaryDirectory("separa-purge-desk")
        if withKeyFile { try keyFile.create(passphrase: Self.passphrase, now: Self.date("2024-01-01")) }
    }

    /// Noon (local time) on `day` (`YYYY-MM-DD`).
    static func date(_ day: String) -> Date {
        let parts = day.split(separator: "-").map { Int($0)! }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12))!
    }

    /// `count` fresh valid codes (not registered), drawn from a seeded generator.
    static func codes(_ count: Int, seed: UInt64 = 7) -> [CaseCode] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            CaseCode(
                randomValues: (0..<CodeFormat.defaultRandomLength).map { _ in
                    UInt8.random(in: 0..<29, using: &generator)
                })
        }
    }

    /// Registers `codes` in batch `batch`, issued on `day`, with `status` and `template`.
    func register(
        _ codes: [CaseCode], batch: String = "TEST-1", day: String, status: CodeStatus = .printed,
        template: String? = "intake"
    ) throws {
        try store.database.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO batch (id, kind, created_at, code_count, random_length)
                    VALUES (?, 'print', ?, ?, 11)
                    """, arguments: [batch, day + "T00:00:00Z", codes.count])
            for code in codes {
                try db.execute(
                    sql: "INSERT INTO code (code, batch, issued_at, status, template) VALUES (?, ?, ?, ?, ?)",
                    arguments: [code.canonical, batch, day, status.rawValue, template])
            }
        }
    }

    /// Stores a record for `code` directly (fields as canonical JSON) and marks the code used.
    func record(_ code: CaseCode, template: String = "intake", visit: String, fields: String = #"{"sex":"female"}"#)
        throws
    {
        try store.database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO record (code, template, visit_date, template_version, fields, import_id,
                                        source_line, imported_at)
                    VALUES (?, ?, ?, '1', ?, 'TEST', 2, ?)
                    """, arguments: [code.canonical, template, visit, fields, visit + "T18:00:00Z"])
            try db.execute(
                sql: "UPDATE code SET status = 'used' WHERE code = ? AND status IN ('issued', 'printed')",
                arguments: [code.canonical])
        }
    }

    /// Ingests `note` rows (`code,visit_date DD/MM/YYYY,remark`) through the real ingest.
    func ingestNotes(_ rows: [String], now: Date) throws {
        let url = desk.appendingPathComponent("notes-\(UUID().uuidString).csv")
        try Data((["code,visit_date,remark"] + rows).joined(separator: "\n").appending("\n").utf8).write(to: url)
        let template = try TemplateLibrary(workspace: workspace).usableTemplate(named: "note", allowFreeText: true)
            .template
        var options = Ingest.Options()
        options.allowFreeText = true
        options.now = now
        let summary = try Ingest.run(
            workspace: workspace, store: store, template: template, files: [url], options: options)[0]
        precondition(summary.rejectsURL == nil, "fixture rows were rejected")
    }

    /// Links `code` to a person in the key file; `earlier` codes are recorded as reissued before it.
    func link(
        _ code: CaseCode, given: String, family: String = "Family", earlier: [CaseCode] = [], added: String,
        template: String = "intake"
    ) throws {
        let lock = try FileLock(keyFile.lockURL, wait: 2)
        defer { lock.release() }
        var content = try KeyFile.open(keyFile.url, passphrase: Self.passphrase)
        var history: [KeyHistoryEvent] = []
        let chain = earlier + [code]
        for index in earlier.indices {
            history.append(
                KeyHistoryEvent(
                    from: chain[index].canonical, to: chain[index + 1].canonical, reason: "lost",
                    at: added + "T10:00:00Z"))
        }
        content.add(
            KeyEntry(
                code: code.canonical, template: template, fields: ["given_name": given, "family_name": family],
                addedAt: added + "T09:00:00Z", history: history))
        try keyFile.save(content, passphrase: Self.passphrase, workFactor: 1)
    }

    func purge() -> Purge { Purge(keyFile: keyFile) }

    func content() throws -> KeyFileContent { try KeyFile.open(keyFile.url, passphrase: Self.passphrase) }

    func registered() throws -> Set<String> {
        try Set(store.database.read { try String.fetchAll($0, sql: "SELECT code FROM code") })
    }

    func recordCodes() throws -> [String] {
        try store.database.read { try String.fetchAll($0, sql: "SELECT code FROM record ORDER BY code, visit_date") }
    }

    /// The bytes of every file in the workspace, by relative path (for "nothing changed").
    func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = workspace.root.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return files }
        for case let path as String in enumerator {
            var isDirectory: ObjCBool = false
            let full = root + "/" + path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                !path.hasSuffix(".lock")
            {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return files
    }
}
