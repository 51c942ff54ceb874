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

    /// The workspace, found as git finds a repository; first finishes what a killed command left in
    /// `output/` and says so on standard error.
    func locate() throws -> Workspace {
        let found = try Workspace.locate(
            explicit: workspace, from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for recovery in try found.finishInterruptedOutputs() {
            switch recovery {
            case .finished(let name):
                FileHandle.standardError.write(
                    Data(
                        "note: output/\(name) was written by a command killed before it moved the file into place; it is now in place\n"
                            .utf8))
            case .removed(let name):
                FileHandle.standardError.write(
                    Data(
                        "note: removed output/\(name), left by a command killed before it finished (nothing of it was registered)\n"
                            .utf8))
            }
        }
        return found
    }
}
