import Foundation
import Testing

@testable import SeparaKit

/// What Separa writes opens with Debian's `age` tool and with pyrage (rage), and what they write opens with
/// Separa: X25519 and passphrase, binary and armored.
///
/// The `age` tool reads passphrases only from a terminal, so passphrase cases run it on a pseudo-terminal
/// (python3's `pty`); pyrage takes the passphrase through its API.
@Suite("age: interop with the age tool and pyrage")
struct AgeInteropTests {
    enum Credential: String, CaseIterable, CustomStringConvertible {
        case x25519, passphrase
        var description: String { rawValue }
    }

    /// A 2.3-chunk plaintext, so that full and short chunks both cross over.
    static let plaintext: Data = {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<150_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }()
    static let passphrase = "interop: Separa, age and rage"

    struct Files {
        let folder = TestPaths.temporaryDirectory("age-interop")
        var plain: URL { folder.appendingPathComponent("plain.bin") }
        var sealed: URL { folder.appendingPathComponent("sealed.age") }
        var opened: URL { folder.appendingPathComponent("opened.bin") }
        var identityFile: URL { folder.appendingPathComponent("key.txt") }

        init(identity: AgeX25519Identity) throws {
            try AgeInteropTests.plaintext.write(to: plain)
            try Data(identity.identityFileText().utf8).write(to: identityFile)
        }

        func cleanUp() { try? FileManager.default.removeItem(at: folder) }
    }

    // MARK: The age tool

    @Test(
        "Separa writes, the age tool reads (X25519)", .enabled(if: ExternalTools.age != nil, ExternalTools.ageMissing),
        arguments: [false, true])
    func separaToAgeX25519(armored: Bool) throws {
        let identity = AgeX25519Identity.generate()
        let files = try Files(identity: identity)
        defer { files.cleanUp() }
        try AgeEncryption.encrypt(Self.plaintext, to: [.x25519(identity.recipient)], armored: armored).write(
            to: files.sealed)
        let run = try ExternalTools.run(
            ExternalTools.age!, ["-d", "-i", files.identityFile.path, "-o", files.opened.path, files.sealed.path])
        #expect(run.status == 0, "age: \(run.stderr)")
        #expect(try Data(contentsOf: files.opened) == Self.plaintext)
    }

    @Test(
        "the age tool writes, Separa reads (X25519)", .enabled(if: ExternalTools.age != nil, ExternalTools.ageMissing),
        arguments: [false, true])
    func ageToSeparaX25519(armored: Bool) throws {
        let identity = AgeX25519Identity.generate()
        let files = try Files(identity: identity)
        defer { files.cleanUp() }
        let run = try ExternalTools.run(
            ExternalTools.age!,
            ["-r", identity.recipient.description] + (armored ? ["-a"] : [])
                + ["-o", files.sealed.path, files.plain.path])
        #expect(run.status == 0, "age: \(run.stderr)")
        let sealed = try Data(contentsOf: files.sealed)
        #expect(sealed.starts(with: Data((armored ? "-----BEGIN AGE" : "age-encryption.org/v1").utf8)))
        #expect(try AgeEncryption.decrypt(sealed, identities: [.x25519(identity)]) == Self.plaintext)
    }

    @Test(
        "Separa writes, the age tool reads (passphrase)",
        .enabled(if: ExternalTools.age != nil && ExternalTools.python3 != nil, ExternalTools.agePassphraseMissing),
        arguments: [false, true])
    func separaToAgePassphrase(armored: Bool) throws {
        let files = try Files(identity: .generate())
        defer { files.cleanUp() }
        let passphrase = try AgePassphrase(Self.passphrase)
        try AgeEncryption.encrypt(Self.plaintext, to: [.passphrase(passphrase, workFactor: 12)], armored: armored)
            .write(to: files.sealed)
        let run = try ExternalTools.runWithTerminal(
            passphrase: Self.passphrase, ExternalTools.age!, ["-d", "-o", files.opened.path, files.sealed.path])
        #expect(run.status == 0, "age: \(run.stderr)")
        #expect(try Data(contentsOf: files.opened) == Self.plaintext)
    }

    @Test(
        "the age tool writes, Separa reads (passphrase)",
        .enabled(if: ExternalTools.age != nil && ExternalTools.python3 != nil, ExternalTools.agePassphraseMissing),
        arguments: [false, true])
    func ageToSeparaPassphrase(armored: Bool) throws {
        let files = try Files(identity: .generate())
        defer { files.cleanUp() }
        let run = try ExternalTools.runWithTerminal(
            passphrase: Self.passphrase, ExternalTools.age!,
            ["-p"] + (armored ? ["-a"] : []) + ["-o", files.sealed.path, files.plain.path])
        #expect(run.status == 0, "age: \(run.stderr)")
        let sealed = try Data(contentsOf: files.sealed)
        #expect(try AgeEncryption.recipientTypes(of: AgeDataInput(sealed)) == ["scrypt"])
        #expect(
            try AgeEncryption.decrypt(sealed, identities: [.passphrase(try AgePassphrase(Self.passphrase))])
                == Self.plaintext)
        #expect(throws: AgeError.wrongPassphrase) {
            try AgeEncryption.decrypt(sealed, identities: [.passphrase(try AgePassphrase("not it"))])
        }
    }

    // MARK: pyrage

    @Test(
        "Separa writes, pyrage reads", .enabled(if: ExternalTools.hasPyrage, ExternalTools.pyrageMissing),
        arguments: Credential.allCases, [false, true])
    func separaToPyrage(credential: Credential, armored: Bool) throws {
        let identity = AgeX25519Identity.generate()
        let files = try Files(identity: identity)
        defer { files.cleanUp() }
        let recipient: AgeRecipient =
            credential == .x25519
            ? .x25519(identity.recipient) : .passphrase(try AgePassphrase(Self.passphrase), workFactor: 12)
        try AgeEncryption.encrypt(Self.plaintext, to: [recipient], armored: armored).write(to: files.sealed)
        let run = try ExternalTools.pyrage(
            "decrypt-\(credential)", input: files.sealed, output: files.opened,
            secret: credential == .x25519 ? identity.secretKeyString : Self.passphrase)
        #expect(run.status == 0, "pyrage: \(run.stderr)")
        #expect(try Data(contentsOf: files.opened) == Self.plaintext)
    }

    @Test(
        "pyrage writes, Separa reads", .enabled(if: ExternalTools.hasPyrage, ExternalTools.pyrageMissing),
        arguments: Credential.allCases, [false, true])
    func pyrageToSepara(credential: Credential, armored: Bool) throws {
        let identity = AgeX25519Identity.generate()
        let files = try Files(identity: identity)
        defer { files.cleanUp() }
        let run = try ExternalTools.pyrage(
            "encrypt-\(credential)" + (armored ? "-armored" : ""), input: files.plain, output: files.sealed,
            secret: credential == .x25519 ? identity.recipient.description : Self.passphrase)
        #expect(run.status == 0, "pyrage: \(run.stderr)")
        let sealed = try Data(contentsOf: files.sealed)
        let identities: [AgeIdentity] =
            credential == .x25519 ? [.x25519(identity)] : [.passphrase(try AgePassphrase(Self.passphrase))]
        #expect(try AgeEncryption.decrypt(sealed, identities: identities) == Self.plaintext)
    }
}
