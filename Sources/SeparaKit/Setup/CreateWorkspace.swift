import Foundation

// `separa init`: a workspace with the shipped templates and an empty store. It lives above Workspace/,
// Templates/ and Store/ because it puts all three in place; Workspace/ itself only finds and reads one.

extension Workspace {
    /// Creates a new workspace in `root` (created if missing): `separa.json`, `templates/` with the shipped
    /// templates, `output/`, `keys/` (mode 0700) and an empty, migrated `store.sqlite` (mode 0600).
    ///
    /// Refuses to touch a folder that already holds `separa.json`.
    @discardableResult
    public static func create(at root: URL, config: WorkspaceConfig) throws -> Workspace {
        let root = root.standardizedFileURL
        if FileManager.default.fileExists(atPath: root.appendingPathComponent(configFileName).path) {
            throw WorkspaceError.alreadyExists(path: root.path)
        }
        let problems = config.problems()
        if !problems.isEmpty { throw WorkspaceError.invalidConfig(path: configFileName, problems: problems) }
        let workspace = Workspace(root: root, config: config)
        try FileSystem.createDirectory(root, mode: 0o755)
        try FileSystem.createDirectory(workspace.templatesURL, mode: 0o755)
        try FileSystem.createDirectory(workspace.outputURL, mode: 0o700)
        try FileSystem.createDirectory(workspace.keysURL, mode: 0o700)
        for template in ShippedTemplates.files {
            let url = workspace.templatesURL.appendingPathComponent(template.fileName)
            if !FileManager.default.fileExists(atPath: url.path) {
                try FileSystem.writeAtomically(Data(template.contents.utf8), to: url, mode: 0o644)
            }
        }
        _ = try Store.open(workspace)
        // separa.json last: a workspace is complete once it is found.
        try FileSystem.writeAtomically(try config.encoded(), to: workspace.configURL, mode: 0o644)
        return workspace
    }
}
