import Foundation
import Testing

@Suite("separa init and codes (end to end)")
struct CodesCommandTests {
    @Test func issueWritesTheListAndRegistersTheBatch() throws {
        let root = try CLI.workspace()
        let issue = try CLI.run(["codes", "issue", "25", "--note", "first run"], in: root)
        #expect(issue.status == 0, "\(issue.stderr)")
        let batch = try #require(issue.stdout.split(separator: "\n").last.map(String.init))
        let list = root.appendingPathComponent("output/codes-\(batch).csv")
        let lines = try String(contentsOf: list, encoding: .utf8).split(separator: "\r\n")
        #expect(lines.first == "code,batch,issued")
        #expect(lines.count == 26)
        // Every listed code checks as registered.
        let codes = lines.dropFirst().map { String($0.split(separator: ",")[0]) }
        let check = try CLI.run(["codes", "check"] + codes, in: root)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("25 of 25 codes valid and registered."))
        let listing = try CLI.run(["codes", "list", "--batch", batch], in: root)
        #expect(listing.stdout.split(separator: "\n").count == 26)
        let attributes = try FileManager.default.attributesOfItem(atPath: list.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func checkNeverCorrectsButSuggests() throws {
        let root = try CLI.workspace()
        let issue = try CLI.run(["codes", "issue", "3"], in: root)
        let batch = String(issue.stdout.split(separator: "\n").last!)
        let list = try String(contentsOf: root.appendingPathComponent("output/codes-\(batch).csv"), encoding: .utf8)
        let code = String(list.split(separator: "\r\n")[1].split(separator: ",")[0])
        // Swap two neighbouring different symbols: a transposition.
        var symbols = Array(code.replacingOccurrences(of: "-", with: ""))
        let i = try #require((0..<(symbols.count - 1)).first { symbols[$0] != symbols[$0 + 1] })
        symbols.swapAt(i, i + 1)
        let typo = String(symbols)
        let check = try CLI.run(["codes", "check", typo], in: root)
        #expect(check.status == 2)
        #expect(check.stdout.contains("invalid: check symbol does not match"))
        #expect(check.stdout.contains("registered codes one edit away"))
        #expect(check.stdout.contains(code))
        #expect(check.stdout.contains("nothing was corrected"))
        let unknown = try CLI.run(["codes", "check", "0000-0000-001X"], in: root)
        #expect(unknown.status == 2)
        #expect(unknown.stdout.contains("not registered"))
    }

    @Test func checkReadsAFile() throws {
        let root = try CLI.workspace()
        let file = root.appendingPathComponent("typed.txt")
        try Data("# typed by the clerk\n\n0000-0000-001X\n  k7m2  \n".utf8).write(to: file)
        let check = try CLI.run(["codes", "check", "--file", file.path], in: root)
        #expect(check.status == 2)
        #expect(check.stdout.contains("0 of 2 codes valid and registered."))
        let missing = try CLI.run(["codes", "check", "--file", "nope.txt"], in: root)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.txt: cannot read the file"))
    }

    @Test func outsideAWorkspace() throws {
        let empty = CLI.temporaryDirectory()
        let result = try CLI.run(["codes", "issue", "5"], in: empty)
        #expect(result.status == 1)
        #expect(result.stderr.contains("run 'separa init DIR --site NAME'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)
    }

    @Test(arguments: ["0", "-3", "10000001", "many"])
    func badCountsAreUsageErrors(count: String) throws {
        let root = try CLI.workspace()
        let before = try Data(contentsOf: root.appendingPathComponent("store.sqlite"))
        let result = try CLI.run(["codes", "issue", "--", count], in: root)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(try Data(contentsOf: root.appendingPathComponent("store.sqlite")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("output").path).isEmpty)
    }

    @Test func corruptSettingsStopEverything() throws {
        let root = try CLI.workspace()
        try Data("{ \"site\": ".utf8).write(to: root.appendingPathComponent("separa.json"))
        let result = try CLI.run(["codes", "issue", "5"], in: root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("separa.json: cannot read the workspace settings"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("output").path).isEmpty)
    }

    @Test func initTwiceChangesNothing() throws {
        let root = try CLI.workspace()
        let again = try CLI.run(["init", root.path, "--site", "Other"], in: root)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already a Separa workspace"))
    }

    @Test func infoShowsTheOdds() throws {
        let root = try CLI.workspace()
        let info = try CLI.run(["codes", "info"], in: root)
        #expect(info.status == 0)
        #expect(info.stdout.contains("0123456789ACDEFGHJKMNPQRTVWXY"))
        #expect(info.stdout.contains("4.1e-05"))
        #expect(info.stdout.contains("8.2e-11"))
    }

    @Test(arguments: [
        (["--help"], "separa.txt"), (["codes", "--help"], "codes.txt"),
        (["codes", "issue", "--help"], "codes-issue.txt"), (["codes", "check", "--help"], "codes-check.txt"),
        (["init", "--help"], "init.txt"),
    ])
    func helpTextsMatchTheGoldenFiles(arguments: [String], golden: String) throws {
        let result = try CLI.run(arguments, in: CLI.temporaryDirectory())
        #expect(result.status == 0)
        try CLI.assertGolden(result.stdout, "help-\(golden)")
    }
}
