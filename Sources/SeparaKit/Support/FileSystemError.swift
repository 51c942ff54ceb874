import Foundation

/// Why a file or folder could not be created, written, synced, renamed or removed.
public enum FileSystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `reason` is the operation and the system's words for the failure (never a file's content).
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
