import Foundation
import Testing

@testable import SeparaKit

/// Keys (Bech32 against BIP 173's published vectors and the age spec's example) and strict base64.
@Suite("age: keys, Bech32 and base64")
struct AgeKeysTests {
    @Test(
        "BIP 173 valid Bech32 strings are accepted",
        arguments: [
            "A12UEL5L", "a12uel5l",
            "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
            "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
            "11" + String(repeating: "q", count: 82) + "c8247j",
            "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl",
        ])
    func bech32Valid(_ text: String) {
        #expect(Bech32.decodeValues(text) != nil)
    }

    @Test(
        "BIP 173 invalid Bech32 strings are refused (the length limit aside, which age drops)",
        arguments: [
            "\u{20}1nwldj5", "\u{7F}1axkwrx", "\u{80}1eym55h", "pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v",
            "li1dgmt3", "de1lg7wt\u{FF}", "A1G7SGD8", "10a06t8", "1qzzfhee",
        ])
    func bech32Invalid(_ text: String) {
        #expect(Bech32.decodeValues(text) == nil)
    }

    @Test("the age spec's example identity gives its example recipient")
    func specExample() throws {
        let identity = try AgeX25519Identity(
            "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
        #expect(identity.recipient.description == "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj")
        #expect(
            identity.secretKeyString == "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
        let recipient = try AgeX25519Recipient("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj")
        #expect(recipient == identity.recipient)
    }

    @Test("generated identities survive their text form, which only their secret form shows")
    func generatedIdentity() throws {
        for _ in 0..<50 {
            let identity = AgeX25519Identity.generate()
            let text = identity.identityFileText()
            let parsed = try AgeKeyFile.identities(fromText: text)
            #expect(parsed.count == 1)
            #expect(parsed[0].secretKeyString == identity.secretKeyString)
            #expect(text.contains("# public key: \(identity.recipient)\n"))
            #expect(!"\(identity)".contains("AGE-SECRET-KEY"))
            #expect(try AgeX25519Recipient(identity.recipient.description) == identity.recipient)
        }
    }

    @Test("key files skip comments and blank lines, and name the bad line without repeating it")
    func keyFiles() throws {
        let a = AgeX25519Identity.generate()
        let b = AgeX25519Identity.generate()
        let recipients = try AgeKeyFile.recipients(fromText: "# clerks\n\n\(a.recipient)\n  \(b.recipient)  \r\n")
        #expect(recipients == [a.recipient, b.recipient])
        let bad = String(a.secretKeyString.dropLast()) + "Q"
        do {
            _ = try AgeKeyFile.identities(fromText: "# key\n\(a.secretKeyString)\n\(bad)\n")
            Issue.record("a bad checksum was accepted")
        } catch let error as AgeError {
            #expect(error == .invalidIdentity(line: 3, problem: "not valid Bech32 (a character is wrong or missing)"))
            #expect(!"\(error)".contains(bad))
        }
        #expect(throws: AgeError.unsupportedKeyType("post-quantum (AGE-SECRET-KEY-PQ-1…)")) {
            try AgeX25519Identity("AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR")
        }
        let locked = try AgeEncryption.encrypt(
            Data(a.identityFileText().utf8), to: [.passphrase(try AgePassphrase("p"), workFactor: 2)], armored: true)
        #expect(throws: AgeError.unsupportedKeyType("passphrase-protected identity file (decrypt it first)")) {
            try AgeKeyFile.identities(fromText: String(decoding: locked, as: UTF8.self))
        }
        #expect(throws: AgeError.invalidRecipient(problem: "does not start with age1")) {
            try AgeX25519Recipient(Bech32.encode(hrp: "agf", data: a.recipient.rawRepresentation))
        }
        #expect(throws: AgeError.self) { try AgeX25519Recipient(a.secretKeyString) }
        #expect(throws: AgeError.invalidRecipient(problem: "the recipients file holds no recipient")) {
            try AgeKeyFile.recipients(fromText: "# nothing\n")
        }
    }

    @Test("unpadded base64: every 0-3 byte value round-trips, and every other 2-4 character string is refused")
    func base64Exhaustive() {
        let symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        // Every 1- and 2-byte value, and a sweep of 3-byte values.
        for a in 0...255 {
            #expect(AgeBase64.decodeUnpadded(AgeBase64.encodeUnpadded([UInt8(a)])) == [UInt8(a)])
            for b in 0...255 {
                let bytes = [UInt8(a), UInt8(b)]
                #expect(AgeBase64.decodeUnpadded(AgeBase64.encodeUnpadded(bytes)) == bytes)
            }
        }
        // Every 2- and 3-character string: accepted exactly when it is the canonical encoding of its decoding.
        var accepted = 0
        for x in symbols {
            for y in symbols {
                if let decoded = AgeBase64.decodeUnpadded([x, y]) {
                    #expect(AgeBase64.encodeUnpadded(decoded) == [x, y])
                    accepted += 1
                }
                for z in symbols {
                    if let decoded = AgeBase64.decodeUnpadded([x, y, z]) {
                        #expect(AgeBase64.encodeUnpadded(decoded) == [x, y, z])
                        accepted += 1
                    }
                }
            }
        }
        #expect(accepted == 256 + 65536)  // one canonical string per 1- and 2-byte value
        #expect(AgeBase64.decodeUnpadded(Array("A".utf8)) == nil)
        #expect(AgeBase64.decodeUnpadded(Array("AA==".utf8)) == nil)
        #expect(AgeBase64.decodePadded(Array("AA==".utf8)) == [0])
        #expect(AgeBase64.decodePadded(Array("AB==".utf8)) == nil)
        #expect(AgeBase64.decodePadded(Array("AA".utf8)) == nil)
        #expect(AgeBase64.decodePadded(Array("A===".utf8)) == nil)
    }
}
