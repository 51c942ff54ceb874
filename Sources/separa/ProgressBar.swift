import Foundation

/// A progress bar on standard error, drawn only when standard error is a terminal and the run is long.
///
/// Shows counts only, never a code.
final class ProgressBar {
    private let label: String
    private let enabled: Bool
    private let minimum: Int
    private var lastDrawn = -1

    /// - Parameter minimum: runs with fewer items than this draw nothing.
    init(_ label: String, minimum: Int = 200) {
        self.label = label
        self.enabled = Terminal.isTerminal(2)
        self.minimum = minimum
    }

    /// Draws `done` of `total`.
    func update(_ done: Int, _ total: Int) {
        guard enabled, total >= minimum, total > 0 else { return }
        let percent = done * 100 / total
        if percent == lastDrawn && done < total { return }
        lastDrawn = percent
        let width = 30
        let filled = done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "\r\(label) [\(bar)] \(done)/\(total)" + (done >= total ? "\n" : "")
        FileHandle.standardError.write(Data(line.utf8))
    }
}
