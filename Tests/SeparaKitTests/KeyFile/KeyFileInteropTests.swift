import Foundation
import Testing

@testable import SeparaKit

/// In an emergency a key holder with only `age` (or rage) opens the key file and the inbox: the key file
/// with its passphrase, the inbox with the secret key line found inside the key file.
@Suite("Key file: opens with the age tool and pyrage")
struct KeyFileInteropTests {
    typealias F = KeyFileFixture

    /// A merged key file with the canary, and one more slip waiting in the inbox.
    static func prepared() throws -> (F, inbox: URL) {
        let fixture = try F()
        _ = try fixture.keyFile.add(slips: try fixture.canarySlips(), template: "intake")
        _ = try fixture.keyFile.merge(passphrase: F.passphrase)
        let waiting = try fixture.keyFile.add(
            slips: try fixture.slips(
                "code,given_name,consent\n\(fixture.codes[6].display),Waiting,yes\n", name: "w.csv"),
            template: "intake")
        return (fixture, try #require(waiting.inboxFile))
    }

    static let passphraseText = "correct horse battery staple"

    @Test(
        "age -d opens the key file; age -d -i opens the inbox",
        .enabled(if: ExternalTools.age != nil && ExternalTools.python3 != nil, ExternalTools.agePassphraseMissing))
    func theAgeTool() throws {
        let (fixture, inbox) = try Self.prepared()
        let plain = fixture.desk.appendingPathComponent("identity.txt")
        let run = try ExternalTools.runWithTerminal(
            passphrase: Self.passphraseText, ExternalTools.age!, ["-d", "-o", plain.path, fixture.keyFile.url.path])
        #expect(run.status == 0, "age: \(run.stderr)")
        let text = try Data(contentsOf: plain)
        #expect(String(decoding: text, as: UTF8.self).hasPrefix(KeyFileContent.versionLine + "\n"))
        let content = try KeyFileContent.parse(text, path: "identity.txt")
        #expect(content.entries[fixture.codes[0].canonical]?.fields["family_name"] == F.canaryFamily)

        // The emergency recipe of the README: the secret key line as an identity file.
        let keyLine = String(decoding: text, as: UTF8.self).split(separator: "\n").first {
            $0.hasPrefix("AGE-SECRET-KEY-1")
        }
        let identityFile = fixture.desk.appendingPathComponent("key.txt")
        try Data((try #require(keyLine) + "\n").utf8).write(to: identityFile)
        let opened = try ExternalTools.run(ExternalTools.age!, ["-d", "-i", identityFile.path, inbox.path])
        #expect(opened.status == 0, "age: \(opened.stderr)")
        #expect(String(decoding: opened.stdout, as: UTF8.self).contains("\"given_name\":\"Waiting\""))
    }

    @Test("pyrage opens the key file and the inbox", .enabled(if: ExternalTools.hasPyrage, ExternalTools.pyrageMissing))
    func pyrage() throws {
        let (fixture, inbox) = try Self.prepared()
        let plain = fixture.desk.appendingPathComponent("identity.txt")
        let run = try ExternalTools.pyrage(
            "decrypt-passphrase", input: fixture.keyFile.url, output: plain, secret: Self.passphraseText)
        #expect(run.status == 0, "pyrage: \(run.stderr)")
        let content = try KeyFileContent.parse(try Data(contentsOf: plain), path: "identity.txt")
        #expect(content.entries.count == 3)
        let opened = fixture.desk.appendingPathComponent("inbox.txt")
        let inboxRun = try ExternalTools.pyrage(
            "decrypt-x25519", input: inbox, output: opened, secret: content.identity.secretKeyString)
        #expect(inboxRun.status == 0, "pyrage: \(inboxRun.stderr)")
        #expect(String(decoding: try Data(contentsOf: opened), as: UTF8.self).contains(fixture.codes[6].canonical))
    }
}
