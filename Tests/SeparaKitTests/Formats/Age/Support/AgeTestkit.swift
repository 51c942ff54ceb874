import Crypto
import Foundation
import SeparaKit

/// The age testkit (C2SP CCTV) in `../shared/testdata/age-testkit`: one vector a file, a `key: value`
/// header, an empty line, then the age file (zlib-compressed when the header says so).
struct AgeTestVector: Sendable, CustomStringConvertible {
    let name: String
    let expect: String
    let payload: String?
    let identities: [String]
    let passphrases: [String]
    let armored: Bool
    let file: Data

    var description: String { name }

    static let folder: URL? = TestPaths.sharedTestData?.appendingPathComponent("age-testkit")

    /// All vector names, sorted; empty when the shared test data is absent.
    static let allNames: [String] = {
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            return []
        }
        return names.filter { $0 != "LICENSE" && $0 != "README.md" && !$0.hasPrefix(".") }.sorted()
    }()

    /// Vectors that need post-quantum hybrid (ML-KEM-768 + X25519) identities, which Separa does not
    /// implement: by name (`hybrid_*`, `armor_hybrid`) or by an `AGE-SECRET-KEY-PQ-1` identity.
    static let postQuantumNames: [String] = allNames.filter { name in
        if name.hasPrefix("hybrid_") || name == "armor_hybrid" { return true }
        guard let vector = try? AgeTestVector(name: name) else { return false }
        return vector.identities.contains { $0.uppercased().hasPrefix("AGE-SECRET-KEY-PQ-1") }
    }

    /// The vectors run here.
    static let supportedNames: [String] = allNames.filter { !postQuantumNames.contains($0) }

    init(name: String) throws {
        self.name = name
        let raw = try Data(contentsOf: Self.folder!.appendingPathComponent(name))
        let separator = raw.firstRange(of: Data("\n\n".utf8))!
        let headerText = String(decoding: raw[..<separator.lowerBound], as: UTF8.self)
        var fields: [(String, String)] = []
        for line in headerText.split(separator: "\n") {
            guard let colon = line.firstRange(of: ": ") else { continue }
            fields.append((String(line[..<colon.lowerBound]), String(line[colon.upperBound...])))
        }
        func values(_ key: String) -> [String] { fields.filter { $0.0 == key }.map(\.1) }
        expect = values("expect").first ?? "?"
        payload = values("payload").first
        identities = values("identity")
        passphrases = values("passphrase")
        armored = values("armored").first == "yes"
        let body = Data(raw[separator.upperBound...])
        file = values("compressed").first == "zlib" ? try Zlib.inflate(body) : body
    }

    /// The identities and passphrases of the vector, as Separa takes them.
    func ageIdentities() throws -> [AgeIdentity] {
        try identities.map { .x25519(try AgeX25519Identity($0)) }
            + passphrases.map { .passphrase(try AgePassphrase($0)) }
    }

    /// The failure class the vector expects, nil for success.
    var expectedClass: AgeError.FailureClass? {
        switch expect {
        case "success": return nil
        case "header failure": return .header
        case "HMAC failure": return .headerMAC
        case "no match": return .noMatch
        case "payload failure": return .payload
        case "armor failure": return .armor
        default: return .usage  // unknown: makes the test fail visibly
        }
    }
}

/// The outcome of decrypting: every plaintext byte released, and the error if any.
struct AgeOutcome {
    var released = Data()
    var error: Error?

    var sha256: String { SHA256.hash(data: released).map { String(format: "%02x", $0) }.joined() }
    var failureClass: AgeError.FailureClass? { (error as? AgeError)?.failureClass }

    static func decrypt(_ file: Data, identities: [AgeIdentity], armor: AgeEncryption.ArmorMode) -> AgeOutcome {
        var outcome = AgeOutcome()
        do {
            try AgeEncryption.decrypt(from: AgeDataInput(file), identities: identities, armor: armor) {
                outcome.released.append($0)
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }
}
