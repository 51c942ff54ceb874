/// The templates `separa init` puts into a new workspace's `templates/` folder.
public enum ShippedTemplates {
    /// A shipped template file: its name in `templates/` and its YAML text.
    public struct File: Sendable {
        public let fileName: String
        public let contents: String
    }

    /// Filled by the templates capability; the repository's own `templates/` holds the same files.
    public static let files: [File] = []
}
