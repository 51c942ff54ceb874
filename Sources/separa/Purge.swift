import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove data past its retention period, or erase one person on request (--code).",
            discussion: """
                Retention (no --code). Days are compared as dates; a template's retentionMonths overrides
                separa.json's. A record is due once its template's retention has elapsed since its visit date
                (a visit on 2024-03-15 with 24 months is due from 2026-03-15). A person (a key-file entry with
                all their earlier codes, or a registry code linked to no one) is due when no record of theirs
                remains and the retention has elapsed since their last activity: the latest of the codes'
                issue days, their visit dates, the day they were added to the key file and their reissues.
                A due person loses every registry row (revoked earlier codes and unused printed codes
                included), their key-file entry and any slip sealed in keys/inbox/ or keys/held/; a form
                with a removed code that turns up later is refused at ingest as not registered. A batch left
                with no code is removed.

                Erasure (--code CODE, any spelling; an earlier, revoked code finds the person too): removes
                that person's records, registry rows, key-file entry with every earlier code, and sealed
                slips, whatever the dates, and lists the files in output/ that mention the codes (by name
                only) for you to delete.

                The store is purged in one transaction and then compacted (VACUUM, with secure_delete on), so
                removed data is gone from store.sqlite's bytes; then the key file is saved. Killed at any
                moment, run the same command again: it finishes the job. Only counts are printed. Each
                purge is recorded in the audit log with its counts; an erasure also with the person's
                pseudonymous codes, so that it can be shown to have happened. --dry-run counts, changes
                nothing and writes no audit entry.

                Without a key file only the store is purged. Exit status: 0 done; 1 the code is nowhere
                (nothing changed) or another failure; 4 wrong passphrase (nothing changed); 64 bad usage.
                """)

        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var passphrase: KeyPassphraseOptions

        @Flag(help: "Count what would be removed; change nothing.")
        var dryRun = false

        @Option(help: ArgumentHelp("Erase the person this case code belongs to.", valueName: "code"))
        var code: String?

        @Flag(
            help:
                "With --code: overwrite with zeros and remove every output file that held the person (forms, cards, labels, code lists)."
        )
        var deleteOutputs = false

        func validate() throws {
            if deleteOutputs && code == nil { throw ValidationError("--delete-outputs goes with --code") }
        }

        func run() throws {
            let keyFile = try KeyCLI.keyFile(options)
            let purge = SeparaKit.Purge(keyFile: keyFile)
            // The code is checked before the passphrase is asked.
            let parsed = try code.map {
                try CaseCode.parse($0, expectedRandomLength: keyFile.workspace.config.codes.randomLength)
            }
            var summary: PurgeSummary?
            try KeyCLI.run {
                let secret = keyFile.exists ? try passphrase.current() : nil
                if let parsed {
                    summary = try purge.erase(
                        code: parsed.canonical, passphrase: secret, dryRun: dryRun, deleteOutputs: deleteOutputs)
                } else {
                    summary = try purge.retention(passphrase: secret, dryRun: dryRun)
                }
            }
            guard let summary else { return }
            print(Self.render(summary, workspace: keyFile.workspace, code: parsed))
        }

        static func render(_ summary: PurgeSummary, workspace: Workspace, code: CaseCode?) -> String {
            var lines: [String] = []
            let verb = summary.dryRun ? "Would remove" : "Removed"
            switch summary.mode {
            case .retention:
                lines.append(
                    "\(verb) what is past its retention (separa.json: \(workspace.config.retentionMonths) months, unless its template says otherwise):"
                )
            case .erasure:
                let codes = summary.erasedCodes.count
                lines.append(
                    "\(verb) the person with code \(code?.display ?? "") (\(codes) code\(codes == 1 ? "" : "s") in all):"
                )
            }
            lines.append("  records: \(summary.records)")
            lines.append("  registry codes: \(summary.codes) (\(summary.unusedCodes) never used)")
            if summary.keyFile {
                lines.append("  key-file entries: \(summary.keyEntries)")
                lines.append("  identity slips waiting in keys/inbox or keys/held: \(summary.sealedEntries)")
            }
            lines.append("  empty batches: \(summary.batches)")
            if !summary.keyFile {
                lines.append("No key file in this workspace: only the store was purged.")
            }
            for template in summary.unknownTemplates {
                lines.append(
                    "warning: template '\(template)' is not in templates/: its data was judged by separa.json's retention"
                )
            }
            if summary.mode == .erasure && !summary.deletedOutputs.isEmpty {
                lines.append("Overwrote with zeros and removed these files that held the person:")
                for file in summary.deletedOutputs { lines.append("  \(file)") }
            } else if summary.mode == .erasure && !summary.outputFiles.isEmpty {
                lines.append(
                    "These files in output/ held the code or its printed batch; delete them (or run again with --delete-outputs):"
                )
                for file in summary.outputFiles { lines.append("  \(file)") }
            }
            if summary.mode == .erasure && !summary.exports.isEmpty {
                lines.append(
                    "The person was in \(summary.exports.count) re-identified export(s); have each file deleted, also by whoever received it:"
                )
                for entry in summary.exports {
                    let purpose = AuditLog.detailValue("purpose", in: entry).map { " (purpose=\($0))" } ?? ""
                    lines.append("  audit entry \(entry.seq), \(entry.action.rawValue) on \(entry.at)\(purpose)")
                }
            }
            if summary.dryRun {
                lines.append("Dry run: nothing was changed.")
            } else if let seq = summary.auditSeq {
                lines.append("The store was compacted; audit entry \(seq).")
            }
            return lines.joined(separator: "\n")
        }
    }
}
