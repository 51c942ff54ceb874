import Foundation
import Testing

/// Runs the built `separa` binary, as ArgumentParser's `AssertExecuteCommand` does.
enum CLI {
    /// The result of one run.
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `separa` executable next to the test bundle (`.build/<config>/separa`), or `$SEPARA_BIN`.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["SEPARA_BIN"] { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("separa")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/separa")
    }()

    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let golden: URL = repository.appendingPathComponent("Tests/SeparaCLITests/Golden")

    /// Runs `separa arguments…` in `directory` with `stdin` (closed when nil) and returns what it did.
    @discardableResult
    static func run(
        _ arguments: [String], in directory: URL, stdin: Data? = nil, environment extra: [String: String] = [:]
    ) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "100"
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("separa-cli-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A new workspace in a temporary folder.
    static func workspace(site: String = "Test Site") throws -> URL {
        let root = temporaryDirectory().appendingPathComponent("ws")
        let result = try run(["init", root.path, "--site", site], in: root.deletingLastPathComponent())
        #expect(result.status == 0, "init failed: \(result.stderr)")
        return root
    }

    /// Compares `text` with the golden file `name`; with `SEPARA_RECORD_GOLDEN=1` it records it instead.
    static func assertGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SEPARA_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(
            text == expected,
            "\(name) differs from the golden file; re-record with SEPARA_RECORD_GOLDEN=1 swift test if the change is intended",
            sourceLocation: sourceLocation)
    }
}
