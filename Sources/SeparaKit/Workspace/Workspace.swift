import Foundation

/// A Separa workspace: a folder holding `separa.json`, `templates/`, `output/`, `store.sqlite` and `keys/`.
///
/// Commands find it as git finds a repository: an explicit folder, else the nearest folder upward
/// from the current directory that holds `separa.json`.
public struct Workspace: Sendable {
    /// The workspace folder.
    public let root: URL
    /// The settings read from `separa.json`.
    public let config: WorkspaceConfig

    public static let configFileName = "separa.json"

    public var configURL: URL { root.appendingPathComponent(Self.configFileName) }
    public var templatesURL: URL { root.appendingPathComponent("templates", isDirectory: true) }
    public var outputURL: URL { root.appendingPathComponent("output", isDirectory: true) }
    public var storeURL: URL { root.appendingPathComponent("store.sqlite") }
    public var keysURL: URL { root.appendingPathComponent("keys", isDirectory: true) }
    public var keyFileURL: URL { keysURL.appendingPathComponent("identity.age") }
    public var recipientURL: URL { keysURL.appendingPathComponent("recipient.txt") }

    public init(root: URL, config: WorkspaceConfig) {
        self.root = root.standardizedFileURL
        self.config = config
    }

    /// Finds and reads the workspace.
    ///
    /// - Parameters:
    ///   - explicit: the folder given with `--workspace`; it must hold `separa.json` itself.
    ///   - start: where the upward search begins when `explicit` is nil (normally the current directory).
    public static func locate(explicit: String?, from start: URL) throws(WorkspaceError) -> Workspace {
        if let explicit {
            let url = URL(fileURLWithPath: explicit, relativeTo: start).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent(configFileName).path) else {
                throw .notAWorkspace(path: url.path)
            }
            return try open(url)
        }
        var folder = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(configFileName).path) {
                return try open(folder)
            }
            let parent = folder.deletingLastPathComponent().standardizedFileURL
            if parent.path == folder.path { break }
            folder = parent
        }
        throw .notFound(searchedFrom: start.standardizedFileURL.path)
    }

    /// Reads the workspace at `root`, validating `separa.json`.
    public static func open(_ root: URL) throws(WorkspaceError) -> Workspace {
        let configURL = root.appendingPathComponent(configFileName)
        let data: Data
        do {
            data = try Data(contentsOf: configURL)
        } catch {
            throw .corruptConfig(path: configURL.path, detail: "the file cannot be read (check its permissions)")
        }
        let config: WorkspaceConfig
        do {
            config = try JSONDecoder().decode(WorkspaceConfig.self, from: data)
        } catch let error as DecodingError {
            throw .corruptConfig(path: configURL.path, detail: Self.describe(error, in: data))
        } catch {
            throw .corruptConfig(path: configURL.path, detail: "not valid JSON")
        }
        let problems = config.problems()
        if !problems.isEmpty { throw .invalidConfig(path: configURL.path, problems: problems) }
        return Workspace(root: root, config: config)
    }

    /// Makes sure `output/` exists (mode 0700) and returns the URL of `name` inside it.
    public func outputFile(_ name: String) throws -> URL {
        try FileSystem.createDirectory(outputURL, mode: 0o700)
        return outputURL.appendingPathComponent(name)
    }

    static func describe(_ error: DecodingError, in data: Data) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = context.codingPath.isEmpty ? "" : path(context) + "."
            return "key \(prefix)\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)) has the wrong type"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return "not valid JSON" + (underlying.map { " (\($0))" } ?? "")
            }
            return "\(path(context)) is not valid"
        @unknown default:
            return "not valid"
        }
    }
}

extension WorkspaceConfig {
    /// Pretty, key-sorted JSON with a final newline, as `separa init` writes it.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
