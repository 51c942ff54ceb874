import Foundation
import Testing

/// `separa print` run as a coordinator runs it: the built binary in a fresh workspace.
@Suite("separa print")
struct PrintFormsCommandTests {
    typealias Tests = PrintCommandTests

    /// A tool on PATH, or nil.
    static func tool(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static var readersInstalled: Bool { tool("zbarimg") != nil && tool("pdftoppm") != nil }
    static let readersMissing: Comment = "SKIPPED: needs zbarimg (zbar-tools) and pdftoppm (poppler-utils)"

    /// Runs a tool and returns its standard output.
    static func run(_ name: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool(name) ?? "/usr/bin/\(name)")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func outputPath(_ run: Tests.Run) throws -> String {
        let line = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("Output: ") })
        return String(line.dropFirst("Output: ".count))
    }

    @Test(
        "separa print intake --count prints forms with cards, registers the codes as printed, shows no code",
        .enabled(if: Tests.binaryBuilt, Tests.binaryMissing))
    func intake() throws {
        let root = try Tests.workspace()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let run = try Tests.separa(["print", "intake", "--count", "3", "--languages", "en,ar", "--card"], in: root)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("Printed 3 forms of intake v1 in en+ar"))
        #expect(run.output.contains("3 codes marked as printed."))
        let path = try Self.outputPath(run)
        #expect(path.hasPrefix("output/intake-") && path.hasSuffix(".pdf"))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path))
        let listed = try Tests.separa(["codes", "list", "--status", "printed"], in: root)
        let codes = listed.output.split(separator: "\n").dropFirst().map { $0.split(separator: "\t")[0] }
        #expect(codes.count == 3)
        for code in codes { #expect(!run.output.contains(code) && !run.error.contains(code)) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("output").path)
        #expect(!leftovers.contains { $0.contains(".tmp-") || $0.contains("pending") })
    }

    @Test(
        "Bad flag combinations are usage errors (exit 64)", .enabled(if: Tests.binaryBuilt, Tests.binaryMissing),
        arguments: [
            ["print", "intake"], ["print", "intake", "--count", "2", "--batch", "B"],
            ["print", "intake", "--count", "0"],
            ["print", "intake", "--count", "1", "--languages", "en,fr,es"],
            ["print", "intake", "--count", "1", "--languages", "xx"], ["print", "visit", "--blank", "2", "--card"],
            ["print", "intake", "--count", "1", "--layout", "booklet"],
            ["print", "intake", "--count", "1", "--paper", "a5"],
            ["print", "visit", "--blank", "0"],
        ])
    func usage(arguments: [String]) throws {
        let root = try Tests.workspace()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        #expect(try Tests.separa(arguments, in: root).status == 64)
    }

    @Test(
        "Visit: new codes are refused with what to do instead; blank sheets print and register nothing",
        .enabled(if: Tests.binaryBuilt, Tests.binaryMissing))
    func visit() throws {
        let root = try Tests.workspace()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let refused = try Tests.separa(["print", "visit", "--count", "2"], in: root)
        #expect(refused.status == 1)
        #expect(refused.error.contains("--blank N"))
        let blank = try Tests.separa(["print", "visit", "--blank", "4", "--duplex"], in: root)
        #expect(blank.status == 0)
        #expect(blank.output.contains("Printed 4 blank sheets of visit v1"))
        #expect(!blank.output.contains("marked as printed"))
        #expect(try Self.outputPath(blank).hasPrefix("output/visit-blank-"))
        let listed = try Tests.separa(["codes", "list"], in: root)
        #expect(listed.output.split(separator: "\n").count == 1)
    }

    @Test(
        "What a USB scanner types from a sheet's QR into the code column is what separa ingest accepts",
        .enabled(if: Tests.binaryBuilt && readersInstalled, readersMissing))
    func scannedCodeIngests() throws {
        let root = try Tests.workspace()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let issued = try Tests.separa(["codes", "issue", "1"], in: root)
        let batch = try #require(issued.output.split(separator: "\n").last.map(String.init))
        let printed = try Tests.separa(["print", "visit", "--batch", batch], in: root)
        #expect(printed.status == 0, "\(printed.error)")
        let pdf = root.appendingPathComponent(try Self.outputPath(printed))
        let image = root.appendingPathComponent("page")
        _ = try Self.run("pdftoppm", ["-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1", pdf.path, image.path])
        let scanned = try Self.run("zbarimg", ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", image.path + ".png"])
            .trimmingCharacters(in: .newlines)
        #expect(scanned.count == 14)

        let sheet = try Tests.separa(["transcription", "visit"], in: root)
        #expect(sheet.status == 0)
        let csv = root.appendingPathComponent("output/visit-transcription.csv")
        var text = try String(contentsOf: csv, encoding: .utf8)
        let columns = text.split(separator: "\n").first!.split(separator: ",").count
        // The scanner types the QR's text into the code column, the clerk the rest.
        text +=
            ([scanned, "27/11/2026", "1"] + Array(repeating: "0", count: columns - 3)).joined(separator: ",") + "\r\n"
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let ingest = try Tests.separa(["ingest", "visit", csv.path], in: root)
        #expect(ingest.status == 0, "\(ingest.output)\(ingest.error)")
        #expect(ingest.output.contains("stored 1"))
    }

    @Test("The help of separa print", .enabled(if: Tests.binaryBuilt, Tests.binaryMissing))
    func help() throws {
        let result = try CLI.run(["print", "--help"], in: CLI.temporaryDirectory())
        #expect(result.status == 0)
        try CLI.assertGolden(result.stdout, "help-print.txt")
    }
}
