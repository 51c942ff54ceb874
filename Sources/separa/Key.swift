import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The locked key file: the only place where case codes meet names.",
            discussion: """
                keys/identity.age is an age file locked with the coordinator's passphrase; `age -d
                keys/identity.age` opens it in an emergency (see README, "The key file"). Clerks add identity
                slips with `key add`, which needs no passphrase: the slips are sealed into keys/inbox/ and the
                clerk cannot read them back. The coordinator folds them in with `key merge`.

                Passphrases are asked on the terminal without echo, or read from --passphrase-file (its first
                line); never from the command line. Every unlock, lookup, find, add, merge, reissue, resolve
                and passwd is recorded in the store's audit log (codes and counts, never identity).

                Exit status: 0 success; 1 failure; 2 finished, but some slips or entries were not accepted;
                4 wrong passphrase (nothing was written); 64 bad usage.
                """,
            subcommands: [
                Init.self, Add.self, Merge.self, Lookup.self, Find.self, Reissue.self, Resolve.self, Passwd.self,
            ])
    }
}

/// The passphrase option the key commands share.
struct KeyPassphraseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read the passphrase from the first line of this file.", valueName: "file"))
    var passphraseFile: String?

    /// The passphrase of an existing key file.
    func current(prompt: String = "Key file passphrase: ") throws -> AgePassphrase {
        if let passphraseFile { return try AgePassphrase(firstLineOf: passphraseFile) }
        return try Passphrase.ask(prompt)
    }

    /// A new passphrase: from the file, or asked twice.
    func new() throws -> AgePassphrase {
        if let passphraseFile { return try AgePassphrase(firstLineOf: passphraseFile) }
        return try Passphrase.askNew()
    }
}

/// What the key commands share.
enum KeyCLI {
    /// The environment variable that sets the scrypt work factor of new passphrases. For tests and
    /// benchmarks only: production keeps the default, 18.
    static let workFactorVariable = "SEPARA_KEY_WORK_FACTOR"

    static func keyFile(_ options: WorkspaceOptions) throws -> KeyFile {
        var keyFile = KeyFile(workspace: try options.locate())
        if let text = ProcessInfo.processInfo.environment[workFactorVariable] {
            guard let value = Int(text),
                (AgeEncryption.minimumWorkFactor...AgeEncryption.maximumWorkFactor).contains(value)
            else {
                throw ValidationError("\(workFactorVariable) must be a whole number from 1 to 22")
            }
            if value < AgeEncryption.defaultWorkFactor {
                FileHandle.standardError.write(
                    Data(
                        "warning: \(workFactorVariable)=\(value): a weak passphrase work factor, for tests only\n".utf8
                    ))
            }
            keyFile.workFactor = value
        }
        return keyFile
    }

