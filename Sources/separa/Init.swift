import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a workspace: separa.json, templates/, output/, keys/ and an empty store.",
            discussion: """
                Edit separa.json afterwards to set the data controller, the contact for questions and
                complaints, the languages and the retention period. store.sqlite is created with mode 0600
                and keys/ with mode 0700.
                """)

        @Argument(help: "The folder to create the workspace in (created if missing).")
        var directory: String = "."

        @Option(help: "The site's name, e.g. \"Roma Termini HSP\".")
        var site: String

        @Option(help: "Short site prefix for batch ids: 1 to 8 upper-case letters or digits (default: from the name).")
        var prefix: String?

        @Option(help: "Random symbols per case code (6 to 27; default 11, printed XXXX-XXXX-XXXX).")
        var codeLength: Int = CodeFormat.defaultRandomLength

        func validate() throws {
            if site.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--site must not be empty") }
            if !(CodeFormat.minimumLength...CodeFormat.maximumLength).contains(codeLength) {
                throw ValidationError(
                    "--code-length must be between \(CodeFormat.minimumLength) and \(CodeFormat.maximumLength)")
            }
        }

        func run() throws {
            var config = WorkspaceConfig.defaults(siteName: site)
            if let prefix { config.site.prefix = prefix }
            config.codes.randomLength = codeLength
            let root = URL(
                fileURLWithPath: directory,
                relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            let workspace = try Workspace.create(at: root, config: config)
            print(
                "Created workspace \(workspace.root.path) for site \(config.site.name) (prefix \(config.site.prefix)).")
            print("Next: set the data controller and contact in \(workspace.configURL.path).")
        }
    }
}
