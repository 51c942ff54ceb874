import ArgumentParser
import Foundation
import SeparaKit

#if canImport(Glibc)
    import Glibc
#endif

extension Separa {
    struct AgeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "age",
            abstract: "Encrypt and decrypt age files (age-encryption.org/v1), with the age tool's flags.",
            discussion: """
                Any age file with an X25519 key or a passphrase opens here, and what is written here opens with
                the age tool, rage and pyrage. Post-quantum (age1pq1…), SSH and plugin keys are not supported.
                """,
            subcommands: [Encrypt.self, Decrypt.self, Keygen.self])
    }
}

extension Separa.AgeCommand {
    struct Encrypt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encrypt a file to recipients or with a passphrase.",
            discussion: """
                Reads IN (or standard input) and writes OUT (or standard output; binary output is refused on a
                terminal: use -a or -o). OUT is replaced only once the whole file is written, with mode 0600.
                The passphrase is asked twice on the terminal without echo, or read from --passphrase-file
                (its content less one final line end); it is never taken from the command line.
                """)

        @Flag(name: .shortAndLong, help: "Encrypt with a passphrase (scrypt, work factor 2^18).")
        var passphrase = false

        @Option(
            help: ArgumentHelp(
                "Read the passphrase from the first line of this file instead of the terminal.", valueName: "file"))
        var passphraseFile: String?

        @Option(name: [.customShort("r"), .customLong("recipient")], help: "Encrypt to this age1… key (repeatable).")
        var recipients: [String] = []

        @Option(
            name: [.customShort("R"), .customLong("recipients-file")],
            help: ArgumentHelp("Encrypt to the age1… keys in this file, one a line (repeatable).", valueName: "path"))
        var recipientsFiles: [String] = []

        @Option(
            name: [.customShort("i"), .customLong("identity")],
            help: ArgumentHelp("Encrypt to the public key of this identity file (repeatable).", valueName: "path"))
        var identityFiles: [String] = []

        @Flag(name: [.customShort("a"), .customLong("armor")], help: "Write ASCII armor (PEM) instead of binary.")
        var armor = false

        @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output.", valueName: "out"))
        var output: String?

        @Option(help: ArgumentHelp("scrypt work factor, log2 N (1 to 22).", visibility: .hidden))
        var workFactor: Int = AgeEncryption.defaultWorkFactor

        @Argument(help: ArgumentHelp("The file to encrypt (default: standard input).", valueName: "in"))
        var input: String?

        var usesPassphrase: Bool { passphrase || passphraseFile != nil }

        func validate() throws {
            let keys = recipients.count + recipientsFiles.count + identityFiles.count
            if usesPassphrase && keys > 0 {
                throw ValidationError("a passphrase cannot be combined with -r, -R or -i (age forbids it)")
            }
            if !usesPassphrase && keys == 0 {
                throw ValidationError("give -p (passphrase), -r RECIPIENT, -R FILE or -i FILE")
            }
            if !(AgeEncryption.minimumWorkFactor...AgeEncryption.maximumWorkFactor).contains(workFactor) {
                throw ValidationError(
                    "--work-factor must be between \(AgeEncryption.minimumWorkFactor) and \(AgeEncryption.maximumWorkFactor)"
                )
            }
        }

        func run() throws {
            Memory.keepFreedMemory()
            let destination = try AgeCLI.Destination(output, refuseTerminal: !armor)
            var list: [AgeRecipient] = []
            if let passphraseFile {
                list.append(.passphrase(try AgePassphrase(firstLineOf: passphraseFile), workFactor: workFactor))
            } else if passphrase {
                list.append(.passphrase(try Passphrase.askNew(), workFactor: workFactor))
            }
            for recipient in recipients { list.append(.x25519(try SeparaKit.AgeX25519Recipient(recipient))) }
            for path in recipientsFiles {
                let text = try AgeCLI.readText(path, what: "recipients file")
                list += try AgeCLI.naming(path) { try AgeKeyFile.recipients(fromText: text) }.map { .x25519($0) }
            }
            for path in identityFiles {
                let text = try AgeCLI.readText(path, what: "identity file")
                list += try AgeCLI.naming(path) { try AgeKeyFile.identities(fromText: text) }.map {
                    .x25519($0.recipient)
                }
            }
            let source = try AgeCLI.open(input)
            try destination.finish {
                try AgeEncryption.encrypt(from: source, to: list, armored: armor, output: $0)
            }
        }
    }

    struct Decrypt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decrypt an age file (binary or armored) with identities or a passphrase.",
            discussion: """
                Reads IN (or standard input) and writes OUT (or standard output). With -o, OUT appears only when
                the whole file decrypted and authenticated, with mode 0600; on standard output, a damaged file
                stops with an error after the chunks before the damage. With no -i, the passphrase is asked on
                the terminal (only if the file needs one), or read from --passphrase-file.
                """)

        @Option(
            name: [.customShort("i"), .customLong("identity")],
            help: ArgumentHelp(
                "An identity file (AGE-SECRET-KEY-1… lines) to decrypt with (repeatable).", valueName: "path"))
        var identityFiles: [String] = []

        @Flag(name: .shortAndLong, help: "Ask for a passphrase even when identity files are given.")
        var passphrase = false

        @Option(
            help: ArgumentHelp(
                "Read the passphrase from the first line of this file instead of the terminal.", valueName: "file"))
        var passphraseFile: String?

        @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output.", valueName: "out"))
        var output: String?

        @Argument(help: ArgumentHelp("The age file (default: standard input).", valueName: "in"))
        var input: String?

        func run() throws {
            Memory.keepFreedMemory()
            var identities: [AgeIdentity] = []
            for path in identityFiles {
                let text = try AgeCLI.readText(path, what: "identity file")
                identities += try AgeCLI.naming(path) { try AgeKeyFile.identities(fromText: text) }.map { .x25519($0) }
            }
            let asksPassphrase = passphraseFile == nil && (passphrase || identityFiles.isEmpty)
            if let passphraseFile {
                identities.append(.passphrase(try AgePassphrase(firstLineOf: passphraseFile)))
            } else if asksPassphrase {
                identities.append(.passphraseOnDemand({ try Passphrase.ask("Enter passphrase: ") }))
            }
            let destination = try AgeCLI.Destination(output, refuseTerminal: false)
            let source = try AgeCLI.open(input)
            do {
                try destination.finish {
                    try AgeEncryption.decrypt(from: source, identities: identities, output: $0)
                }
            } catch AgeError.noMatchingIdentity(fileNeedsPassphrase: false) where identityFiles.isEmpty {
                throw AgeCLI.Failure(
                    description: "the file is encrypted to keys, not a passphrase: give the identity file with -i FILE")
            }
        }
    }

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate an X25519 identity, as age-keygen does, and print its public key.",
            discussion: """
                With -o, writes the identity file (mode 0600; an existing file is never replaced) and prints the
                public key (age1…) on standard output. Without -o, prints the identity file. With -y, prints the
                public keys of the identity file IN instead.
                """)

        @Option(name: .shortAndLong, help: ArgumentHelp("Write the identity file here.", valueName: "out"))
        var output: String?

        @Flag(name: .customShort("y"), help: "Print the public keys of an identity file (IN or standard input).")
        var convert = false

        @Argument(help: ArgumentHelp("With -y: the identity file (default: standard input).", valueName: "in"))
        var input: String?

        func validate() throws {
            if input != nil && !convert { throw ValidationError("IN is read only with -y") }
        }

        func run() throws {
            if convert {
                let text: String
                if let input, input != "-" {
                    text = try AgeCLI.readText(input, what: "identity file")
                } else {
                    text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                }
                let identities = try AgeCLI.naming(input ?? "standard input") {
                    try AgeKeyFile.identities(fromText: text)
                }
                try AgeCLI.emit(Data(identities.map { "\($0.recipient)\n" }.joined().utf8), to: output)
                return
            }
            let identity = AgeX25519Identity.generate()
            let text = Data(identity.identityFileText().utf8)
            if let output, output != "-" {
                let url = URL(fileURLWithPath: output)
                if FileManager.default.fileExists(atPath: url.path) {
                    throw AgeCLI.Failure(description: "\(output) exists; an identity file is never replaced")
                }
                try FileSystem.writeAtomically(text, to: url, mode: 0o600)
                print(identity.recipient)
            } else {
                if !Terminal.isTerminal(1) {
                    FileHandle.standardError.write(Data("Public key: \(identity.recipient)\n".utf8))
                }
                FileHandle.standardOutput.write(text)
            }
        }
    }
}

