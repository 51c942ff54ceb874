import Foundation
import SeparaKit

#if canImport(Glibc)
    import Glibc
#endif

/// Small helpers for what the CLI shows.
enum Terminal {
    /// A path relative to the current directory when it lies below it.
    static func relative(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }

    /// Whether a stream is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}

/// Buffered standard output for long listings.
struct StandardOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { if errno == EINTR { continue } else { break } }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The text of `separa codes info`.
enum CodeInfoText {
    static func render(_ info: CodeSpaceInfo) -> String {
        func odds(_ p: Double) -> String { p == 0 ? "0" : String(format: "%.1e", p) }
        let million = 1_000_000
        var lines = [
            "Alphabet:        \(CodeAlphabet.symbols) (\(CodeAlphabet.count) symbols; no B I L O S U Z)",
            "Length:          \(info.randomLength) random + 1 check = \(info.randomLength + 1) symbols, printed \(CodeFormat.pattern(randomLength: info.randomLength))",
            "Code space:      29^\(info.randomLength) = \(String(format: "%.3g", info.codeSpace)) codes (\(String(format: "%.1f", info.bits)) bits)",
            "Check symbol:    weighted sum mod 29; catches every single substitution, transposition and twin error",
            "Registered here: \(info.registered.formatted()) codes in \(info.batches.formatted()) batches"
                + (info.registered > 0
                    ? " ("
                        + CodeStatus.allCases.map { "\(info.byStatus[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                        + ")"
                    : ""),
            "Collision odds:  \(odds(info.collisionProbability(codes: million))) that a million codes drawn at uncoordinated sites share one",
        ]
        if info.registered > 1 {
            lines.append(
                "                 \(odds(info.collisionProbability(codes: info.registered))) for the \(info.registered.formatted()) codes registered here (the registry refuses duplicates anyway)"
            )
        }
        lines.append(
            "Guessing odds:   \(odds(info.guessProbability(issued: max(info.registered, 1)))) that one guessed code is a registered one here"
                + (info.registered == 0 ? " (with one code registered)" : ""))
        lines.append(
            "                 \(odds(info.guessProbability(issued: million))) with a million codes issued")
        return lines.joined(separator: "\n")
    }
}
