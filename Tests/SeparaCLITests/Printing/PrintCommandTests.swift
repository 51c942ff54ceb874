import Foundation
import Testing

/// `separa card` and `separa labels` run as a user runs them: the built binary in a fresh workspace.
@Suite("separa card and separa labels")
struct PrintCommandTests {
    /// The `separa` binary built beside this test bundle.
    static let binary: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("separa")
    }()

    static var binaryBuilt: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }
    static let binaryMissing: Comment =
        "SKIPPED: the separa binary is not built beside the tests (run swift build first)"

    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `separa arguments…` in `folder`.
    static func separa(_ arguments: [String], in folder: URL) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
            error: String(decoding: error, as: UTF8.self))
    }

    /// A new workspace; with `controller`, separa.json names a data controller so cards may be printed.
    static func workspace(controller: Bool = true) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("separa-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let created = try separa(["init", "ws", "--site", "Test HSP"], in: folder)
        #expect(created.status == 0)
        let root = folder.appendingPathComponent("ws")
        if controller {
            let url = root.appendingPathComponent("separa.json")
            var json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
            json["controller"] = ["name": "Test Red Cross", "contact": "data@example.org"]
            try JSONSerialization.data(withJSONObject: json).write(to: url)
        }
        return root
    }

    @Test(
        "separa card --count prints cards, names the output, and shows no code",
        .enabled(if: binaryBuilt, binaryMissing))
    func cards() throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let run = try Self.separa(["card", "--count", "3", "--languages", "en,ar"], in: root)
        #expect(run.status == 0)
        let outputLine = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("Output: ") })
        let path = String(outputLine.dropFirst("Output: ".count))
        #expect(path.hasPrefix("output/cards-") && path.hasSuffix(".pdf"))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path))
        #expect(run.output.contains("Printed 3 cards on 1 page"))
        #expect(run.output.contains("3 codes marked as printed."))
        let listed = try Self.separa(["codes", "list", "--status", "printed"], in: root)
        let codes = listed.output.split(separator: "\n").dropFirst().map { $0.split(separator: "\t")[0] }
        #expect(codes.count == 3)
        for code in codes { #expect(!run.output.contains(code)) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("output").path)
        #expect(!leftovers.contains { $0.contains(".tmp-") })
    }

    @Test(
        "separa labels writes a sheet PDF, or one PNG per code with --png",
        .enabled(if: binaryBuilt, binaryMissing))
    func labels() throws {
        let root = try Self.workspace(controller: false)
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let sheet = try Self.separa(["labels", "--count", "22", "--sheet", "avery-5160"], in: root)
        #expect(sheet.status == 0)
        #expect(sheet.output.contains("Printed 22 labels on 1 sheet"))
        #expect(sheet.output.contains("-avery-5160.pdf"))
        let png = try Self.separa(["labels", "--count", "3", "--png", "--dpi", "300"], in: root)
        #expect(png.status == 0)
        let folderLine = try #require(png.output.split(separator: "\n").first { $0.hasPrefix("Output: ") })
        let folder = root.appendingPathComponent(String(folderLine.dropFirst("Output: ".count)))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 3)
        #expect(files.allSatisfy { $0.hasSuffix(".png") && $0.count == "XXXX-XXXX-XXXX.png".count })
    }

    @Test(
        "Bad flag combinations are usage errors (exit 64)", .enabled(if: binaryBuilt, binaryMissing),
        arguments: [
            ["card"], ["card", "--count", "2", "--batch", "B"], ["card", "--count", "0"],
            ["card", "--count", "1", "--languages", "en,fr,es"], ["card", "--count", "1", "--languages", "xx"],
            ["labels", "--count", "1", "--png", "--dpi", "250"], ["labels", "--count", "1", "--dpi", "203"],
            ["labels", "--count", "1", "--png", "--sheet", "avery-5160"],
            ["labels", "--batch", "B", "--first-label", "22"],
            ["labels", "--count", "1", "--sheet", "avery-9999"],
        ])
    func usage(arguments: [String]) throws {
        let root = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        #expect(try Self.separa(arguments, in: root).status == 64)
    }

    @Test(
        "Without a data controller, cards are refused (exit 1) and no code is issued",
        .enabled(if: binaryBuilt, binaryMissing))
    func controllerRequired() throws {
        let root = try Self.workspace(controller: false)
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let run = try Self.separa(["card", "--count", "2"], in: root)
        #expect(run.status == 1)
        #expect(run.error.contains("controller.name and controller.contact"))
        let listed = try Self.separa(["codes", "list"], in: root)
        #expect(listed.output.split(separator: "\n").count == 1)
    }
}
