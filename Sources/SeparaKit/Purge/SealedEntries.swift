import Foundation

/// One sealed file of `keys/inbox/` or `keys/held/`, opened with the key file's secret key.
///
/// Holds identity in memory only; ``reseal(dropping:with:)`` writes the remaining entries back in place,
/// atomically, sealed to the same recipient.
struct SealedFile {
    let url: URL
    /// `keys/inbox/NAME.age` or `keys/held/NAME.age`, for messages.
    let displayPath: String
    var entries: [KeyEntry]
    /// Lines that are no entry (held by a merge as they were forged): kept as they are, never read.
    var unreadable: [Data] = []

    /// Opens every sealed file of the inbox and of the held folder, oldest first.
    static func readAll(_ keyFile: KeyFile, identity: AgeX25519Identity) throws -> [SealedFile] {
        var files: [SealedFile] = []
        for (folder, label) in [(keyFile.inboxURL, "keys/inbox"), (keyFile.heldURL, "keys/held")] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".age") && !name.hasPrefix(".") {
                files.append(try read(folder.appendingPathComponent(name), displayPath: "\(label)/\(name)", identity))
            }
        }
        return files
    }

    static func read(_ url: URL, displayPath: String, _ identity: AgeX25519Identity) throws -> SealedFile {
        guard let sealed = FileManager.default.contents(atPath: url.path) else {
            throw KeyFileError.io(path: displayPath, detail: "cannot read the file")
        }
        var plaintext: Data
        do {
            plaintext = try AgeEncryption.decrypt(sealed, identities: [.x25519(identity)])
        } catch {
            throw PurgeError.sealedFileUnreadable(path: displayPath)
        }
        defer { KeyFile.wipe(&plaintext) }
        let decoder = JSONDecoder()
        var entries: [KeyEntry] = []
        var unreadable: [Data] = []
        for line in plaintext.split(separator: 0x0A) {
            // `keys/held/` keeps whatever a merge refused, forged lines included: they stay as they are.
            if let entry = try? decoder.decode(KeyEntry.self, from: Data(line)) {
                entries.append(entry)
            } else {
                unreadable.append(Data(line))
            }
        }
        return SealedFile(url: url, displayPath: displayPath, entries: entries, unreadable: unreadable)
    }

    /// Removes the entries whose current code is in `codes`: the file is rewritten atomically (temp file,
    /// fsync, rename) sealed to `recipient`, or removed when nothing is left. Returns how many were dropped.
    @discardableResult
    func reseal(dropping codes: Set<String>, to recipient: AgeX25519Recipient) throws -> Int {
        let kept = entries.filter { !codes.contains($0.code) }
        let dropped = entries.count - kept.count
        guard dropped > 0 else { return 0 }
        if kept.isEmpty && unreadable.isEmpty {
            try FileManager.default.removeItem(at: url)
            FileSystem.syncDirectory(url.deletingLastPathComponent())
            return dropped
        }
        // The same layout `key add` writes, forged lines kept as they were.
        var lines = try KeyFile.lines(of: kept)
        defer { for index in lines.indices { KeyFile.wipe(&lines[index]) } }
        let sealed = try KeyFile.sealed(lines: lines + unreadable, to: recipient)
        try FileSystem.writeAtomically(sealed, to: url, mode: 0o600)
        return dropped
    }
}
