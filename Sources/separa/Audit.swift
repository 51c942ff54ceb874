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
                print(line)
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that no audit entry was edited, deleted or reordered.",
            discussion: """
                Recomputes every entry's hash from its fields and the entry before it. Exit status: 0 intact;
                2 broken (each break is named).
                """)

        @OptionGroup var options: WorkspaceOptions

        func run() throws {
            let workspace = try options.locate()
            let store = try workspace.openStore()
            let breaks = try AuditLog.verify(store)
            let count = try AuditLog.entries(in: store).count
            if breaks.isEmpty {
                print("Audit log intact: \(count) entries, each chained to the one before it.")
                return
            }
            for broken in breaks { print("BROKEN: \(broken)") }
            throw ExitCode(2)
        }
    }
}
