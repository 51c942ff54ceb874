import Foundation

/// The ASCII armor of age files: strict PEM (RFC 7468 §3) with the label `AGE ENCRYPTED FILE`, 64 columns,
/// padded canonical base64, no headers.
///
/// Written here because swift-crypto's PEM support (`CryptoExtras.PEMDocument`) is lax about whitespace and
/// line lengths and reads whole documents into memory; age asks for a strict, streaming parser so that armored
/// files stay non-malleable.
enum AgeArmor {
    static let beginLine = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)
    static let endLine = Array("-----END AGE ENCRYPTED FILE-----".utf8)
    static let columns = 64
    static let bytesPerLine = 48
    /// Whitespace accepted before and after the armored block, in bytes.
    static let maximumWhitespace = 1024

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }
}

/// Writes armored output: the BEGIN line at once, then 64-column lines as bytes arrive, and the last line
/// with the END line on ``finish()``.
final class AgeArmorEncoder {
    private let output: AgeOutput
    private var pending: [UInt8] = []

    init(output: @escaping AgeOutput) throws {
        self.output = output
        try output(Data(AgeArmor.beginLine + [0x0A]))
    }

    func write(_ bytes: some Collection<UInt8>) throws {
        pending.append(contentsOf: bytes)
        let whole = pending.count / AgeArmor.bytesPerLine * AgeArmor.bytesPerLine
        guard whole > 0 else { return }
        var text: [UInt8] = []
        text.reserveCapacity(whole / 3 * 4 + whole / AgeArmor.bytesPerLine)
        var start = 0
        while start < whole {
            text += AgeBase64.encodePadded(pending[start..<(start + AgeArmor.bytesPerLine)])
            text.append(0x0A)
            start += AgeArmor.bytesPerLine
        }
        pending.removeFirst(whole)
        try output(Data(text))
    }

    func finish() throws {
        var text: [UInt8] = []
        if !pending.isEmpty {
            text = AgeBase64.encodePadded(pending) + [0x0A]
            pending = []
        }
        try output(Data(text + AgeArmor.endLine + [0x0A]))
    }
}

/// Reads armored input and hands out the decoded bytes, failing with ``AgeError/armorFailure(line:problem:)``
/// on anything but strict armor (leading and trailing whitespace and CRLF line ends are accepted).
final class AgeArmorDecoder {
    private let input: AgeByteReader
    private var line = 0
    private var started = false
    private var finished = false

    init(_ input: AgeByteReader) { self.input = input }

    private func fail(_ problem: String) -> AgeError { .armorFailure(line: line, problem: problem) }

    /// The next line without its LF or CRLF; fails at the end of the input.
    private func nextLine() throws -> [UInt8] {
        line += 1
        switch try input.readLine(limit: 2 * AgeArmor.columns) {
        case nil:
            throw fail(started ? "the text ends before the END line" : "the text ends before the BEGIN line")
        case .tooLong:
            throw fail("line longer than \(AgeArmor.columns) columns")
        case .complete(var bytes):
            bytes.removeLast()
            if bytes.last == 0x0D { bytes.removeLast() }
            return bytes
        case .unterminated(let bytes):
            return bytes
        }
    }

    /// Decoded bytes, at least `count` of them unless the armored block ends first; empty at the end.
    func pull(_ count: Int) throws -> Data {
        var out: [UInt8] = []
        if !started {
            var whitespace = 0
            while true {
                let text = try nextLine()
                if text.allSatisfy(AgeArmor.isWhitespace) {
                    whitespace += text.count + 1
                    if whitespace > AgeArmor.maximumWhitespace {
                        throw fail("too much whitespace before the BEGIN line")
                    }
                    continue
                }
                guard text == AgeArmor.beginLine else {
                    throw fail("expected -----BEGIN AGE ENCRYPTED FILE----- exactly")
                }
                break
            }
            started = true
        }
        while !finished && out.count < count {
            let text = try nextLine()
            if text == AgeArmor.endLine {
                try finish()
                break
            }
            if text.isEmpty { throw fail("empty line inside the armor") }
            if text.count > AgeArmor.columns { throw fail("line longer than \(AgeArmor.columns) columns") }
            if text.count == AgeArmor.columns, let bytes = AgeBase64.decodeUnpadded(text),
                bytes.count == AgeArmor.bytesPerLine
            {
                out += bytes
                continue
            }
            guard let bytes = AgeBase64.decodePadded(text) else {
                throw fail(
                    text.allSatisfy({ AgeBase64.isSymbol($0) || $0 == UInt8(ascii: "=") })
                        ? "not canonical padded base64" : "character outside base64")
            }
            out += bytes
            // Only the last line may be short: the END line must follow.
            guard try nextLine() == AgeArmor.endLine else {
                throw fail("a line shorter than \(AgeArmor.columns) columns must be followed by the END line")
            }
            try finish()
        }
        return Data(out)
    }

    /// After the END line only a little whitespace may follow.
    private func finish() throws {
        finished = true
        guard let rest = try input.readRest(limit: AgeArmor.maximumWhitespace) else {
            throw fail("too much data after the END line")
        }
        if !rest.allSatisfy(AgeArmor.isWhitespace) { throw fail("data after the END line") }
    }
}
