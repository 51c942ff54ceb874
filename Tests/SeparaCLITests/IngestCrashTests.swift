import Foundation
import GRDB
import Testing

/// Kills `separa ingest` with SIGKILL at random moments, many times: the store is always as it was before
/// the file or as it is after it, never in between; the rerun completes; nothing is stored twice.
@Suite("separa ingest survives kill -9")
struct IngestCrashTests {
    static let rows = 40_000

    func recordCount(_ root: URL) throws -> Int {
        let queue = try DatabaseQueue(path: root.appendingPathComponent("store.sqlite").path)
        defer { try? queue.close() }
        return try queue.read { db in
            let check = try String.fetchOne(db, sql: "PRAGMA integrity_check")
            #expect(check == "ok")
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM record") ?? -1
        }
    }

    @Test func killedAtRandomMomentsNothingIsLostOrDoubled() throws {
        let root = try CLI.workspace()
        let issue = try CLI.run(["codes", "issue", String(Self.rows)], in: root)
        let batch = try #require(issue.stdout.split(separator: "\n").last.map(String.init))
        let list = try String(contentsOf: root.appendingPathComponent("output/codes-\(batch).csv"), encoding: .utf8)
        var lines = ["code,visit_date,sex,age,nationality,unaccompanied_child"]
        for (index, line) in list.split(separator: "\r\n").dropFirst().enumerated() {
            let code = line.split(separator: ",")[0]
            lines.append("\(code),\(String(format: "%02d", 1 + index % 28))/11/2026,female,\(index % 90),syr,no")
        }
        let sheet = root.appendingPathComponent("sheet.csv")
        try Data(lines.joined(separator: "\n").utf8).write(to: sheet)

        var generator = SystemRandomNumberGenerator()
        var outcomes: [Int: Int] = [:]
        for attempt in 0..<12 {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["ingest", "intake", sheet.path, "--workspace", root.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Early kills come soon after the start, later ones up to 2.5 s: the first attempts land mid-import
            // however fast the import is, the later ones reach its end (commit, rejects file, summary).
            let delay = Double.random(in: 0.05...min(2.5, 0.25 + 0.25 * Double(attempt)), using: &generator)
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let count = try recordCount(root)
            #expect(count == 0 || count == Self.rows, "attempt \(attempt): \(count) records after a kill")
            outcomes[count, default: 0] += 1
            if count == Self.rows { break }
        }
        // Run to the end: everything stored once; again: nothing new.
        let final = try CLI.run(["ingest", "intake", sheet.path], in: root)
        #expect(final.status == 0, "\(final.stderr)")
        #expect(try recordCount(root) == Self.rows)
        let again = try CLI.run(["ingest", "intake", sheet.path], in: root)
        #expect(again.stdout.contains("stored 0, already present \(Self.rows)"))
        #expect(outcomes[0, default: 0] >= 1, "no kill landed mid-import: \(outcomes)")
    }
}