/// The plumbing `separa age` shares: input files, output files written atomically, key files.
enum AgeCLI {
    /// A failure the command explains itself.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Where a command writes: a file replaced atomically once everything is written, or standard output.
    struct Destination {
        let path: String?

        /// Refuses binary output on a terminal (as age does) before anything is asked or read.
        init(_ path: String?, refuseTerminal: Bool) throws {
            self.path = path == "-" ? nil : path
            if self.path == nil && refuseTerminal && Terminal.isTerminal(1) {
                throw ValidationError("refusing to write binary age output to the terminal: use -a (armor) or -o FILE")
            }
        }

        /// Runs `body` with a sink; a file destination appears only if `body` succeeds.
        func finish(_ body: (@escaping AgeOutput) throws -> Void) throws {
            guard let path else {
                let stdout = FileHandle.standardOutput
                try body { data in
                    do { try stdout.write(contentsOf: data) } catch {
                        throw AgeError.io(operation: "write to standard output", detail: error.localizedDescription)
                    }
                }
                return
            }
            let writer = try AtomicFileWriter(URL(fileURLWithPath: path), mode: 0o600)
            do {
                try body { try writer.write($0) }
                try writer.commit()
            } catch {
                writer.abandon()
                throw error
            }
        }
    }

    /// Opens `path` for reading (standard input for nil or "-").
    static func open(_ path: String?) throws -> FileHandle {
        guard let path, path != "-" else { return FileHandle.standardInput }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AgeError.io(operation: "read \(path)", detail: "no such file, or not readable")
        }
        return handle
    }

    static func readText(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AgeError.io(operation: "read the \(what) \(path)", detail: "no such file, or not readable")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Prefixes key-file errors with the file's path.
    static func naming<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as AgeError {
            throw Failure(description: "\(path): \(error)")
        }
    }

    /// Writes small text output to a file (atomically) or standard output.
    static func emit(_ data: Data, to path: String?) throws {
        try Destination(path, refuseTerminal: false).finish { try $0(data) }
    }
}
