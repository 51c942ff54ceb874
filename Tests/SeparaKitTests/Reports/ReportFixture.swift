import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// A workspace with registered codes and records, for report tests.
struct ReportFixture {
    let workspace: Workspace
    let store: Store
    let codes: [CaseCode]

    init(persons: Int, site: String = "Report Test", reports: WorkspaceConfig.Reports = .init()) throws {
        let root = TestPaths.temporaryDirectory("separa-report")
        var config = WorkspaceConfig.defaults(siteName: site)
        config.reports = reports
        workspace = try Workspace.create(at: root, config: config)
        store = try workspace.openStore()
        var rng = SeededGenerator(seed: 7)
        var drawn: [CaseCode] = []
        _ = try CodeRegistry(workspace: workspace, store: store).issue(
            count: max(persons, 1), prefix: "TEST", sink: { code, _, _ in drawn.append(code) }, generator: &rng)
        codes = drawn
    }

    /// Ingests CSV `rows` (after `header`) as transcriptions of `template`; every row must be stored.
    func ingest(_ template: String, header: String, rows: [String]) throws {
        let url = workspace.root.appendingPathComponent("\(template)-\(UUID().uuidString).csv")
        try Data(([header] + rows).joined(separator: "\n").utf8).write(to: url)
        let loaded = try TemplateLibrary(workspace: workspace).usableTemplate(named: template, allowFreeText: false)
            .template
        let summary = try Ingest.run(workspace: workspace, store: store, template: loaded, files: [url])[0]
        #expect(summary.rejected == 0, "\(summary.firstRejections)")
    }

