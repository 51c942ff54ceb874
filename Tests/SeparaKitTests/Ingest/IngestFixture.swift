import Foundation
import GRDB

@testable import SeparaKit

/// A workspace with the shipped templates and some registered codes, for ingest tests.
struct IngestFixture {
    let workspace: Workspace
    let store: Store
    let intake: Template
    let codes: [CaseCode]

    /// The codes the LibreOffice fixtures carry.
    static let fixtureCodes = ["1Y5D-K7FJ-Y9C1", "2FWC-XYQG-DH4Y", "8F2Y-PJHN-PQ2A", "F1WX-XY4P-Q0N6"]

    init(extraCodes: Int = 10) throws {
        let root = TestPaths.temporaryDirectory("separa-ingest")
        workspace = try Workspace.create(at: root, config: .defaults(siteName: "Ingest Test"))
        store = try workspace.openStore()
        intake = try TemplateLibrary(workspace: workspace).usableTemplate(named: "intake", allowFreeText: false)
            .template
        var rng = SeededGenerator(seed: 42)
        var drawn: [CaseCode] = []
        _ = try CodeRegistry(workspace: workspace, store: store).issue(
            count: extraCodes, prefix: "TEST", sink: { code, _, _ in drawn.append(code) }, generator: &rng)
        let fixed = try Self.fixtureCodes.map { try CaseCode.parse($0) }
        try store.database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO batch (id, kind, created_at, code_count, random_length)
                    VALUES ('FIXTURE', 'print', '2026-11-01T00:00:00Z', 4, 11)
                    """)
            for code in fixed {
                try db.execute(
                    sql:
                        "INSERT INTO code (code, batch, issued_at, status) VALUES (?, 'FIXTURE', '2026-11-01', 'printed')",
                    arguments: [code.canonical])
            }
        }
        codes = fixed + drawn
    }

    /// Writes `text` to a file in the workspace and returns its URL.
    func file(_ name: String, _ text: String) throws -> URL {
        let url = workspace.root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func file(_ name: String, bytes: [UInt8]) throws -> URL {
        let url = workspace.root.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func ingest(_ url: URL, _ options: Ingest.Options = Ingest.Options()) throws -> Ingest.Summary {
        try Ingest.run(workspace: workspace, store: store, template: intake, files: [url], options: options)[0]
    }

    /// Every stored record as `code|visit_date|fields`, sorted.
    func records() throws -> [String] {
        try store.database.read { db in
            try String.fetchAll(db, sql: "SELECT code || '|' || visit_date || '|' || fields FROM record ORDER BY 1")
        }
    }

    /// The rejects file's rows (after its header), parsed.
    static func rejects(_ summary: Ingest.Summary) throws -> [[String]] {
        guard let url = summary.rejectsURL else { return [] }
        let reader = try CSVReader(url: url, options: CSVReadOptions(fieldCount: .any))
        var rows: [[String]] = []
        while let result = reader.nextResult() {
            switch result {
            case .success(let record): rows.append(record.fields)
            // A row kept unchanged may itself be unreadable (a NUL byte): its first cells still are.
            case .failure(let error): rows.append((error.context?.raw ?? "").components(separatedBy: ","))
            }
        }
        return Array(rows.dropFirst())
    }

    /// A valid intake row for `code` on day `day` of November 2026.
    static func row(_ code: CaseCode, day: Int = 3, sex: String = "female", age: String = "34") -> String {
        "\(code.display),\(String(format: "%02d", day))/11/2026,\(sex),\(age),syr,no"
    }

    static let header = "code,visit_date,sex,age,nationality,unaccompanied_child"
}
