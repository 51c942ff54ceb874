import Foundation
import Testing

@testable import SeparaKit

/// Command-line tools some tests use as independent readers of what Separa prints: `zbarimg` (QR decoder),
/// `qpdf` (PDF structure checker), `pdftotext` and `pdftoppm` (poppler). Tests that need one are skipped,
/// with a visible comment, when it is not installed.
enum ExternalTool: String {
    case zbarimg, qpdf, pdftotext, pdftoppm, pdfinfo

    /// The tool's path, or nil when it is not on PATH.
    var path: String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for folder in folders {
            let candidate = "\(folder)/\(rawValue)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    var isInstalled: Bool { path != nil }

    /// Runs the tool and returns its exit status and standard output (standard error is discarded).
    @discardableResult
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/\(rawValue)")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Every QR payload zbarimg finds in an image, in the order it reports them.
    static func decodeQR(_ image: URL) throws -> [String] {
        let result = try ExternalTool.zbarimg.run(["--raw", "-q", "-Sdisable", "-Sqrcode.enable", image.path])
        return result.output.split(separator: "\n").map(String.init)
    }

    /// Renders every page of a PDF to PNG files at `dpi` and returns them in page order.
    static func rasterize(_ pdf: URL, dpi: Int, into folder: URL) throws -> [URL] {
        let prefix = folder.appendingPathComponent("page")
        try ExternalTool.pdftoppm.run(["-r", "\(dpi)", "-png", pdf.path, prefix.path])
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("page") && $0.pathExtension == "png" }
            .sorted {
                $0.lastPathComponent.count != $1.lastPathComponent.count
                    ? $0.lastPathComponent.count < $1.lastPathComponent.count
                    : $0.lastPathComponent < $1.lastPathComponent
            }
    }

    /// The text of a PDF as pdftotext extracts it (UTF-8), or of one page.
    static func text(of pdf: URL, page: Int? = nil) throws -> String {
        var arguments = ["-enc", "UTF-8"]
        if let page { arguments += ["-f", "\(page)", "-l", "\(page)"] }
        return try ExternalTool.pdftotext.run(arguments + [pdf.path, "-"]).output
    }

    /// The text pdftotext finds inside `rect` (points) of one page.
    static func text(of pdf: URL, page: Int, in rect: PageRect) throws -> String {
        let arguments = [
            "-enc", "UTF-8", "-r", "72", "-f", "\(page)", "-l", "\(page)",
            "-x", "\(Int(rect.x.rounded(.down)))", "-y", "\(Int(rect.y.rounded(.down)))",
            "-W", "\(Int(rect.width.rounded(.up)))", "-H", "\(Int(rect.height.rounded(.up)))",
        ]
        return try ExternalTool.pdftotext.run(arguments + [pdf.path, "-"]).output
    }

    /// The size in points of each page, as pdfinfo reports it.
    static func pageSizes(of pdf: URL) throws -> [PageSize] {
        let output = try ExternalTool.pdfinfo.run(["-f", "1", "-l", "100000", pdf.path]).output
        return output.split(separator: "\n").compactMap { line -> PageSize? in
            guard line.hasPrefix("Page"), line.contains("size:") else { return nil }
            let numbers = line.split(whereSeparator: { $0 == " " }).compactMap { Double($0) }
            return numbers.count >= 3 ? PageSize(width: numbers[1], height: numbers[2]) : nil
        }
    }

    /// `text` without white space, hyphens and Unicode bidi controls (which poppler inserts around
    /// right-to-left runs), for comparing what a reader gets back with what was printed.
    static func squeezed(_ text: String) -> String {
        let bidiControls: Set<Unicode.Scalar> = [
            "\u{200E}", "\u{200F}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
            "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
        ]
        return String(
            String.UnicodeScalarView(
                text.unicodeScalars.filter {
                    !$0.properties.isWhitespace && !bidiControls.contains($0) && $0 != "-"
                }))
    }

    /// The number of pages qpdf counts.
    static func pageCount(of pdf: URL) throws -> Int {
        Int(
            try ExternalTool.qpdf.run(["--show-npages", pdf.path]).output.trimmingCharacters(
                in: .whitespacesAndNewlines)) ?? -1
    }

    static let zbarMissing: Comment = "SKIPPED: zbarimg not installed (apt-get install zbar-tools)"
    static let popplerMissing: Comment = "SKIPPED: pdftotext/pdftoppm not installed (apt-get install poppler-utils)"
    static let qpdfMissing: Comment = "SKIPPED: qpdf not installed (apt-get install qpdf)"
}

/// The chunks of a PNG file, read just far enough to check its header and pHYs (independent of libpng).
struct PNGChunks {
    var width = 0
    var height = 0
    var bitDepth = 0
    var colourType = -1
    /// Pixels per unit (x, y) and the unit (1 = metre), from pHYs.
    var physical: (x: Int, y: Int, unit: Int)?

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        struct NotPNG: Error {}
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw NotPNG() }
        func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = be32(offset)
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            let body = offset + 8
            switch type {
            case "IHDR":
                width = be32(body)
                height = be32(body + 4)
                bitDepth = Int(bytes[body + 8])
                colourType = Int(bytes[body + 9])
            case "pHYs":
                physical = (be32(body), be32(body + 4), Int(bytes[body + 8]))
            default: break
            }
            offset = body + length + 4
        }
    }

    /// The resolution pHYs states, in dots per inch (rounded), when its unit is the metre.
    var dotsPerInch: Int? {
        guard let physical, physical.unit == 1, physical.x == physical.y else { return nil }
        return Int((Double(physical.x) * 0.0254).rounded())
    }
}
