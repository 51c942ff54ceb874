import Foundation
import Testing

/// `separa age encrypt|decrypt|keygen`, run as a person would: key files, passphrase files, a terminal.
@Suite("separa age (end to end)")
struct AgeCommandTests {
    static let python3: URL? = {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("python3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()
    static let noPython: Comment = "SKIPPED: python3 is needed to give separa a terminal (pty)"

    /// Runs `separa arguments…` on a pseudo-terminal, typing `answers` in turn at each prompt ending in ':';
    /// returns the status and the terminal transcript (what a person would have seen).
    static func runOnTerminal(_ arguments: [String], in folder: URL, answers: [String]) throws -> CLI.Run {
        let script = """
            import os, pty, sys
            answers = os.environ['SEPARA_TEST_ANSWERS'].split('\\n')
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], sys.argv[1:])
            seen = b''
            pending = b''
            while True:
                try:
                    data = os.read(fd, 1024)
                except OSError:
                    break
                if not data:
                    break
                seen += data
                pending += data
                if pending.rstrip().endswith(b':') and answers:
                    os.write(fd, answers.pop(0).encode() + b'\\n')
                    pending = b''
            _, status = os.waitpid(pid, 0)
            sys.stdout.write(seen.decode('utf-8', 'replace'))
            sys.exit(os.waitstatus_to_exitcode(status))
            """
        let process = Process()
        process.executableURL = python3!
        process.arguments = ["-c", script, CLI.binary.path] + arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging([
            "SEPARA_TEST_ANSWERS": answers.joined(separator: "\n"), "COLUMNS": "100",
        ]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let transcript = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Run(
            status: process.terminationStatus, stdout: String(decoding: transcript, as: UTF8.self), stderr: "")
    }

    static func mode(_ url: URL) throws -> Int? {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test func keygenWritesAPrivateIdentityAndPrintsItsRecipient() throws {
        let folder = CLI.temporaryDirectory()
        let keygen = try CLI.run(["age", "keygen", "-o", "key.txt"], in: folder)
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let recipient = keygen.stdout.trimmingCharacters(in: .newlines)
        #expect(recipient.hasPrefix("age1") && recipient.count == 62)
        let key = folder.appendingPathComponent("key.txt")
        let text = try String(contentsOf: key, encoding: .utf8)
        #expect(text.contains("# public key: \(recipient)\n"))
        #expect(text.contains("\nAGE-SECRET-KEY-1"))
        #expect(try Self.mode(key) == 0o600)

        let again = try CLI.run(["age", "keygen", "-o", "key.txt"], in: folder)
        #expect(again.status == 1)
        #expect(again.stderr.contains("key.txt exists"))
        #expect(try String(contentsOf: key, encoding: .utf8) == text)

        let convert = try CLI.run(["age", "keygen", "-y", "key.txt"], in: folder)
        #expect(convert.stdout == recipient + "\n")
        let printed = try CLI.run(["age", "keygen"], in: folder)
        #expect(printed.stdout.contains("AGE-SECRET-KEY-1"))
        #expect(printed.stderr.hasPrefix("Public key: age1"))
    }

    @Test func encryptsToKeysAndDecryptsWithTheIdentityFile() throws {
        let folder = CLI.temporaryDirectory()
        _ = try CLI.run(["age", "keygen", "-o", "a.txt"], in: folder)
        let b = try CLI.run(["age", "keygen", "-o", "b.txt"], in: folder).stdout.trimmingCharacters(in: .newlines)
        let c = try CLI.run(["age", "keygen", "-o", "c.txt"], in: folder).stdout.trimmingCharacters(in: .newlines)
        try Data("# the clerks\n\(c)\n".utf8).write(to: folder.appendingPathComponent("clerks.txt"))
        let plaintext = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try plaintext.write(to: folder.appendingPathComponent("slips.csv"))

        let encrypt = try CLI.run(
            ["age", "encrypt", "-i", "a.txt", "-r", b, "-R", "clerks.txt", "-a", "-o", "slips.age", "slips.csv"],
            in: folder)
        #expect(encrypt.status == 0, "\(encrypt.stderr)")
        let sealed = folder.appendingPathComponent("slips.age")
        #expect(try String(contentsOf: sealed, encoding: .utf8).hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----\n"))
        #expect(try Self.mode(sealed) == 0o600)
        for key in ["a.txt", "b.txt", "c.txt"] {
            let out = "out-\(key)"
            let decrypt = try CLI.run(["age", "decrypt", "-i", key, "-o", out, "slips.age"], in: folder)
            #expect(decrypt.status == 0, "\(decrypt.stderr)")
            #expect(try Data(contentsOf: folder.appendingPathComponent(out)) == plaintext)
        }
        // Standard input to standard output, binary.
        let binary = try CLI.run(["age", "encrypt", "-r", b], in: folder, stdin: Data("hello".utf8))
        #expect(binary.status == 0)
        #expect(binary.stdout.hasPrefix("age-encryption.org/v1\n-> X25519 "))
        let stranger = try CLI.run(["age", "keygen", "-o", "d.txt"], in: folder)
        #expect(stranger.status == 0)
        let denied = try CLI.run(["age", "decrypt", "-i", "d.txt", "slips.age"], in: folder)
        #expect(denied.status == 1)
        #expect(denied.stderr.contains("no identity matches"))
        let noKey = try CLI.run(["age", "decrypt", "slips.age"], in: folder)
        #expect(noKey.status == 1)
        #expect(noKey.stderr.contains("give the identity file with -i"))
    }

    @Test func passphraseFromAFile() throws {
        let folder = CLI.temporaryDirectory()
        try Data("a long passphrase\n".utf8).write(to: folder.appendingPathComponent("pass.txt"))
        try Data("wrong passphrase\n".utf8).write(to: folder.appendingPathComponent("wrong.txt"))
        try Data("Amina;7K3M-2QX9-PH4D\n".utf8).write(to: folder.appendingPathComponent("slips.csv"))
        let encrypt = try CLI.run(
            ["age", "encrypt", "--passphrase-file", "pass.txt", "--work-factor", "10", "-o", "k.age", "slips.csv"],
            in: folder)
        #expect(encrypt.status == 0, "\(encrypt.stderr)")
        let header = try Data(contentsOf: folder.appendingPathComponent("k.age")).prefix(60)
        #expect(String(decoding: header, as: UTF8.self).contains("-> scrypt "))
        let decrypt = try CLI.run(["age", "decrypt", "--passphrase-file", "pass.txt", "k.age"], in: folder)
        #expect(decrypt.status == 0, "\(decrypt.stderr)")
        #expect(decrypt.stdout == "Amina;7K3M-2QX9-PH4D\n")
        let wrong = try CLI.run(
            ["age", "decrypt", "--passphrase-file", "wrong.txt", "-o", "x.csv", "k.age"], in: folder)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("wrong passphrase"))
        #expect(!wrong.stderr.contains("Amina"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.csv").path))
    }

    @Test func aDamagedFileWritesNothingToTheOutputFile() throws {
        let folder = CLI.temporaryDirectory()
        _ = try CLI.run(["age", "keygen", "-o", "key.txt"], in: folder)
        try Data(repeating: 65, count: 150_000).write(to: folder.appendingPathComponent("big.txt"))
        #expect(try CLI.run(["age", "encrypt", "-i", "key.txt", "-o", "big.age", "big.txt"], in: folder).status == 0)
        let sealed = folder.appendingPathComponent("big.age")
        var bytes = try Data(contentsOf: sealed)
        bytes[bytes.count - 100] ^= 0x40  // in the third (last) chunk
        try bytes.write(to: sealed)
        let decrypt = try CLI.run(["age", "decrypt", "-i", "key.txt", "-o", "big.out", "big.age"], in: folder)
        #expect(decrypt.status == 1)
        #expect(decrypt.stderr.contains("payload chunk 3 failed authentication"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(Set(leftovers) == ["key.txt", "big.txt", "big.age"])
    }

    @Test func badFlagCombinationsAreUsageErrors() throws {
        let folder = CLI.temporaryDirectory()
        let recipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"
        for arguments in [
            ["age", "encrypt", "-p", "-r", recipient], ["age", "encrypt"],
            ["age", "encrypt", "-p", "--work-factor", "23"], ["age", "keygen", "in.txt"],
        ] {
            let run = try CLI.run(arguments, in: folder)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
        }
        let bad = try CLI.run(["age", "encrypt", "-r", "age1notakey"], in: folder, stdin: Data())
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("invalid recipient"))
        #expect(!bad.stderr.contains("age1notakey"))
    }

    @Test(.enabled(if: python3 != nil, noPython))
    func passphraseOnTheTerminalIsAskedTwiceWithoutEcho() throws {
        let folder = CLI.temporaryDirectory()
        try Data("Amina;7K3M-2QX9-PH4D\n".utf8).write(to: folder.appendingPathComponent("slips.csv"))
        let secret = "typed at the terminal"
        let encrypt = try Self.runOnTerminal(
            ["age", "encrypt", "-p", "--work-factor", "10", "-o", "k.age", "slips.csv"], in: folder,
            answers: [secret, secret])
        #expect(encrypt.status == 0, "\(encrypt.stdout)")
        #expect(encrypt.stdout.contains("Enter passphrase:"))
        #expect(encrypt.stdout.contains("Confirm passphrase:"))
        #expect(!encrypt.stdout.contains(secret))  // echo was off

        let decrypt = try Self.runOnTerminal(
            ["age", "decrypt", "-o", "back.csv", "k.age"], in: folder, answers: [secret])
        #expect(decrypt.status == 0, "\(decrypt.stdout)")
        #expect(!decrypt.stdout.contains(secret))
        #expect(
            try String(contentsOf: folder.appendingPathComponent("back.csv"), encoding: .utf8)
                == "Amina;7K3M-2QX9-PH4D\n")

        let mismatch = try Self.runOnTerminal(
            ["age", "encrypt", "-p", "-o", "m.age", "slips.csv"], in: folder, answers: [secret, secret + "x"])
        #expect(mismatch.status == 1)
        #expect(mismatch.stdout.contains("the two passphrases differ"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.age").path))
    }

    @Test(.enabled(if: python3 != nil, noPython))
    func binaryOutputIsRefusedOnATerminal() throws {
        let folder = CLI.temporaryDirectory()
        try Data("x".utf8).write(to: folder.appendingPathComponent("in.txt"))
        let recipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"
        let binary = try Self.runOnTerminal(["age", "encrypt", "-r", recipient, "in.txt"], in: folder, answers: [])
        #expect(binary.status != 0)
        #expect(binary.stdout.contains("refusing to write binary age output to the terminal"))
        let armored = try Self.runOnTerminal(
            ["age", "encrypt", "-a", "-r", recipient, "in.txt"], in: folder, answers: [])
        #expect(armored.status == 0)
        #expect(armored.stdout.contains("-----BEGIN AGE ENCRYPTED FILE-----"))
    }

    @Test(arguments: [
        (["age", "--help"], "age.txt"), (["age", "encrypt", "--help"], "age-encrypt.txt"),
        (["age", "decrypt", "--help"], "age-decrypt.txt"), (["age", "keygen", "--help"], "age-keygen.txt"),
    ])
    func helpTextsMatchTheGoldenFiles(arguments: [String], golden: String) throws {
        let result = try CLI.run(arguments, in: CLI.temporaryDirectory())
        #expect(result.status == 0)
        try CLI.assertGolden(result.stdout, "help-\(golden)")
    }
}
