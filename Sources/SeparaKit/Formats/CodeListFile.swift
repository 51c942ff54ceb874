import Foundation

/// A plain list of codes, one per line, as `separa codes check --file` reads it.
public enum CodeListFile {
    /// Why the list cannot be read.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case unreadable(path: String)
        case notText(path: String)

        public var description: String {
            switch self {
            case .unreadable(let path): return "\(path): cannot read the file (does it exist? check its permissions)"
            case .notText(let path): return "\(path): not a text file of codes (expected UTF-8, one code per line)"
            }
        }
    }

    /// The non-blank lines of `path` that do not start with `#`, trimmed.
    public static func read(path: String) throws(Failure) -> [String] {
        try readNumbered(path: path).map(\.text)
    }

    /// As ``read(path:)``, each line with its 1-based line number in the file (for messages).
    public static func readNumbered(path: String) throws(Failure) -> [(line: Int, text: String)] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
            throw .notText(path: path)
        }
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (line: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespacesAndNewlines)) }
            .filter { !$0.text.isEmpty && !$0.text.hasPrefix("#") }
    }
}