    /// Runs `body`, turning a wrong passphrase into its own exit status.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as KeyFileError {
            if case .wrongPassphrase = error {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                throw ExitStatus.locked.exit
            }
            throw error
        }
    }

    /// The refusal of lookup and find when standard output is not a terminal.
    static let notATerminal = ValidationError(
        "standard output is not a terminal: identity is shown on the terminal only; use --output FILE.age (encrypted) or, knowingly, --plaintext"
    )

    /// The text lookup and find show for one person: the code, then each field, in the template's order.
    static func render(_ entry: KeyEntry, workspace: Workspace, note: String? = nil) -> String {
        let template = try? TemplateLibrary(workspace: workspace).template(named: entry.template)
        let language = workspace.config.languages.first ?? "en"
        var order = template?.identity.map(\.name) ?? []
        order += entry.fields.keys.sorted().filter { !order.contains($0) }
        var lines = ["\(CodeFormat.group(entry.code))  (\(entry.template), added \(entry.addedAt))" + (note ?? "")]
        for name in order {
            guard let value = entry.fields[name] else { continue }
            let label = template?.identity.first { $0.name == name }?.label.text(in: language, fallbacks: ["en"])
            lines.append("  \(label ?? name): \(value.escapingControlCharacters)")
        }
        for event in entry.history {
            lines.append(
                "  earlier code \(CodeFormat.group(event.from)) → \(CodeFormat.group(event.to)) (\(event.reason), \(event.at))"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Shows identity text: on the terminal, in a file encrypted to `recipients` (default: the key file's own
    /// recipient), or on standard output when `plaintext` was asked.
    static func show(_ text: String, output: String?, recipients: [String], keyFile: KeyFile) throws {
        var data = Data(text.utf8)
        defer { data.withUnsafeMutableBytes { raw in if let base = raw.baseAddress { memset(base, 0, raw.count) } } }
        guard let output else {
            FileHandle.standardOutput.write(data)
            return
        }
        try keyFile.writeFound(text, to: URL(fileURLWithPath: output), recipients: recipients)
        FileHandle.standardError.write(Data("Wrote \(output) (age, encrypted).\n".utf8))
    }
}

/// Where lookup and find show what they find.
struct KeyOutputOptions: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Write the result to this file, age-encrypted, instead of the terminal.", valueName: "file.age"))
    var output: String?

    @Option(
        name: [.customShort("r"), .customLong("recipient")],
        help: "With --output: encrypt to this age1… key (repeatable; default: the key file's own recipient).")
    var recipients: [String] = []

    @Flag(help: "Print identity on standard output even when it is not a terminal (a pipe or a file).")
    var plaintext = false

    func validate() throws {
        if output != nil && plaintext { throw ValidationError("--output and --plaintext exclude each other") }
        if !recipients.isEmpty && output == nil { throw ValidationError("-r goes with --output") }
        if let output, !output.hasSuffix(".age") { throw ValidationError("--output must name a .age file") }
        if output == nil && !plaintext && !Terminal.isTerminal(1) { throw KeyCLI.notATerminal }
    }
}

extension Separa.Key {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the key file and its key pair (asks for a new passphrase twice).",
            discussion: """
                Creates keys/identity.age, locked with the passphrase, holding a new X25519 secret key, and
                keys/recipient.txt, its public half, which `key add` seals new identity slips to. An existing
                key file is never replaced.
                """)

        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var passphrase: KeyPassphraseOptions

        func run() throws {
            let keyFile = try KeyCLI.keyFile(options)
            if keyFile.exists { throw KeyFileError.alreadyExists(path: "keys/identity.age") }
            let recipient = try keyFile.create(passphrase: try passphrase.new())
            print("Created keys/identity.age (locked with your passphrase) and keys/recipient.txt:")
            print("  \(recipient)")
            print("Keep the passphrase apart from this computer. Without it the key file cannot be opened.")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal transcribed identity slips into the inbox (no passphrase needed).",
            discussion: """
                SLIPS.csv has a header naming `code` and the template's identity fields (by field name or by
                label in any language). Each code must be valid, registered here, not revoked, and not already
                waiting in the inbox. Accepted rows are encrypted to keys/recipient.txt into keys/inbox/: you
                cannot read them back; the coordinator merges them with `separa key merge`.

                Rejected rows are listed by line, column and reason in output/key-add-rejects-TIME.csv, which
                holds no value from the slips. A slip whose consent is not given is refused: its identity stays
                on paper only. Rows already waiting in the inbox are skipped and counted. The slips are sealed
                only to the key pinned by 'key init' in the audit log: a different keys/recipient.txt is
                refused. With --shred the CSV is overwritten with zeros and removed, or, when rows were
                rejected, replaced by one holding only those rows (on SSDs and journaling filesystems
                overwriting is not a guarantee: see README).
                Exit status 2 when some rows were rejected.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: ArgumentHelp("The transcribed identity slips (CSV).", valueName: "slips.csv"))
        var slips: String

        @Option(help: "The template the slips were printed from.")
        var template = "intake"

        @Flag(help: "Overwrite the CSV with zeros and remove it afterwards.")
        var shred = false

        func run() throws {
            let keyFile = try KeyCLI.keyFile(options)
            let url = URL(fileURLWithPath: slips)
            let summary = try keyFile.add(slips: url, template: template, shred: shred)
            if let file = summary.inboxFile {
                print(
                    "Sealed \(summary.codes.count) identity slip(s) into keys/inbox/\(file.lastPathComponent) for the key \(summary.fingerprint) (only the key holder can open it)."
                )
            } else {
                print("No identity slip was sealed.")
            }
            if summary.alreadyWaiting > 0 {
                print(
                    "  \(summary.alreadyWaiting) row(s) already waiting in the inbox from an earlier 'key add': skipped"
                )
            }
            if !summary.rejections.isEmpty {
                for rejection in summary.rejections.prefix(20) {
                    print("  \(rejection.diagnostic(file: url.lastPathComponent))")
                }
                if summary.rejections.count > 20 {
                    print("  … \(summary.rejections.count - 20) more in the rejects file")
                }
                let report = try keyFile.writeAddRejects(summary.rejections, file: url.lastPathComponent)
                print("  rejected \(summary.rejections.count) of \(summary.rows); list: \(Terminal.relative(report))")
            }
            switch summary.shredded {
            case .removed?:
                print("Overwrote and removed \(slips).")
            case .keptRejected(let rows)?:
                print(
                    "\(slips) now holds only the \(rows) rejected row(s) (the sealed ones were overwritten): fix them and add it again."
                )
            case nil:
                FileHandle.standardError.write(
                    Data(
                        "warning: \(slips) still holds identity in plaintext; remove it safely (separa key add --shred)\n"
                            .utf8))
            }
            if !summary.rejections.isEmpty { throw ExitStatus.partial.exit }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fold the inbox into the key file (passphrase), atomically.",
            discussion: """
                Adds every entry sealed in keys/inbox/ to the key file, saves it atomically, and removes the
                merged inbox files. An entry whose code is already linked to someone else is not merged: its
                code and reason are listed, and the entry is kept sealed in keys/held/ for the key holder.
                Exit status 2 when some entries were held; 4 on a wrong passphrase (nothing written).
                """)

        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var passphrase: KeyPassphraseOptions

        func run() throws {
            let keyFile = try KeyCLI.keyFile(options)
            try keyFile.requireExisting()
            if keyFile.inboxFiles().isEmpty {
                if try keyFile.clearStalePendingCodes() {
                    print("Emptied keys/inbox/pending-codes.txt, left by a merge that was interrupted.")
                }
                print("The inbox is empty: nothing to merge.")
                return
            }
            var summary: KeyFile.MergeSummary?
            try KeyCLI.run { summary = try keyFile.merge(passphrase: try passphrase.current()) }
            guard let summary else { return }
            print(
                "Merged \(summary.merged.count) entr\(summary.merged.count == 1 ? "y" : "ies") from \(summary.files) inbox file(s); the key file is saved."
            )
            if summary.alreadyMerged > 0 { print("  \(summary.alreadyMerged) already in the key file (skipped)") }
            for rejection in summary.rejections {
                print("  \(rejection.diagnostic)")
            }
            if let held = summary.heldFile {
                print("  held entries: keys/held/\(held.lastPathComponent) (sealed to the key file's recipient)")
                throw ExitStatus.partial.exit
            }
        }
    }

    struct Lookup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the person linked to a code (passphrase; terminal only).",
            discussion: """
                Prints on the terminal only; when standard output is a pipe or a file it refuses, unless
                --output FILE.age (encrypted) or --plaintext. Audited with the code. Exit status 1 when no one
                is linked to the code; 4 on a wrong passphrase.
                """)

        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var passphrase: KeyPassphraseOptions
        @OptionGroup var output: KeyOutputOptions

        @Argument(help: "The case code (hyphens and spaces optional).")
        var code: String

        func run() throws {
            let keyFile = try KeyCLI.keyFile(options)
            try keyFile.requireExisting()
            let parsed = try CaseCode.parse(code, expectedRandomLength: keyFile.workspace.config.codes.randomLength)
            try KeyCLI.run {
                switch try keyFile.lookup(parsed.canonical, passphrase: try passphrase.current()) {
                case .current(let entry):
                    try KeyCLI.show(
                        KeyCLI.render(entry, workspace: keyFile.workspace), output: output.output,
                        recipients: output.recipients, keyFile: keyFile)
                case .replaced(let entry):
                    try KeyCLI.show(
                        KeyCLI.render(entry, workspace: keyFile.workspace, note: " — \(parsed.display) was replaced"),
                        output: output.output, recipients: output.recipients, keyFile: keyFile)
                case .none:
                    throw KeyCLI.Failure(
                        description: "no one is linked to \(parsed.display) in the key file (not merged yet?)")
                }
            }
        }
    }

    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find people by name or phone (passphrase; terminal only).",
            discussion: """
                Matches TEXT against the identity fields ignoring case, accents, spacing and punctuation (also
                given and family name typed together). Prints on the terminal only, like lookup. Audited with
                the codes found, never the text searched. Exit status 1 when nothing matches; 4 on a wrong
                passphrase.
                """)

        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var passphrase: KeyPassphraseOptions
        @OptionGroup var output: KeyOutputOptions

        @Argument(help: "What to look for.")
        var text: String

        func run() throws {
            let keyFile = try KeyCLI.keyFile(options)
            try keyFile.requireExisting()
            try KeyCLI.run {
                let found = try keyFile.find(text, passphrase: try passphrase.current())
                guard !found.isEmpty else { throw KeyCLI.Failure(description: "no one matches in the key file") }
                let text = found.map { KeyCLI.render($0, workspace: keyFile.workspace) }.joined(separator: "\n")
                try KeyCLI.show(text, output: output.output, recipients: output.recipients, keyFile: keyFile)
            }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the key file's passphrase, atomically.",
            discussion: """
                Asks for the current passphrase, then the new one twice (or reads them from --passphrase-file
                and --new-passphrase-file). Interrupted at any moment, the key file opens with the old or the
                new passphrase. Exit status 4 on a wrong current passphrase (nothing written).
                """)

        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var passphrase: KeyPassphraseOptions

        @Option(help: ArgumentHelp("Read the new passphrase from the first line of this file.", valueName: "file"))
        var newPassphraseFile: String?

        func run() throws {
            let keyFile = try KeyCLI.keyFile(options)
            try keyFile.requireExisting()
            let old = try passphrase.current(prompt: "Current passphrase: ")
            try KeyCLI.run {
                // The new passphrase is asked only once the current one has opened the file.
                try keyFile.changePassphrase(
                    from: old,
                    to: { try newPassphraseFile.map { try AgePassphrase(firstLineOf: $0) } ?? Passphrase.askNew() })
            }
            print("The key file's passphrase is changed.")
        }
    }
}

extension KeyCLI {
    /// A failure the command explains itself (exit status 1).
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}
