import Foundation

/// A distinctive identity that must never be found outside age-encrypted files, and the scanner that looks
/// for it byte by byte.
enum Canary {
    static let givenName = "Zebulon"
    static let familyName = "Quartermaine"
    static let phone = "+00 611 222 333"

    /// The values looked for: as typed, in lower case (as a search key would hold them), and the phone's
    /// digits alone.
    static let values = [givenName, familyName, phone, "zebulon", "quartermaine", "611 222 333", "611222333"]

    /// The byte patterns a careless writer might leave for `text`: UTF-8, UTF-16 in both byte orders,
    /// base64 at each of the three alignments (without the edge characters that depend on neighbouring
    /// bytes), and hexadecimal of the UTF-8 and UTF-16BE bytes (as PDF strings may hold them).
    static func patterns(of text: String) -> [Data] {
        let utf8 = Data(text.utf8)
        let utf16 = text.data(using: .utf16BigEndian)!
        var list = [utf8, text.data(using: .utf16LittleEndian)!, utf16]
        for shift in 0..<3 {
            let padded = Data(repeating: 0x20, count: shift) + utf8
            let encoded = Array(padded.base64EncodedString().utf8)
            let skip = shift == 0 ? 0 : 4
            let keep = (padded.count / 3) * 4
            if keep - skip >= 8 { list.append(Data(encoded[skip..<keep])) }
        }
        for bytes in [utf8, utf16] {
            for format in ["%02x", "%02X"] {
                list.append(Data(bytes.map { String(format: format, $0) }.joined().utf8))
            }
        }
        return list
    }

    /// Every regular file under each of `roots`, with its bytes.
    static func files(under roots: [URL]) -> [(URL, Data)] {
        var files: [(URL, Data)] = []
        for root in roots {
            guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
                continue
            }
            while let url = enumerator.nextObject() as? URL {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
                    !isDirectory.boolValue, let data = try? Data(contentsOf: url)
                else { continue }
                files.append((url, data))
            }
        }
        return files
    }

    /// Whether a file is age-encrypted: its name says so and its bytes start with the age header (or the
    /// ASCII armor), so a plaintext file named `.age` does not pass.
    static func isAgeFile(_ url: URL, _ data: Data) -> Bool {
        let name = url.lastPathComponent
        guard name.hasSuffix(".age") || name.hasPrefix(".identity.age.tmp") else { return false }
        return data.starts(with: Data("age-encryption.org/v1\n".utf8))
            || data.starts(with: Data("-----BEGIN AGE ENCRYPTED FILE-----".utf8)) || data.isEmpty
    }

    /// The files under `roots` that hold a canary value in any of its patterns, as "path: value".
    /// Age-encrypted files are left out unless `includingAgeFiles`.
    static func leaks(under roots: [URL], includingAgeFiles: Bool = false) -> [String] {
        var found: [String] = []
        for (url, data) in files(under: roots) where includingAgeFiles || !isAgeFile(url, data) {
            for value in values where patterns(of: value).contains(where: { data.range(of: $0) != nil }) {
                found.append("\(url.path): \(value)")
            }
        }
        return found
    }

    /// Whether `text` (a decrypted file, a command's output) holds a canary value.
    static func appears(in data: Data) -> Bool {
        values.contains { value in patterns(of: value).contains { data.range(of: $0) != nil } }
    }
}
