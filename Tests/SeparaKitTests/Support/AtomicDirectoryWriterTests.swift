import Foundation
import Testing

@testable import SeparaKit

@Suite("Atomic directory writer")
struct AtomicDirectoryWriterTests {
    @Test("The folder appears only on commit, whole, and replaces an older one")
    func commitReplaces() throws {
        let parent = TestPaths.temporaryDirectory("separa-dir")
        defer { try? FileManager.default.removeItem(at: parent) }
        let destination = parent.appendingPathComponent("labels-B")
        let first = try AtomicDirectoryWriter(destination)
        try first.write(Data("one".utf8), name: "a.png")
        try first.write(Data("two".utf8), name: "b.png")
        #expect(!FileManager.default.fileExists(atPath: destination.path))
        try first.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path).sorted() == ["a.png", "b.png"])
        let second = try AtomicDirectoryWriter(destination)
        try second.write(Data("three".utf8), name: "c.png")
        try second.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path) == ["c.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["labels-B"])
        let attributes = try FileManager.default.attributesOfItem(
            atPath: destination.appendingPathComponent("c.png").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("An abandoned writer leaves nothing behind and the old folder untouched")
    func abandon() throws {
        let parent = TestPaths.temporaryDirectory("separa-dir")
        defer { try? FileManager.default.removeItem(at: parent) }
        let destination = parent.appendingPathComponent("labels-B")
        do {
            let writer = try AtomicDirectoryWriter(destination)
            try writer.write(Data("x".utf8), name: "x.png")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
    }
}
