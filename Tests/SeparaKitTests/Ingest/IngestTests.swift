import Foundation
import GRDB
import Testing

@testable import SeparaKit

@Suite("Ingest")
struct IngestTests {
    static let fixtures = TestPaths.tests.appendingPathComponent("Ingest/Fixtures/intake-libreoffice")

    /// The same transcription saved by LibreOffice Calc five ways stores identical records.
    @Test func libreOfficeVariantsStoreIdenticalRecords() throws {
        var results: [String: [String]] = [:]
        for name in ["utf8", "utf8-bom", "semicolon", "windows-1252", "utf16"] {
            let fixture = try IngestFixture()
            let summary = try fixture.ingest(Self.fixtures.appendingPathComponent("\(name).csv"))
            #expect(summary.read == 4, "\(name)")
            #expect(summary.stored == 4, "\(name): \(summary.firstRejections.map(\.problem.description))")
            #expect(summary.rejected == 0, "\(name)")
            if name == "windows-1252" { #expect(summary.encoding == .windows1252) }
            if name == "semicolon" { #expect(summary.separator == .semicolon) }
            results[name] = try fixture.records()
        }
        let reference = try #require(results["utf8"])
        #expect(reference.count == 4)
        for (name, records) in results { #expect(records == reference, "\(name) differs from utf8") }
        // What the clerk typed as labels in French is stored as choice names.
        #expect(reference[0].contains(#""nationality":"civ""#))
        #expect(reference[0].contains(#""wg_seeing":"no_difficulty""#))
        #expect(reference.contains { $0.contains(#""age":"60+""#) && $0.contains(#""sex":"female""#) })
        #expect(reference.contains { $0.contains(#""needs":["food","water"]"#) })
    }

    @Test func importingTheSameFileTwiceChangesNothing() throws {
        let fixture = try IngestFixture()
        let url = Self.fixtures.appendingPathComponent("utf8.csv")
        let first = try fixture.ingest(url)
        let before = try fixture.records()
        let second = try fixture.ingest(url)
        #expect(first.stored == 4)
        #expect(second.stored == 0)
        #expect(second.alreadyPresent == 4)
        #expect(second.importID == nil)
        #expect(try fixture.records() == before)
        #expect(try fixture.store.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM import") } == 1)
    }

    @Test func storedCodesAreMarkedUsed() throws {
        let fixture = try IngestFixture()
        let registry = CodeRegistry(workspace: fixture.workspace, store: fixture.store)
        func statuses() throws -> [CodeStatus] {
            var statuses: [CodeStatus] = []
            try registry.forEachCode(batch: BatchID(rawValue: "FIXTURE")) { statuses.append($0.status) }
            return statuses
        }
        let before = try statuses()
        _ = try fixture.ingest(Self.fixtures.appendingPathComponent("utf8.csv"))
        let after = try statuses()
        // The fixture's sheets carry the four codes of its batch.
        #expect(before.allSatisfy { $0 == .printed })
        #expect(after.filter { $0 == .used }.count == 4)
        #expect(after.filter { $0 == .printed }.count == before.count - 4)
        #expect(try registry.info().byStatus[.used] == 4)
        // Printing a used code again (a new card) leaves it used.
        let used = try fixture.store.database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT code FROM record").map { try CaseCode.parse($0) }
        }
        #expect(try registry.markPrinted(codes: used, template: "intake") == 0)
        #expect(try statuses() == after)
    }

    @Test func aDifferentValueIsAConflictUnlessReplaced() throws {
        let fixture = try IngestFixture()
        let code = fixture.codes[4]
        _ = try fixture.ingest(
            try fixture.file("a.csv", IngestFixture.header + "\n" + IngestFixture.row(code, age: "34") + "\n"))
        let before = try fixture.records()
        let changed = try fixture.file("b.csv", IngestFixture.header + "\n" + IngestFixture.row(code, age: "35") + "\n")
        let conflict = try fixture.ingest(changed)
        #expect(conflict.rejected == 1)
        #expect(conflict.firstRejections.first?.problem == .conflict)
        #expect(try fixture.records() == before)
        let replaced = try fixture.ingest(changed, Ingest.Options(replace: true))
        #expect(replaced.replaced == 1)
        #expect(try fixture.records().first?.contains(#""age":"35""#) == true)
        let audit = try AuditLog.entries(in: fixture.store)
        #expect(audit.last?.action == .ingestReplace)
        #expect(audit.last?.codes == code.canonical)
        #expect(audit.last?.detail.contains("35") == false)
    }

    @Test func strictStoresAllOrNothing() throws {
        let fixture = try IngestFixture()
        let rows = [
            IngestFixture.row(fixture.codes[4]), IngestFixture.row(fixture.codes[5], age: "abc"),
            IngestFixture.row(fixture.codes[6]),
        ]
        let url = try fixture.file("s.csv", ([IngestFixture.header] + rows).joined(separator: "\r\n") + "\r\n")
        let summary = try fixture.ingest(url, Ingest.Options(strict: true))
        #expect(summary.stored == 0)
        #expect(summary.rejected == 3)
        #expect(try fixture.records().isEmpty)
        let rejects = try IngestFixture.rejects(summary)
        #expect(rejects.map { $0[0] } == ["2", "3", "4"])
        #expect(rejects[1][2].hasPrefix("not an age"))
        #expect(rejects[0][2].contains("--strict"))
        #expect(rejects[2][2].contains("--strict"))
    }

    /// A rejects file, fixed, imports again: its own three columns are skipped.
    @Test func aFixedRejectsFileImportsAgain() throws {
        let fixture = try IngestFixture()
        let rows = [
            IngestFixture.row(fixture.codes[4]), IngestFixture.row(fixture.codes[5], sex: "robot"),
            IngestFixture.row(fixture.codes[6], age: "150"),
        ]
        let url = try fixture.file("r.csv", ([IngestFixture.header] + rows).joined(separator: "\n") + "\n")
        let summary = try fixture.ingest(url)
        #expect(summary.stored == 1)
        #expect(summary.rejected == 2)
        let rejectsURL = try #require(summary.rejectsURL)
        let bytes = try Data(contentsOf: rejectsURL)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        var text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("rejected_line,rejected_column,rejected_reason,code,visit_date"))
        text = text.replacingOccurrences(of: ",robot,", with: ",male,").replacingOccurrences(of: ",150,", with: ",50,")
        let fixed = try fixture.file("fixed.csv", text)
        let again = try fixture.ingest(fixed)
        #expect(again.stored == 2, "\(again.firstRejections.map(\.problem.description))")
        #expect(again.rejected == 0)
        #expect(try fixture.records().count == 3)
    }

    /// Every row read ends in exactly one place.
    @Test func everyRowIsAccountedFor() throws {
        let fixture = try IngestFixture(extraCodes: 200)
        var lines = [IngestFixture.header]
        for (index, code) in fixture.codes.dropFirst(4).enumerated() {
            switch index % 5 {
            case 0: lines.append(IngestFixture.row(code, age: "x"))
            case 1: lines.append(IngestFixture.row(code, day: 31 - 31 + 40))  // no 40th of November
            default: lines.append(IngestFixture.row(code, day: 1 + index % 28))
            }
        }
        lines.append(lines[3])  // a duplicate row
        let summary = try fixture.ingest(try fixture.file("many.csv", lines.joined(separator: "\n")))
        #expect(summary.read == 201)
        #expect(summary.stored + summary.alreadyPresent + summary.rejected == summary.read)
        #expect(summary.rejected == 81)
        #expect(try IngestFixture.rejects(summary).count == 81)
        #expect(try fixture.records().count == summary.stored)
    }

    @Test func twoIngestsAtOnceBothFinish() async throws {
        let fixture = try IngestFixture(extraCodes: 400)
        let half = fixture.codes.count / 2
        let a = try fixture.file(
            "a.csv",
            ([IngestFixture.header] + fixture.codes[..<half].map { IngestFixture.row($0) }).joined(separator: "\n"))
        let b = try fixture.file(
            "b.csv",
            ([IngestFixture.header] + fixture.codes[half...].map { IngestFixture.row($0) }).joined(separator: "\n"))
        let workspace = fixture.workspace
        let template = fixture.intake
        async let first = Task.detached {
            try Ingest.run(workspace: workspace, store: try workspace.openStore(), template: template, files: [a])[0]
        }.value
        async let second = Task.detached {
            try Ingest.run(workspace: workspace, store: try workspace.openStore(), template: template, files: [b])[0]
        }.value
        let (one, two) = try await (first, second)
        #expect(one.stored + two.stored == fixture.codes.count)
        #expect(try fixture.records().count == fixture.codes.count)
    }
}

/// Two clerks ingest in the same second: each rejects file keeps its own rows, under its own name; nothing
/// is written over an earlier file, in output/ or at a path the clerk chose.
@Suite("Ingest: rejects files are never overwritten")
struct RejectsNamingTests {
    @Test(arguments: [false, true])
    func twoIngestsInTheSameSecondKeepBothRejectsFiles(strict: Bool) throws {
        let fixture = try IngestFixture()
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        var summaries: [Ingest.Summary] = []
        for (index, code) in fixture.codes.prefix(3).enumerated() {
            let rows = [IngestFixture.row(fixture.codes[6 + index]), IngestFixture.row(code, sex: "robot")]
            let url = try fixture.file("clerk\(index).csv", ([IngestFixture.header] + rows).joined(separator: "\n"))
            summaries.append(try fixture.ingest(url, Ingest.Options(strict: strict, now: now)))
        }
        let names = summaries.compactMap { $0.rejectsURL?.lastPathComponent }
        #expect(names.count == 3 && Set(names).count == 3, "\(names)")
        #expect(names[1] == (names[0] as NSString).deletingPathExtension + "-2.csv")
        for (index, summary) in summaries.enumerated() {
            let rows = try IngestFixture.rejects(summary)
            #expect(rows.contains { $0[3] == fixture.codes[index].display }, "\(rows)")
        }
        // A path the clerk chose that already holds a file is not written over either.
        let chosen = fixture.workspace.root.appendingPathComponent("mine.csv")
        try Data("keep me\n".utf8).write(to: chosen)
        let url = try fixture.file(
            "clerk9.csv",
            ([IngestFixture.header] + [IngestFixture.row(fixture.codes[3], sex: "robot")]).joined(
                separator: "\n"))
        let summary = try fixture.ingest(url, Ingest.Options(strict: strict, rejectsURL: chosen, now: now))
        #expect(try String(contentsOf: chosen, encoding: .utf8) == "keep me\n")
        #expect(summary.rejectsURL?.lastPathComponent == "mine-2.csv")
    }
}

/// A year or month typed wrong can put a visit after the day of the import: refused, with what to check.
@Suite("Ingest: no visit after today")
struct FutureVisitTests {
    @Test func aVisitAfterTodayIsRejectedAndTodayIsStored() throws {
        let fixture = try IngestFixture()
        // 3 November 2026 at noon UTC is the import's day.
        let now = Date(timeIntervalSince1970: 1_793_707_200)
        let rows = [
            IngestFixture.row(fixture.codes[4], day: 3), IngestFixture.row(fixture.codes[5], day: 4),
            "\(fixture.codes[6].display),03/11/2062,female,34,syr,no",
        ]
        let url = try fixture.file("future.csv", ([IngestFixture.header] + rows).joined(separator: "\n"))
        let summary = try fixture.ingest(url, Ingest.Options(now: now))
        #expect(summary.stored == 1 && summary.rejected == 2)
        let rejects = try IngestFixture.rejects(summary)
        #expect(rejects.map { $0[0] } == ["3", "4"])
        #expect(
            rejects.allSatisfy { $0[1] == "visit_date" && $0[2].contains("after today (2026-11-03)") }, "\(rejects)")
    }
}
