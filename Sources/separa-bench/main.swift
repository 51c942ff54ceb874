// Micro-benchmarks for the scripts in bench/ (not tests, not shipped): each prints one line of figures.
import Foundation
import SeparaKit

let arguments = CommandLine.arguments.dropFirst()
guard let task = arguments.first else {
    FileHandle.standardError.write(Data("usage: separa-bench codes-generate N | report WORKSPACE FROM TO\n".utf8))
    exit(64)
}

/// CPU seconds (user + system) the process spends in `body`: steadier than wall time on a shared machine.
func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
    func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
    let start = now()
    try body()
    return now() - start
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
case "pdf-pages":
    // Where the time of a form page goes: N pages of a stamp alone, then with the code text, then with the
    // code text and the QR path (what `separa print` draws per page).
    let count = Int(arguments.dropFirst().first ?? "") ?? 20_000
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("separa-bench-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let generator = CodeGenerator()
    var random = SystemRandom()
    let codes = (0..<1_000).map { _ in generator.next(using: &random) }
    let matrices = try codes.map { try QRMatrix.encode($0.display) }
    for mode in ["stamp", "stamp+text", "stamp+text+qr"] {
        let url = folder.appendingPathComponent("\(mode).pdf")
        let canvas = try PDFCanvas(destination: url, pageSize: .a4, title: "bench")
        let stamp = canvas.makeStamp(size: .a4) { canvas in
            for line in 0..<40 {
                canvas.drawText(
                    "Fixed line \(line) of a form, drawn once into the stamp",
                    at: PagePoint(x: 40, y: 100 + Double(line) * 16),
                    style: TextStyle(size: 9))
                canvas.tickBox(at: PagePoint(x: 400, y: 100 + Double(line) * 16))
            }
        }
        let style = TextStyle(size: 18, weight: .bold, family: .monospace, direction: .leftToRight)
        let elapsed = try cpuSeconds {
            for index in 0..<count {
                canvas.beginPage()
                canvas.drawStamp(stamp, at: PagePoint(x: 0, y: 0))
                if mode != "stamp" {
                    canvas.drawText(codes[index % codes.count].display, at: PagePoint(x: 100, y: 40), style: style)
                }
                if mode == "stamp+text+qr" {
                    canvas.qrCode(matrices[index % codes.count], at: PagePoint(x: 34, y: 34), moduleSize: 2)
                }
                canvas.endPage()
            }
            try canvas.finish()
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        print(
            String(
                format: "pdf-pages mode=%@ pages=%d cpu_seconds=%.3f pages_per_cpu_second=%.0f bytes_per_page=%.0f",
                mode, count,
                elapsed, Double(count) / elapsed, Double(bytes) / Double(count)))
    }
default:
    FileHandle.standardError.write(Data("unknown task \(task)\n".utf8))
    exit(64)
}
