import Foundation
import Testing

/// Paths the tests need: the repository, its fixtures, and the read-only third-party conformance
/// material in `../shared/testdata` (present in CI, absent in a user's fresh clone).
enum TestPaths {
    /// The repository root (three levels above this file).
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `Tests/SeparaKitTests/<area>/Fixtures` style folders are addressed from here.
    static let tests: URL = repository.appendingPathComponent("Tests/SeparaKitTests")

    /// `../shared/testdata`, or nil when it is not there.
    static let sharedTestData: URL? = {
        let url = repository.deletingLastPathComponent().appendingPathComponent("shared/testdata")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    /// Whether `../shared/testdata` is there; tests that need it are skipped with this comment otherwise.
    static var hasSharedTestData: Bool { sharedTestData != nil }
    static let sharedTestDataMissing: Comment =
        "SKIPPED: ../shared/testdata is not present (third-party conformance data; see README)"

    /// A fresh temporary folder, removed by the caller (or left for the OS).
    static func temporaryDirectory(_ label: String = "separa-test") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
