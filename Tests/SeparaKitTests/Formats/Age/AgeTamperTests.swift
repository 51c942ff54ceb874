import Foundation
import Testing

@testable import SeparaKit

/// Every single-bit change (and every byte inverted) anywhere in a small age file is detected, and no
/// plaintext is released from the altered file.
@Suite("age: tampering is detected")
struct AgeTamperTests {
    enum Kind: String, CaseIterable, CustomStringConvertible {
        case x25519Binary, x25519Armored, passphraseBinary, passphraseArmored
        var description: String { rawValue }
    }

    @Test("flipping any bit or inverting any byte makes decryption fail", arguments: Kind.allCases)
    func everyPosition(_ kind: Kind) throws {
        let identity = AgeX25519Identity.generate()
        let passphrase = try AgePassphrase("tamper test")
        let plaintext = Data("code 7K3M-2QX9-PH4D: Amina, born 2011".utf8)
        let recipient: AgeRecipient
        let identities: [AgeIdentity]
        switch kind {
        case .x25519Binary, .x25519Armored:
            recipient = .x25519(identity.recipient)
            identities = [.x25519(identity)]
        case .passphraseBinary, .passphraseArmored:
            recipient = .passphrase(passphrase, workFactor: 2)
            identities = [.passphrase(passphrase)]
        }
        let armored = kind == .x25519Armored || kind == .passphraseArmored
        let file = try AgeEncryption.encrypt(plaintext, to: [recipient], armored: armored)
        #expect(try AgeEncryption.decrypt(file, identities: identities) == plaintext)

        var undetected: [String] = []
        var released = 0
        for position in file.indices {
            for mask: UInt8 in [1, 2, 4, 8, 16, 32, 64, 128, 255] {
                var altered = file
                altered[position] ^= mask
                var out = Data()
                do {
                    try AgeEncryption.decrypt(from: AgeDataInput(altered), identities: identities) { out.append($0) }
                    undetected.append("byte \(position) ^ \(mask)")
                } catch {}
                released += out.count
            }
        }
        #expect(undetected.isEmpty, "undetected changes: \(undetected.prefix(10))")
        #expect(released == 0)
        #expect(file.count > 150)
    }

    @Test("truncating a file anywhere is detected", arguments: [false, true])
    func truncation(armored: Bool) throws {
        let identity = AgeX25519Identity.generate()
        let file = try AgeEncryption.encrypt(
            Data(repeating: 7, count: AgeEncryption.chunkSize + 10), to: [.x25519(identity.recipient)], armored: armored
        )
        for length in stride(from: 0, to: file.count, by: armored ? 97 : 61) {
            var out = Data()
            #expect(throws: AgeError.self) {
                try AgeEncryption.decrypt(from: AgeDataInput(file.prefix(length)), identities: [.x25519(identity)]) {
                    out.append($0)
                }
            }
            #expect(out.count <= AgeEncryption.chunkSize)
        }
    }
}
