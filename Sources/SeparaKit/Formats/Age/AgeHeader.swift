import Crypto
import Foundation

/// One recipient stanza of an age header: a type, its arguments and a binary body.
///
/// Written here (with ``AgeHeader``) because no library parses the age header; the grammar is the ABNF of the
/// age spec, applied strictly: LF line ends only, single spaces, canonical unpadded base64, 64-column body
/// lines ending with a shorter (possibly empty) line.
struct AgeStanza: Equatable, Sendable {
    var type: String
    var arguments: [String]
    var body: [UInt8]

    /// The stanza as it appears in a header, ending with LF.
    var encoded: [UInt8] {
        var out = Array("->".utf8)
        for argument in [type] + arguments {
            out.append(0x20)
            out += Array(argument.utf8)
        }
        out.append(0x0A)
        let text = AgeBase64.encodeUnpadded(body)
        var start = 0
        // Full 64-column lines, then a final shorter line, empty when the body fills whole lines.
        while text.count - start >= AgeHeader.columns {
            out += text[start..<(start + AgeHeader.columns)]
            out.append(0x0A)
            start += AgeHeader.columns
        }
        out += text[start...]
        out.append(0x0A)
        return out
    }
}

/// A parsed age v1 header: its stanzas, its MAC and the bytes the MAC covers.
struct AgeHeader: Sendable {
    static let versionLine = Array("age-encryption.org/v1".utf8)
    static let versionPrefix = Array("age-encryption.org/".utf8)
    static let columns = 64
    static let macLength = 32

    var stanzas: [AgeStanza]
    var mac: [UInt8]
    /// The header from its first byte through the `---` of the MAC line: what the MAC covers.
    var authenticated: [UInt8]

    /// Builds a header for `stanzas`, MACed with `fileKey`.
    init(stanzas: [AgeStanza], fileKey: SymmetricKey) {
        self.stanzas = stanzas
        var text = Self.versionLine + [0x0A]
        for stanza in stanzas { text += stanza.encoded }
        text += Array("---".utf8)
        self.authenticated = text
        self.mac = Self.computeMAC(over: text, fileKey: fileKey)
    }

    private init(stanzas: [AgeStanza], mac: [UInt8], authenticated: [UInt8]) {
        self.stanzas = stanzas
        self.mac = mac
        self.authenticated = authenticated
    }

    /// The whole header as written to a file, ending with LF.
    var encoded: [UInt8] { authenticated + [0x20] + AgeBase64.encodeUnpadded(mac) + [0x0A] }

    /// HMAC-SHA-256 keyed with HKDF-SHA-256(ikm = file key, salt = empty, info = "header").
    static func computeMAC(over bytes: [UInt8], fileKey: SymmetricKey) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: fileKey, salt: [UInt8](), info: Array("header".utf8), outputByteCount: 32)
        return Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
    }

    /// Whether the MAC matches `fileKey` (constant-time comparison).
    func isAuthentic(fileKey: SymmetricKey) -> Bool {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: fileKey, salt: [UInt8](), info: Array("header".utf8), outputByteCount: 32)
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: authenticated, using: key)
    }

    /// Reads a header from `reader`, leaving it at the first payload byte.
    static func parse(_ reader: AgeByteReader) throws -> AgeHeader {
        var authenticated: [UInt8] = []
        var line = 0

        func nextLine() throws -> [UInt8]? {
            line += 1
            let remaining = AgeEncryption.maximumHeaderSize - authenticated.count
            switch try reader.readLine(limit: remaining) {
            case nil, .unterminated: return nil
            case .tooLong: throw AgeError.headerTooLarge
            case .complete(let bytes):
                authenticated += bytes
                return Array(bytes.dropLast())
            }
        }
        func malformed(_ problem: String) -> AgeError { .malformedHeader(line: line, problem: problem) }

        // Version line.
        line = 1
        let first: [UInt8]
        switch try reader.readLine(limit: AgeEncryption.maximumHeaderSize) {
        case nil: throw AgeError.notAgeFile
        case .tooLong: throw AgeError.notAgeFile
        case .unterminated(let bytes):
            throw bytes.starts(with: versionPrefix) ? malformed("the header ends after its first line") : .notAgeFile
        case .complete(let bytes):
            authenticated = bytes
            first = Array(bytes.dropLast())
        }
        if first != versionLine {
            if first == versionLine + [0x0D] {
                throw malformed(
                    "ends with CR LF; age headers use LF only (was the file converted to Windows line ends?)")
            }
            throw first.starts(with: versionPrefix) ? AgeError.unsupportedVersion : .notAgeFile
        }

        var stanzas: [AgeStanza] = []
        while true {
            guard let text = try nextLine() else { throw malformed("the header ends before its MAC line (---)") }
            if text.starts(with: Array("---".utf8)) {
                guard text.count == 4 + 43, text[3] == 0x20,
                    let mac = AgeBase64.decodeUnpadded(text[4...]), mac.count == macLength
                else {
                    throw malformed("the MAC line must be '---', one space and 43 base64 characters")
                }
                if stanzas.isEmpty { throw malformed("no recipient stanza before the MAC line") }
                // The MAC covers the header through "---", without the space and the MAC itself.
                authenticated.removeLast(text.count + 1 - 3)
                return AgeHeader(stanzas: stanzas, mac: mac, authenticated: authenticated)
            }
            guard text.starts(with: Array("-> ".utf8)) else {
                throw malformed(
                    text.starts(with: Array("->".utf8))
                        ? "a stanza line must start with '-> '"
                        : "expected a recipient stanza (->) or the MAC line (---)")
            }
            let parts = text.dropFirst(3).split(separator: 0x20, omittingEmptySubsequences: false)
            for part in parts where part.isEmpty || !part.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) {
                throw malformed("a stanza argument is empty or has a character outside printable ASCII")
            }
            let strings = parts.map { String(decoding: $0, as: UTF8.self) }
            let stanzaLine = line

            // Body: 64-column lines, ending with the first shorter (possibly empty) line.
            var bodyText: [UInt8] = []
            while true {
                guard let bodyLine = try nextLine() else {
                    throw malformed("the header ends inside the body of stanza \(stanzas.count + 1)")
                }
                guard bodyLine.count <= columns else { throw malformed("stanza body line longer than 64 columns") }
                guard bodyLine.allSatisfy(AgeBase64.isSymbol) else {
                    throw malformed(
                        bodyLine.starts(with: Array("-".utf8))
                            ? "stanza \(stanzas.count + 1) has no body (its final line, possibly empty, is missing)"
                            : "stanza body line has a character outside base64")
                }
                bodyText += bodyLine
                if bodyLine.count < columns { break }
            }
            guard let body = AgeBase64.decodeUnpadded(bodyText) else {
                line = stanzaLine
                throw malformed("the body of stanza \(stanzas.count + 1) is not canonical base64")
            }
            stanzas.append(AgeStanza(type: strings[0], arguments: Array(strings.dropFirst()), body: body))
        }
    }
}
