import Foundation

/// Why a workspace cannot be found, created or read.
public enum WorkspaceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `separa.json` in the given folder or any folder above it.
    case notFound(searchedFrom: String)
    /// `--workspace` names a folder without `separa.json`.
    case notAWorkspace(path: String)
    /// `separa init` was asked to create a workspace where one exists.
    case alreadyExists(path: String)
    /// `separa.json` is not valid JSON or lacks a key; `detail` says where.
    case corruptConfig(path: String, detail: String)
    /// `separa.json` parses but its values are unusable.
    case invalidConfig(path: String, problems: [String])

    public var description: String {
        switch self {
        case .notFound(let from):
            return
                "no Separa workspace here (no separa.json in \(from) or any folder above it): run 'separa init DIR --site NAME' to create one, or pass --workspace DIR"
        case .notAWorkspace(let path):
            return
                "\(path) is not a Separa workspace (no separa.json): check --workspace, or run 'separa init \(path) --site NAME'"
        case .alreadyExists(let path):
            return "\(path) is already a Separa workspace (separa.json exists); nothing was changed"
        case .corruptConfig(let path, let detail):
            return
                "\(path): cannot read the workspace settings: \(detail); fix the file (see README, 'separa.json') or restore it from a backup"
        case .invalidConfig(let path, let problems):
            return "\(path): " + problems.joined(separator: "; ")
        }
    }
}
