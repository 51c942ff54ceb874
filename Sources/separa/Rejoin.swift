import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct Rejoin: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the re-identified view (names next to answers) for a stated purpose, encrypted.",
            discussion: """
                For an authorised task such as follow-up or referral, a key holder joins a template's records
                with the identities in the key file (passphrase) and writes them age-encrypted: to one or more
                recipients (--to age1…), or with a new passphrase (--passphrase-out). The file appears only
                when complete, with mode 0600; no plaintext touches the disk.

                The file is CSV with a header of field names: code (XXXX-XXXX-XXXX), the identity fields in
                template order, visit_date, then the sensitive fields in template order; a select_multiple
                answer is its choice names separated by spaces. One row per record, by code and date. Records
                whose code has no key-file entry have empty identity cells and are counted. Cells that a
                spreadsheet would run as formulas start with an apostrophe.

                --where FIELD=VALUE (repeatable) keeps matching records: FIELD is a choice field of the
                sensitive sheet, code, or visit_date (also visit_date>=YYYY-MM-DD and visit_date<=YYYY-MM-DD);
                VALUE is a choice name or label in any of the template's languages. A select_multiple field
                matches when its answer contains the choice. Conditions on different fields must all hold;
                several on the same field are alternatives (nationality=afg --where nationality=syr: either).

                --purpose is required and goes into the audit log with the template, the filter, the row count,
                the output kind and the codes: it must never name a person (a phone number or e-mail address is
                refused). --plaintext writes a plain CSV (-o FILE.csv) instead, with a warning: it holds names
                next to sensitive data and must be deleted after use.

                Exit status: 0 success; 1 failure; 4 wrong passphrase (nothing was written); 64 bad usage.
                """)

        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var passphrase: KeyPassphraseOptions

        @Option(help: "The template whose records are joined.")
        var template: String

        @Option(help: "Why the view is needed (audited; never a person's name or contact).")
        var purpose: String

        @Option(
            name: .customLong("where"),
            help: ArgumentHelp("Keep records where FIELD has VALUE (repeatable).", valueName: "field=value"))
        var conditions: [String] = []

        @Option(
            name: .customLong("to"),
            help: ArgumentHelp("Encrypt to this age recipient (repeatable).", valueName: "age1…"))
        var recipients: [String] = []

        @Flag(help: "Encrypt with a new passphrase, asked twice on the terminal.")
        var passphraseOut = false

        @Option(
            help: ArgumentHelp(
                "With --passphrase-out: read the new passphrase from the first line of this file.", valueName: "file"))
        var passphraseOutFile: String?

        @Flag(help: "Write a plain CSV instead (-o FILE.csv): names next to sensitive data; delete it after use.")
        var plaintext = false

        @Option(name: .shortAndLong, help: ArgumentHelp("The file to write.", valueName: "file.age"))
        var output: String

        func validate() throws {
            let encryptToPassphrase = passphraseOut || passphraseOutFile != nil
            let kinds = [!recipients.isEmpty, encryptToPassphrase, plaintext].filter { $0 }.count
            if kinds == 0 {
                throw ValidationError(
                    "say how to protect the file: --to age1…, --passphrase-out, or (knowingly) --plaintext")
            }
            if kinds > 1 { throw ValidationError("--to, --passphrase-out and --plaintext exclude each other") }
            if output == "-" { throw ValidationError("-o needs a file: the view is never written to standard output") }
            for recipient in recipients {
                guard (try? AgeX25519Recipient(recipient)) != nil else {
                    throw ValidationError("--to \(recipient): not an age recipient (age1…)")
                }
            }
            if plaintext {
                if !output.lowercased().hasSuffix(".csv") { throw ValidationError("--plaintext writes -o FILE.csv") }
            } else if !output.lowercased().hasSuffix(".age") {
                throw ValidationError("-o must name a .age file (or ask for --plaintext, knowingly)")
            }
            do {
                _ = try SeparaKit.Rejoin.checkPurpose(purpose)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() throws {
            let keyFile = try KeyCLI.keyFile(options)
            let workspace = keyFile.workspace
            let request: RejoinRequest
            do {
                request = try SeparaKit.Rejoin.prepare(
                    workspace: workspace, template: template, purpose: purpose, conditions: conditions,
                    destination: URL(fileURLWithPath: output), plaintext: plaintext)
            } catch {
                if error.isUsage { throw ValidationError(error.description) }
                throw error
            }
            try keyFile.requireExisting()
            var summary: RejoinSummary?
            try KeyCLI.run {
                do {
                    let keys = try SeparaKit.Rejoin.unlock(workspace: workspace, passphrase: try passphrase.current())
                    let protection: ReidentifiedOutput
                    if plaintext {
                        protection = .plaintext
                    } else if !recipients.isEmpty {
                        protection = .recipients(try recipients.map { try AgeX25519Recipient($0) })
                    } else {
                        let new =
                            try passphraseOutFile.map { try AgePassphrase(firstLineOf: $0) } ?? Passphrase.askNew()
                        protection = .passphrase(new, workFactor: keyFile.workFactor)
                    }
                    summary = try SeparaKit.Rejoin.run(request, workspace: workspace, keys: keys, output: protection)
                } catch let error as RejoinError {
                    // A wrong passphrase leaves as KeyFileError, which KeyCLI.run turns into exit status 4.
                    if case .keyFile(let inner) = error { throw inner }
                    throw error
                }
            }
            guard let summary else { return }
            let how: String
            switch summary.outputKind {
            case "recipients": how = "age, encrypted to \(recipients.count) recipient(s)"
            case "passphrase": how = "age, encrypted with the new passphrase"
            default: how = "PLAINTEXT"
            }
            print("Wrote \(output) (\(how)): \(summary.rows) record(s) of \(summary.codes.count) person(s).")
            if summary.unlinked > 0 {
                print("  \(summary.unlinked) record(s) have no linked identity (identity cells left empty).")
            }
            print("  audit log entry \(summary.auditEntry.seq) (rejoin: purpose, filter, counts and codes)")
            if plaintext {
                FileHandle.standardError.write(
                    Data(
                        "warning: \(output) holds names next to sensitive data in plaintext: keep it off shared drives and e-mail, and delete it safely after use\n"
                            .utf8))
            }
        }
    }
}
