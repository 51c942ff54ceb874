import Crypto
import Foundation
import Testing

@testable import SeparaKit

/// Round trips, the STREAM layout, the errors a person sees, and streaming through files.
@Suite("age: encrypt and decrypt")
struct AgeTests {
    static let identity = AgeX25519Identity.generate()

    static func random(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The header (through the MAC line's LF) of a binary age file.
    static func headerLength(_ file: Data) throws -> Int {
        let mac = try #require(file.firstRange(of: Data("\n--- ".utf8)))
        let end = try #require(file[mac.upperBound...].firstIndex(of: 0x0A))
        return end + 1
    }

    @Test(
        "X25519 round trip, with every chunk full except a non-empty last one",
        arguments: [0, 1, 100, 65535, 65536, 65537, 131_072, 200_000], [false, true])
    func x25519RoundTrip(size: Int, armored: Bool) throws {
        let plaintext = Self.random(size)
        let file = try AgeEncryption.encrypt(plaintext, to: [.x25519(Self.identity.recipient)], armored: armored)
        let opened = try AgeEncryption.decrypt(file, identities: [.x25519(Self.identity)])
        #expect(opened == plaintext)
        if armored {
            let text = String(decoding: file, as: UTF8.self)
            #expect(text.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----\n"))
            #expect(text.hasSuffix("\n-----END AGE ENCRYPTED FILE-----\n"))
            #expect(text.split(separator: "\n").allSatisfy { $0.count <= 64 })
            #expect(try AgeEncryption.decrypt(file, identities: [.x25519(Self.identity)], armor: .armored) == plaintext)
        } else {
            // The payload: 16-byte nonce, then ceil(size / 64 KiB) chunks (one when empty), 16-byte tags.
            let chunks = max(1, (size + AgeEncryption.chunkSize - 1) / AgeEncryption.chunkSize)
            #expect(file.count == (try Self.headerLength(file)) + 16 + size + 16 * chunks)
            #expect(file.starts(with: Data("age-encryption.org/v1\n-> X25519 ".utf8)))
        }
    }

    @Test("passphrase round trip writes one scrypt stanza with the asked work factor", arguments: [false, true])
    func passphraseRoundTrip(armored: Bool) throws {
        let plaintext = Data("Amina, case 7K3M-2QX9-PH4D".utf8)
        let passphrase = try AgePassphrase("correct horse battery staple")
        let file = try AgeEncryption.encrypt(plaintext, to: [.passphrase(passphrase, workFactor: 10)], armored: armored)
        #expect(try AgeEncryption.decrypt(file, identities: [.passphrase(passphrase)]) == plaintext)
        let binary =
            armored
            ? try AgeEncryption.decrypt(file, identities: [.passphrase(passphrase)], armor: .armored) : plaintext
        #expect(binary == plaintext)
        if !armored {
            let header = String(decoding: file.prefix(try Self.headerLength(file)), as: UTF8.self)
            let lines = header.split(separator: "\n")
            #expect(lines.count == 4)
            #expect(lines[1].hasPrefix("-> scrypt ") && lines[1].hasSuffix(" 10"))
            #expect(lines[1].split(separator: " ")[2].count == 22)  // 16-byte salt, unpadded base64
            #expect(lines[2].count == 43)  // 32-byte body
        }
    }

    @Test("the default passphrase work factor is 2^18")
    func defaultWorkFactor() throws {
        let passphrase = try AgePassphrase("a long passphrase for the coordinator")
        let file = try AgeEncryption.encrypt(Data("x".utf8), to: [.passphrase(passphrase)])
        let header = String(decoding: file.prefix(try Self.headerLength(file)), as: UTF8.self)
        #expect(header.split(separator: "\n")[1].hasSuffix(" 18"))
        #expect(AgeEncryption.defaultWorkFactor == 18)
        #expect(try AgeEncryption.decrypt(file, identities: [.passphrase(passphrase)]) == Data("x".utf8))
    }

    @Test("each of several recipients opens the file, and no one else")
    func severalRecipients() throws {
        let keys = (0..<3).map { _ in AgeX25519Identity.generate() }
        let file = try AgeEncryption.encrypt(Data("sealed inbox".utf8), to: keys.map { .x25519($0.recipient) })
        for key in keys {
            #expect(try AgeEncryption.decrypt(file, identities: [.x25519(key)]) == Data("sealed inbox".utf8))
        }
        #expect(throws: AgeError.noMatchingIdentity(fileNeedsPassphrase: false)) {
            try AgeEncryption.decrypt(file, identities: [.x25519(AgeX25519Identity.generate())])
        }
    }

    @Test("a wrong passphrase, a missing passphrase and a wrong key are told apart")
    func noMatchKinds() throws {
        let right = try AgePassphrase("right one")
        let locked = try AgeEncryption.encrypt(Data("x".utf8), to: [.passphrase(right, workFactor: 4)])
        #expect(throws: AgeError.wrongPassphrase) {
            try AgeEncryption.decrypt(locked, identities: [.passphrase(try AgePassphrase("wrong one"))])
        }
        #expect(throws: AgeError.noMatchingIdentity(fileNeedsPassphrase: true)) {
            try AgeEncryption.decrypt(locked, identities: [.x25519(Self.identity)])
        }
        #expect(AgeError.wrongPassphrase.failureClass == .noMatch)
        let sealed = try AgeEncryption.encrypt(Data("x".utf8), to: [.x25519(Self.identity.recipient)])
        #expect(throws: AgeError.noMatchingIdentity(fileNeedsPassphrase: false)) {
            try AgeEncryption.decrypt(sealed, identities: [.passphrase(right)])
        }
    }

    struct Asked: Error {}

    @Test("a passphrase on demand is asked only for a passphrase-encrypted file")
    func passphraseOnDemand() throws {
        let sealed = try AgeEncryption.encrypt(Data("x".utf8), to: [.x25519(Self.identity.recipient)])
        // Were it asked, the error would be `Asked`.
        #expect(throws: AgeError.noMatchingIdentity(fileNeedsPassphrase: false)) {
            try AgeEncryption.decrypt(sealed, identities: [.passphraseOnDemand({ throw Asked() })])
        }
        let right = try AgePassphrase("right one")
        let locked = try AgeEncryption.encrypt(Data("y".utf8), to: [.passphrase(right, workFactor: 4)])
        #expect(try AgeEncryption.decrypt(locked, identities: [.passphraseOnDemand({ right })]) == Data("y".utf8))
        #expect(throws: Asked.self) {
            try AgeEncryption.decrypt(locked, identities: [.passphraseOnDemand({ throw Asked() })])
        }
    }

    @Test("encryption refuses what age forbids")
    func encryptionRefusals() throws {
        let passphrase = try AgePassphrase("p")
        #expect(throws: AgeError.noRecipients) { try AgeEncryption.encrypt(Data(), to: []) }
        #expect(throws: AgeError.passphraseWithOtherRecipients) {
            try AgeEncryption.encrypt(
                Data(), to: [.passphrase(passphrase, workFactor: 4), .x25519(Self.identity.recipient)])
        }
        #expect(throws: AgeError.workFactorOutOfRange(23)) {
            try AgeEncryption.encrypt(Data(), to: [.passphrase(passphrase, workFactor: 23)])
        }
        #expect(throws: AgeError.emptyPassphrase) { try AgePassphrase("") }
        #expect(throws: AgeError.noIdentities) {
            try AgeEncryption.decrypt(
                try AgeEncryption.encrypt(Data(), to: [.x25519(Self.identity.recipient)]), identities: [])
        }
    }

    @Test("a header changed after encryption fails its MAC")
    func headerMAC() throws {
        let other = AgeX25519Identity.generate()
        let file = try AgeEncryption.encrypt(
            Data("x".utf8), to: [.x25519(Self.identity.recipient), .x25519(other.recipient)])
        // Drop the second stanza (two lines): the header still parses and the first key still unwraps.
        var lines = file.split(separator: 0x0A, maxSplits: 5, omittingEmptySubsequences: false)
        lines.removeSubrange(3...4)
        let altered = Data(lines.joined(separator: [0x0A]))
        #expect(throws: AgeError.headerMACMismatch) {
            try AgeEncryption.decrypt(altered, identities: [.x25519(Self.identity)])
        }
        #expect(AgeError.headerMACMismatch.failureClass == .headerMAC)
    }

    @Test("pieces of any size written to the encryptor make one file")
    func incrementalWrites() throws {
        let plaintext = Self.random(3 * AgeEncryption.chunkSize + 17)
        var file = Data()
        let encryptor = try AgeEncryptor(recipients: [.x25519(Self.identity.recipient)]) { file.append($0) }
        var offset = 0
        for size in [1, 7, AgeEncryption.chunkSize, 0, AgeEncryption.chunkSize - 8, 3, AgeEncryption.chunkSize + 1000]
        where offset < plaintext.count {
            let end = min(offset + size, plaintext.count)
            try encryptor.write(plaintext[offset..<end])
            offset = end
        }
        try encryptor.write(plaintext[offset...])
        try encryptor.finish()
        #expect(throws: AgeError.encryptorFinished) { try encryptor.write(Data("late".utf8)) }
        #expect(try AgeEncryption.decrypt(file, identities: [.x25519(Self.identity)]) == plaintext)
    }

    @Test("files stream through file handles without being held whole")
    func streamingThroughFiles() throws {
        let folder = TestPaths.temporaryDirectory("age-stream")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("plain")
        let sealed = folder.appendingPathComponent("plain.age")
        let plaintext = Self.random(5 * AgeEncryption.chunkSize + 12345)
        try plaintext.write(to: plain)
        #expect(FileManager.default.createFile(atPath: sealed.path, contents: nil))
        let output = try FileHandle(forWritingTo: sealed)
        try AgeEncryption.encrypt(
            from: try FileHandle(forReadingFrom: plain), to: [.x25519(Self.identity.recipient)], armored: true
        ) { try output.write(contentsOf: $0) }
        try output.close()

        var hash = SHA256()
        var largestPiece = 0
        try AgeEncryption.decrypt(from: try FileHandle(forReadingFrom: sealed), identities: [.x25519(Self.identity)]) {
            hash.update(data: $0)
            largestPiece = max(largestPiece, $0.count)
        }
        #expect(Data(hash.finalize()) == Data(SHA256.hash(data: plaintext)))
        #expect(largestPiece == AgeEncryption.chunkSize)
    }

    @Test("armor is detected after leading whitespace, and binary is never mistaken for armor")
    func armorDetection() throws {
        let file = try AgeEncryption.encrypt(Data("x".utf8), to: [.x25519(Self.identity.recipient)], armored: true)
        let padded = Data(" \r\n\t\n".utf8) + file + Data("\n  \n".utf8)
        #expect(try AgeEncryption.decrypt(padded, identities: [.x25519(Self.identity)]) == Data("x".utf8))
        #expect(throws: AgeError.notAgeFile) {
            try AgeEncryption.decrypt(file, identities: [.x25519(Self.identity)], armor: .binary)
        }
        let binary = try AgeEncryption.encrypt(Data("x".utf8), to: [.x25519(Self.identity.recipient)])
        #expect(throws: AgeError.armorFailure(line: 1, problem: "expected -----BEGIN AGE ENCRYPTED FILE----- exactly"))
        {
            try AgeEncryption.decrypt(binary, identities: [.x25519(Self.identity)], armor: .armored)
        }
    }

    @Test("the recipient types of a file are read without a key")
    func recipientTypes() throws {
        let file = try AgeEncryption.encrypt(
            Data(), to: [.passphrase(try AgePassphrase("p"), workFactor: 2)], armored: true)
        #expect(try AgeEncryption.recipientTypes(of: AgeDataInput(file)) == ["scrypt"])
    }

    @Test("error messages never carry the passphrase, the key or the plaintext")
    func messagesHideSecrets() throws {
        let secret = "Fatima Haddad 0612345678"
        let passphrase = try AgePassphrase(secret)
        let file = try AgeEncryption.encrypt(Data(secret.utf8), to: [.passphrase(passphrase, workFactor: 4)])
        var messages: [String] = ["\(passphrase)", String(reflecting: passphrase), "\(Self.identity)"]
        do { _ = try AgeEncryption.decrypt(file, identities: [.passphrase(try AgePassphrase(secret + "!"))]) } catch {
            messages.append("\(error)")
        }
        var tampered = file
        tampered[tampered.count - 3] ^= 1
        do { _ = try AgeEncryption.decrypt(tampered, identities: [.passphrase(passphrase)]) } catch {
            messages.append("\(error)")
        }
        #expect(messages.count == 5)
        for message in messages {
            #expect(!message.contains("Fatima"))
            #expect(!message.contains(Self.identity.secretKeyString))
        }
        #expect(messages[3].contains("wrong passphrase"))
        #expect(messages[4].contains("payload chunk 1"))
    }
}
