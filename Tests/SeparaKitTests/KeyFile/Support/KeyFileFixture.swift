import Foundation
import GRDB

@testable import SeparaKit

/// A workspace with registered codes and a key file written at a tiny scrypt work factor (tests only).
struct KeyFileFixture {
    let workspace: Workspace
    let store: Store
    let keyFile: KeyFile
    /// Registered, printed codes.
    let codes: [CaseCode]
    /// A registered code marked revoked.
    let revoked: CaseCode
    /// A folder outside the workspace for the clerk's CSV files.
    let desk: URL

    static let passphrase = try! AgePassphrase("correct horse battery staple")
    static let otherPassphrase = try! AgePassphrase("another long passphrase")

    /// The canary identity: it must never appear outside *.age files.
    static let canaryGiven = "Zebulon"
    static let canaryFamily = "Quartermaine"
    static let canaryPhone = "+00 611 222 333"

    /// - Parameter controller: set the data controller in separa.json (code cards need it).
    init(codes count: Int = 12, create: Bool = true, controller: Bool = false) throws {
        let root = TestPaths.temporaryDirectory("separa-keyfile")
        var config = WorkspaceConfig.defaults(siteName: "Key Test")
        if controller { config.controller = .init(name: "Example Society", contact: "+00 000 000 000") }
        workspace = try Workspace.create(at: root, config: config)
        store = try workspace.openStore()
        var rng = SeededGenerator(seed: 99)
        var drawn: [CaseCode] = []
        _ = try CodeRegistry(workspace: workspace, store: store).issue(
            count: count + 1, prefix: "TEST", sink: { code, _, _ in drawn.append(code) }, generator: &rng)
        let revokedCode = drawn.removeLast()
        revoked = revokedCode
        try store.database.write { db in
            try db.execute(sql: "UPDATE code SET status = 'revoked' WHERE code = ?", arguments: [revokedCode.canonical])
        }
        codes = drawn
        keyFile = KeyFile(workspace: workspace, workFactor: 1, lockWait: 2)
        desk = TestPaths.temporaryDirectory("separa-keyfile-desk")
        if create { try keyFile.create(passphrase: Self.passphrase) }
    }

    /// Writes a CSV on the clerk's desk (outside the workspace).
    func slips(_ text: String, name: String = "slips.csv") throws -> URL {
        let url = desk.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// A slips file with the canary on the first code and plain people on the next `others` codes.
    func canarySlips(others: Int = 2) throws -> URL {
        var lines = ["code,given_name,family_name,phone,consent"]
        lines.append("\(codes[0].display),\(Self.canaryGiven),\(Self.canaryFamily),\(Self.canaryPhone),yes")
        for index in 0..<others {
            lines.append("\(codes[index + 1].display),Person\(index),Family\(index),,yes")
        }
        return try slips(lines.joined(separator: "\n") + "\n")
    }

    func open(_ passphrase: AgePassphrase = Self.passphrase) throws -> KeyFileContent {
        try KeyFile.open(keyFile.url, passphrase: passphrase)
    }

    /// The actions in the audit log, oldest first.
    func auditActions() throws -> [AuditAction] { try AuditLog.entries(in: store).map(\.action) }

    /// Every regular file under `folder` except age files, with its path.
    static func plaintextFiles(under folder: URL) -> [URL] {
        guard
            let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            if url.pathExtension == "age" || url.lastPathComponent.hasPrefix(".identity.age.tmp") { continue }
            files.append(url)
        }
        return files
    }

    /// The byte patterns of `text` a careless writer might leave: UTF-8, UTF-16 (both orders), base64.
    static func patterns(of text: String) -> [Data] {
        let utf8 = Data(text.utf8)
        var list = [utf8, text.data(using: .utf16LittleEndian)!, text.data(using: .utf16BigEndian)!]
        // base64 of the text at each of the three alignments, without the edge characters that depend on
        // neighbouring bytes.
        for shift in 0..<3 {
            let padded = Data(repeating: 0x20, count: shift) + utf8
            let encoded = Array(padded.base64EncodedString().utf8)
            let skip = shift == 0 ? 0 : 4
            let keep = (padded.count / 3) * 4
            if keep - skip >= 8 { list.append(Data(encoded[skip..<keep])) }
        }
        return list
    }

    /// The files under `folder` (age files excepted) that contain a canary value in any encoding.
    static func leaks(under folder: URL) throws -> [String] {
        let values = [canaryGiven, canaryFamily, canaryPhone, "611 222 333"]
        var found: [String] = []
        for url in plaintextFiles(under: folder) {
            let data = try Data(contentsOf: url)
            for value in values where patterns(of: value).contains(where: { data.range(of: $0) != nil }) {
                found.append("\(url.lastPathComponent) holds '\(value)'")
            }
        }
        return found
    }
}
