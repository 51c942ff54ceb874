import ArgumentParser
import Foundation
import SeparaKit

/// The `--workspace` option every command shares.
struct WorkspaceOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The workspace folder (default: the nearest folder upward holding separa.json).",
            valueName: "dir"))
    var workspace: String?

    /// The workspace, found as git finds a repository.
    func locate() throws -> Workspace {
        try Workspace.locate(
            explicit: workspace, from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }
}