    /// Stores a record directly, fields as ingest writes them (canonical JSON, sorted keys).
    func insert(_ code: CaseCode, _ template: String, _ date: String, _ fields: [String: Any]) throws {
        let json = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        try store.database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                    VALUES (?, ?, ?, '1', ?, 'TEST-I1', 0, '2026-12-01T00:00:00Z')
                    """, arguments: [code.canonical, template, date, String(decoding: json, as: UTF8.self)])
        }
    }

    /// An adult intake's fields.
    static func intake(
        sex: String = "female", age: String = "34", nationality: String = "syr", unaccompanied: String = "no",
        wg: [String] = Array(repeating: "no_difficulty", count: 6)
    ) -> [String: Any] {
        var fields: [String: Any] = [
            "sex": sex, "age": age, "nationality": nationality, "unaccompanied_child": unaccompanied,
        ]
        for (name, answer) in zip(WashingtonGroup.fields, wg) { fields[name] = answer }
        return fields
    }

    func schema(dimensions: [ReportDimension] = ReportDimension.allCases) throws -> ReportSchema {
        let library = try TemplateLibrary(workspace: workspace)
        return try ReportSchema(
            template: try library.template(named: "intake"), library: library.entries.compactMap(\.template),
            dimensions: dimensions, ageBands: try ReportAgeBands(workspace.config.reports.ageBands), language: "en")
    }

    func tally(_ periods: [ReportPeriod]) throws -> (ReportSchema, ReportTally) {
        let schema = try schema()
        let tally = try RecordScan(schema: schema, periods: periods).run(store)
        return (schema, tally)
    }

    func report(
        from: String, to: String, period: PeriodLength = .month,
        dimensions: [ReportDimension] = ReportDimension.allCases
    ) throws -> ReportResult {
        try Report.compute(
            workspace: workspace, store: store,
            options: Report.Options(
                period: period, from: CalendarDay(iso: from), to: CalendarDay(iso: to), dimensions: dimensions))
    }
}

/// The reader's view of a report period: every published figure, the markers, and the sums its tables
/// imply (grand total = each one-way table; every two-way table's rows and columns add up to the margins).
func view(of period: PeriodReport, threshold: Int) -> PublishedView {
    var index: [String: Int] = [:]
    var cells: [PublishedView.Cell] = []
    func cell(_ key: String, _ figure: ReportFigure) -> Int {
        let known: PublishedView.Cell
        switch figure {
        case .count(let value): known = .published(value)
        case .belowThreshold: known = .belowThreshold
        default: known = .hidden
        }
        if let existing = index[key] {
            #expect(cells[existing] == known, "\(key) is shown differently in two tables")
            return existing
        }
        index[key] = cells.count
        cells.append(known)
        return cells.count - 1
    }
    var sums: [(total: Int, parts: [Int])] = []
    let grand = cell("total", period.persons)
    for table in period.tables {
        let rows = table.rows.indices.map { cell("\(table.rowDimension)|\(table.rows[$0].name)", table.rowTotals[$0]) }
        if let columnDimension = table.columnDimension {
            let columns = table.columns.indices.map {
                cell("\(columnDimension)|\(table.columns[$0].name)", table.columnTotals[$0])
            }
            var interior: [[Int]] = []
            for r in table.rows.indices {
                interior.append(
                    table.columns.indices.map { c in
                        cell("\(table.id)|\(table.rows[r].name)|\(table.columns[c].name)", table.cells[r][c])
                    })
            }
            for r in rows.indices { sums.append((rows[r], interior[r])) }
            for c in columns.indices { sums.append((columns[c], interior.map { $0[c] })) }
        } else {
            sums.append((grand, rows))
        }
    }
    let cap = period.persons.count ?? 0
    return PublishedView(cells: cells, sums: sums, threshold: threshold, cap: cap)
}

extension ReportFixture {
    /// Stores `count` persons (the first `count` codes) with seeded intakes dated in `month` (`2026-10`),
    /// mostly adults, a few children (some unaccompanied), nationalities skewed as at a real service point;
    /// and a follow-up visit for every third person in the same month.
    func populate(count: Int, seed: UInt64, month: String = "2026-10") throws {
        var rng = SeededGenerator(seed: seed)
        let nationalities = ["syr", "syr", "syr", "afg", "afg", "eri", "sdn", "som", "irq", "gin", "stateless"]
        let services = ["first_aid", "food_water", "information", "health_referral", "family_links"]
        func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }
        try store.database.write { db in
            for index in 0..<count {
                let child = Int.random(in: 0..<100, using: &rng) < 20
                let years = child ? Int.random(in: 0...17, using: &rng) : Int.random(in: 18...75, using: &rng)
                var fields: [String: Any] = [
                    "sex": pick(["female", "male", "male", "not_stated"]), "age": String(years),
                    "nationality": pick(nationalities),
                    "unaccompanied_child": child && Int.random(in: 0..<10, using: &rng) == 0 ? "yes" : "no",
                ]
                if !child {
                    for name in WashingtonGroup.fields {
                        fields[name] =
                            Int.random(in: 0..<40, using: &rng) == 0
                            ? "a_lot_of_difficulty" : pick(["no_difficulty", "no_difficulty", "some_difficulty"])
                    }
                }
                let day = String(format: "%02d", Int.random(in: 1...20, using: &rng))
                let json = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
                let insert = """
                    INSERT INTO record (code, template, visit_date, template_version, fields, import_id, source_line, imported_at)
                    VALUES (?, ?, ?, '1', ?, 'TEST-I1', 0, '2026-12-01T00:00:00Z')
                    """
                try db.execute(
                    sql: insert,
                    arguments: [
                        codes[index].canonical, "intake", "\(month)-\(day)", String(decoding: json, as: UTF8.self),
                    ])
                if index % 3 == 0 {
                    let visit = try JSONSerialization.data(
                        withJSONObject: ["services_provided": [pick(services)]], options: [.sortedKeys])
                    try db.execute(
                        sql: insert,
                        arguments: [
                            codes[index].canonical, "visit", "\(month)-28", String(decoding: visit, as: UTF8.self),
                        ])
                }
            }
        }
    }
}
