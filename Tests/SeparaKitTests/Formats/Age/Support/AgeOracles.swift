import Foundation
import Testing

/// Other age implementations used as interop oracles: Debian's `age` tool (package `age`) and pyrage
/// (PyPI `pyrage`, Python bindings to rage). Tests that need one are skipped, saying so, when it is absent.
enum ExternalTools {
    struct Missing: Error {}

    struct Run {
        let status: Int32
        let stdout: Data
        let stderr: String
    }

    /// The first executable called `name` on PATH.
    static func which(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    static let age: URL? = which("age")
    static let python3: URL? = which("python3")
    static let hasPyrage: Bool = {
        guard let python3 else { return false }
        return (try? run(python3, ["-c", "import pyrage"]))?.status == 0
    }()

    static let ageMissing: Comment = "SKIPPED: the age tool is not installed (Debian package 'age')"
    static let agePassphraseMissing: Comment =
        "SKIPPED: the age tool or python3 (which gives age the terminal it reads passphrases from) is missing"
    static let pyrageMissing: Comment = "SKIPPED: pyrage is not installed (pip install pyrage)"

    /// Runs `executable` with `stdin` (closed when nil).
    @discardableResult
    static func run(
        _ executable: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]
    ) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a command on a pseudo-terminal and types `passphrase` at every prompt ending in ':' — how the
    /// `age` tool (which reads passphrases from /dev/tty only) and `separa age -p` are driven without a person.
    /// The passphrase travels in the environment of the helper, never on a command line.
    static func runWithTerminal(passphrase: String, _ executable: URL, _ arguments: [String]) throws -> Run {
        let script = """
            import os, pty, sys
            secret = os.environ['AGE_TEST_PASSPHRASE'].encode()
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
                if pending.rstrip().endswith(b':'):
                    os.write(fd, secret + b'\\n')
                    pending = b''
            _, status = os.waitpid(pid, 0)
            sys.stderr.write(seen.decode('utf-8', 'replace'))
            sys.exit(os.waitstatus_to_exitcode(status))
            """
        guard let python3 else { throw Missing() }
        return try run(
            python3, ["-c", script, executable.path] + arguments, environment: ["AGE_TEST_PASSPHRASE": passphrase])
    }

    /// Runs one pyrage operation on files; the key or passphrase goes through standard input.
    static func pyrage(_ operation: String, input: URL, output: URL, secret: String) throws -> Run {
        let script = """
            import sys, pyrage
            operation, source, target = sys.argv[1:4]
            data = open(source, 'rb').read()
            secret = sys.stdin.read()
            armored = operation.endswith('-armored')
            if operation == 'decrypt-x25519':
                result = pyrage.decrypt(data, [pyrage.x25519.Identity.from_str(secret.strip())])
            elif operation == 'decrypt-passphrase':
                result = pyrage.passphrase.decrypt(data, secret)
            elif operation.startswith('encrypt-x25519'):
                result = pyrage.encrypt(data, [pyrage.x25519.Recipient.from_str(secret.strip())], armored=armored)
            elif operation.startswith('encrypt-passphrase'):
                result = pyrage.passphrase.encrypt(data, secret, armored=armored)
            else:
                sys.exit('unknown operation ' + operation)
            open(target, 'wb').write(result)
            """
        return try run(python3!, ["-c", script, operation, input.path, output.path], stdin: Data(secret.utf8))
    }
}
