import Foundation
import Testing

@Suite("separa purge (end to end)")
struct PurgeCommandTests {
    @Test func helpTexts() throws {
        let run = try CLI.run(["purge", "--help"], in: CLI.temporaryDirectory())
        #expect(run.status == 0)
        try CLI.assertGolden(run.stdout, "help-purge.txt")
    }

    /// Without a key file: counts, an erasure with the file it names, a code found nowhere, and a key file
    /// whose passphrase is wrong.
    @Test func erasesByCodeAndSaysWhatItDid() throws {
        let root = try CLI.workspace()
        let issue = try CLI.run(["codes", "issue", "3"], in: root)
        #expect(issue.status == 0, "\(issue.stderr)")
        let batch = String(issue.stdout.split(separator: "\n").last!)
        let listName = "output/codes-\(batch).csv"
        let list = try String(contentsOf: root.appendingPathComponent(listName), encoding: .utf8)
        let code = String(list.split(separator: "\r\n")[1].split(separator: ",")[0])

        let dry = try CLI.run(["purge", "--dry-run"], in: root)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("registry codes: 0 (0 never used)"))
        #expect(dry.stdout.contains("No key file in this workspace: only the store was purged."))
        #expect(dry.stdout.contains("Dry run: nothing was changed."))

        let erase = try CLI.run(["purge", "--code", code.lowercased()], in: root)
        #expect(erase.status == 0, "\(erase.stderr)")
        #expect(erase.stdout.contains("Removed the person with code \(code) (1 code in all):"))
        #expect(erase.stdout.contains("registry codes: 1 (1 never used)"))
        #expect(erase.stdout.contains("  \(listName)"))
        let check = try CLI.run(["codes", "check", code], in: root)
        #expect(check.stdout.contains("not registered"))

        let again = try CLI.run(["purge", "--code", code], in: root)
        #expect(again.status == 1)
        #expect(again.stderr.contains("\(code) is not in the store, the key file or the inbox"))
        let audit = try CLI.run(["audit", "show"], in: root)
        // The purge names no code, and the log no longer shows the erased one anywhere; it still verifies
        // and says which purge erased what.
        #expect(audit.stdout.contains("purge\tbatches=0; codes=1; erased=0; "))
        #expect(!audit.stdout.contains(code))
        let verify = try CLI.run(["audit", "verify"], in: root)
        #expect(verify.status == 0, "\(verify.stdout)")

        let passphrase = root.appendingPathComponent("pass.txt")
        try Data("a long enough passphrase\n".utf8).write(to: passphrase)
        let environment = ["SEPARA_KEY_WORK_FACTOR": "10"]
        let initKey = try CLI.run(
            ["key", "init", "--passphrase-file", passphrase.path], in: root, environment: environment)
        #expect(initKey.status == 0, "\(initKey.stderr)")
        try Data("not it\n".utf8).write(to: passphrase)
        let wrong = try CLI.run(["purge", "--passphrase-file", passphrase.path], in: root, environment: environment)
        #expect(wrong.status == 4)
        #expect(wrong.stderr.contains("wrong passphrase"))
    }
}
