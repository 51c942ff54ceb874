import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct Codes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue, check and list pseudonymous case codes.",
            subcommands: [Issue.self, Check.self, List.self, Info.self])
    }
}

extension Separa.Codes {
    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a new batch of codes drawn from the system's secure random generator.",
            discussion: """
                Writes output/codes-BATCH.csv (code, batch, issued date) and prints the batch id. There is no
                seed option: codes are never reproducible and never derived from anything about a person.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "How many codes to issue (1 to 10,000,000).")
        var count: Int

        @Option(help: "A short note about the batch (one line; never a person's name).")
        var note: String?

        func validate() throws {
            guard count >= 1, count <= CodeRegistry.maximumBatch else {
                throw ValidationError(
                    "the number of codes must be between 1 and \(CodeRegistry.maximumBatch.formatted())")
            }
        }

        func run() throws {
            let workspace = try options.locate()
            let store = try workspace.openStore()
            let result = try IssueCodes.run(workspace: workspace, store: store, count: count, note: note)
            print("Issued \(result.batch.codeCount.formatted()) codes in batch \(result.batch.id).")
            print("List: \(Terminal.relative(result.listURL))")
            print(result.batch.id)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check typed or scanned codes against the check symbol and the registry.",
            discussion: """
                Input is forgiving: lower case, spaces and hyphens are accepted, and O→0, I/L→1, Z→2, S→5,
                B→8, U→V. A wrong code is never corrected: for an invalid code, the registered codes one edit
                away are listed so that you can compare them with the paper.

                Exit status: 0 when every code is valid, registered and not revoked; 2 when some are not;
                1 on error.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "Codes to check.")
        var codes: [String] = []

        @Option(help: "A file with one code per line (blank lines and lines starting with # are skipped).")
        var file: String?

        func validate() throws {
            if codes.isEmpty && file == nil { throw ValidationError("give codes to check, or --file F") }
        }

        func run() throws {
            let workspace = try options.locate()
            var inputs = codes
            if let file { inputs += try CodeListFile.read(path: file) }
            let registry = CodeRegistry(workspace: workspace, store: try workspace.openStore())
            let results = try registry.check(inputs)
            for result in results { print(Self.describe(result)) }
            let usable = results.filter(\.isUsable).count
            if results.count > 1 {
                print("\(usable) of \(results.count) codes valid and registered.")
            }
            if usable < results.count { throw ExitStatus.partial.exit }
        }

        static func describe(_ result: CodeCheck) -> String {
            let shown = result.code?.display ?? result.input
            switch result.verdict {
            case .registered(let status, let batch):
                let advice = status == .revoked ? " — do not use: ask a key holder for the current code" : ""
                return "\(shown)  registered: \(status.rawValue), batch \(batch)\(advice)"
            case .notRegistered:
                return
                    "\(shown)  valid, but not registered in this workspace: check the paper, or the site that issued it"
            case .invalid(let error, let nearby):
                var line = "\(shown)  invalid: \(error)"
                if nearby.isEmpty {
                    line += "\n    no registered code is one edit away; check the paper"
                } else {
                    line += "\n    registered codes one edit away (compare with the paper; nothing was corrected): "
                    line += nearby.map(\.display).joined(separator: ", ")
                }
                return line
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List registered codes, or the batches with --batches.")

        @OptionGroup var options: WorkspaceOptions

        @Option(help: "Only codes of this batch.")
        var batch: String?

        @Option(help: "Only codes with this status: \(CodeStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
        var status: CodeStatus?

        @Flag(help: "List the batches instead of the codes.")
        var batches = false

        func run() throws {
            let workspace = try options.locate()
            let registry = CodeRegistry(workspace: workspace, store: try workspace.openStore())
            var output = StandardOutput()
            if batches {
                print("batch\tkind\tcreated\tcodes\tnote")
                for batch in try registry.batches() {
                    print("\(batch.id)\t\(batch.kind)\t\(batch.createdAt)\t\(batch.codeCount)\t\(batch.note ?? "")")
                }
                return
            }
            output.write("code\tbatch\tissued\tstatus\ttemplate\n")
            try registry.forEachCode(batch: batch.map(BatchID.init(rawValue:)), status: status) { row in
                output.write(
                    "\(row.display)\t\(row.batch)\t\(row.issuedAt)\t\(row.status.rawValue)\t\(row.template ?? "")\n")
            }
            output.flush()
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the code alphabet, length, and the collision and guessing odds for this workspace.")

        @OptionGroup var options: WorkspaceOptions

        func run() throws {
            let workspace = try options.locate()
            let registry = CodeRegistry(workspace: workspace, store: try workspace.openStore())
            print(CodeInfoText.render(try registry.info()))
        }
    }
}

extension CodeStatus: ExpressibleByArgument {}
