// Micro-benchmarks for the scripts in bench/ (not tests, not shipped): each prints one line of figures.
import Foundation
import SeparaKit

let arguments = CommandLine.arguments.dropFirst()
guard let task = arguments.first else {
    FileHandle.standardError.write(Data("usage: separa-bench codes-generate N | report WORKSPACE FROM TO\n".utf8))
    exit(64)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

switch task {
case "codes-generate":
    // Draws N codes from the system CSPRNG and renders their canonical text, as `codes issue` does.
    let count = Int(arguments.dropFirst().first ?? "") ?? 1_000_000
    let generator = CodeGenerator()
    var random = SystemRandom()
    var checksum = 0
    let elapsed = seconds {
        for _ in 0..<count {
            let code = generator.next(using: &random)
            checksum &+= code.display.utf8.count
        }
    }
    print(
        String(
            format: "codes-generate count=%d seconds=%.3f codes_per_second=%.0f (checksum %d)", count, elapsed,
            Double(count) / elapsed, checksum))
case "report":
    // Times `separa report`'s phases on a workspace: counting and protection, then the files and the audit.
    let rest = Array(arguments.dropFirst())
    guard rest.count == 3, let from = CalendarDay(iso: rest[1]), let to = CalendarDay(iso: rest[2]) else {
        FileHandle.standardError.write(Data("usage: separa-bench report WORKSPACE FROM TO\n".utf8))
        exit(64)
    }
    let workspace = try Workspace.open(URL(fileURLWithPath: rest[0]))
    let store = try workspace.openStore()
    let options = Report.Options(from: from, to: to)
    var result: ReportResult?
    let compute = try seconds { result = try Report.compute(workspace: workspace, store: store, options: options) }
    let whole = try seconds { _ = try Report.run(workspace: workspace, store: store, options: options) }
    print(
        String(
            format: "report records=%d compute_seconds=%.3f run_seconds=%.3f files_and_audit_seconds=%.3f",
            result!.recordsRead, compute, whole, whole - compute))
default:
    FileHandle.standardError.write(Data("unknown task \(task)\n".utf8))
    exit(64)
}
