import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show or verify the hash-chained audit log of key-file access, reissues, rejoins, purges and replacements.",
            subcommands: [Show.self, Verify.self])
    }
}

extension Separa.Audit {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List audit entries: time, action, codes concerned, details (never identity).")

        @OptionGroup var options: WorkspaceOptions

        @Option(help: "Only entries on or after this date (YYYY-MM-DD).")
        var since: String?

        func validate() throws {
            if let since, since.count != 10 || !since.allSatisfy({ $0.isNumber || $0 == "-" }) {
                throw ValidationError("--since takes a date as YYYY-MM-DD")
            }
        }

        func run() throws {
            let workspace = try options.locate()
            let entries = try AuditLog.entries(in: try workspace.openStore(), since: since)
            if entries.isEmpty {
                print("No audit entries\(since.map { " since \($0)" } ?? "").")
                return
            }
            for entry in entries {
                var line = "\(entry.seq)\t\(entry.at)\t\(entry.action.rawValue)"
                let codes = entry.codes.split(separator: ",").map { CodeFormat.group(String($0)) }
                if !codes.isEmpty {
                    line +=
                        "\tcodes: "
                        + (codes.count > 5
                            ? codes.prefix(5).joined(separator: " ") + " … (\(codes.count))"
                            : codes.joined(separator: " "))
                }
                if !entry.detail.isEmpty { line += "\t\(entry.detail)" }
                if entry.redacted > 0 { line += "\t(\(entry.redacted) value(s) erased by a purge)" }
                print(line)
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that no audit entry was edited, deleted or reordered.",
            discussion: """
                Recomputes every entry's hash from its fields and the entry before it. A code or free text that a
                purge erased keeps its salted hash in the chain, so the chain still verifies; the purge that
                erased it is named with how many values it erased, and an erasure no purge records is a
                break. With --key it also checks the seal a key holder's purge puts on what it erased, so an
                erasure forged by someone without the key file is named. With --key (the key
                file's passphrase) it also checks the log against the entry the key file recorded at its last
                save, which catches entries deleted from the end and a log rewritten from the start with
                every hash recomputed; opening the key file is then audited too.
                Exit status: 0 intact; 2 broken (each break is named); 4 wrong passphrase.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Flag(help: "Also check against the key file's record of the log (asks for the passphrase).")
        var key = false

        @OptionGroup var passphrase: KeyPassphraseOptions

        func run() throws {
            let workspace = try options.locate()
            let store = try workspace.openStore()
            var breaks: [AuditLog.Break] = []
            var checkedMark = false
            if key || passphrase.passphraseFile != nil {
                let keyFile = try KeyCLI.keyFile(options)
                try keyFile.requireExisting()
                try KeyCLI.run {
                    let verification = try keyFile.verifyAuditLog(passphrase: try passphrase.current())
                    breaks = verification.breaks
                    checkedMark = verification.checkedMark
                }
            } else {
                breaks = try AuditLog.verify(store)
            }
            let count = try AuditLog.entries(in: store).count
            for erasure in try AuditLog.erasures(in: store) {
                let kind = erasure.mode == "retention" ? "retention purge" : "purge --code"
                print(
                    "Erased: \(erasure.values) code(s) and detail(s) in \(erasure.entries) entr\(erasure.entries == 1 ? "y" : "ies") by entry \(erasure.by) (\(kind), \(erasure.at)); their hashes still chain."
                )
            }
            if breaks.isEmpty {
                print(
                    "Audit log intact: \(count) entries, each chained to the one before it\(checkedMark ? ", and the key file's record of it matches" : "")."
                )
                return
            }
            for broken in breaks { print("BROKEN: \(broken)") }
            throw ExitStatus.partial.exit
        }
    }
}
