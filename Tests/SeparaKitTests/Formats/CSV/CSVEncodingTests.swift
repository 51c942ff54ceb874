import Foundation
import Testing

@testable import SeparaKit

@Suite("CSV reader: encodings")
struct CSVEncodingTests {
    static let text = "code;notes\r\nA1;Niño, café\r\nA2;\"يحتاج إلى\r\nمأوى\"\r\nA3;😀 ok\r\n"
    static let expected = [["code", "notes"], ["A1", "Niño, café"], ["A2", "يحتاج إلى\r\nمأوى"], ["A3", "😀 ok"]]

    static func encode(_ text: String, _ encoding: CSVEncoding) -> [UInt8] {
        let scalars = text.unicodeScalars.map(\.value)
        switch encoding {
        case .utf8, .windows1252: return Array(text.utf8)
        case .utf16LittleEndian, .utf16BigEndian:
            let big = encoding == .utf16BigEndian
            return text.utf16.flatMap {
                big ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)]
            }
        case .utf32LittleEndian, .utf32BigEndian:
            let bytes = scalars.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
            if encoding == .utf32LittleEndian { return bytes }
            return stride(from: 0, to: bytes.count, by: 4).flatMap { bytes[$0..<$0 + 4].reversed() }
        }
    }

    @Test(arguments: [CSVEncoding.utf8, .utf16LittleEndian, .utf16BigEndian, .utf32LittleEndian, .utf32BigEndian])
    func byteOrderMarkDecidesAndEveryEncodingReadsTheSame(encoding: CSVEncoding) throws {
        let bytes = encoding.byteOrderMark + Self.encode(Self.text, encoding)
        for chunk in [nil, 1, 3, 5] {
            // Read in small blocks, the reader sees too little to sniff: the separator is given.
            let options = CSVReadOptions(separator: chunk == nil ? .sniff : .fixed(.semicolon))
            let (results, reader) = try CSVTest.read(bytes: bytes, options: options, chunk: chunk)
            #expect(reader.separator == .semicolon)
            #expect(CSVTest.fields(results) == Self.expected)
            #expect(CSVTest.records(results).map(\.line) == [1, 2, 3, 5])
            #expect(CSVTest.records(results).first?.raw == "code;notes")
            #expect(reader.encoding == encoding)
            #expect(reader.hasByteOrderMark)
        }
    }

    @Test func withoutByteOrderMarkValidUTF8IsUTF8() throws {
        let (results, reader) = try CSVTest.read(bytes: Array(Self.text.utf8), options: .init())
        #expect(CSVTest.fields(results) == Self.expected)
        #expect(reader.encoding == .utf8)
        #expect(!reader.hasByteOrderMark)
    }

    @Test func windows1252IsDetectedWhenTheBytesAreNotUTF8() throws {
        // "nom;prénom;€" and "A;Ñ;“x”" as Windows-1252 writes them: one byte per character.
        let input: [UInt8] =
            Array("nom;pr".utf8) + [0xE9] + Array("nom;".utf8) + [0x80, 0x0D, 0x0A]
            + Array("A;".utf8) + [0xD1, 0x3B, 0x93, 0x78, 0x94, 0x0D, 0x0A]
        for chunk in [nil, 1, 2] {
            let options = CSVReadOptions(separator: .fixed(.semicolon))
            let (results, reader) = try CSVTest.read(bytes: input, options: options, chunk: chunk)
            #expect(CSVTest.fields(results) == [["nom", "prénom", "€"], ["A", "Ñ", "\u{201C}x\u{201D}"]])
            #expect(reader.encoding == .windows1252)
        }
    }

    @Test func theFirstNonASCIIByteDecidesEvenFarIntoTheFile() throws {
        // 400 KB of ASCII, then one accented letter: in UTF-8, or in Windows-1252.
        let ascii = Array(String(repeating: "abc,def\n", count: 50_000).utf8)
        let utf8 = try CSVTest.read(bytes: ascii + Array("é,x\n".utf8), options: .init())
        #expect(utf8.reader.encoding == .utf8)
        #expect(CSVTest.records(utf8.results).last?.fields == ["é", "x"])
        let latin = try CSVTest.read(bytes: ascii + [0xE9] + Array(",x\n".utf8), options: .init())
        #expect(latin.reader.encoding == .windows1252)
        #expect(CSVTest.records(latin.results).last?.fields == ["é", "x"])
        #expect(CSVTest.records(latin.results).last?.line == 50_001)
    }

    @Test func windows1252DecodesEveryByteAsFoundationDoes() throws {
        // Exhaustive over the 256 byte values (each as one field), against Foundation's Windows-1252
        // decoder; the 5 bytes Windows-1252 leaves undefined read as the C1 controls of the same value.
        let undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        for byte in UInt8(1)...UInt8.max where ![0x0A, 0x0D, 0x22, 0x2C].contains(byte) {
            let input: [UInt8] = [0xE9, 0x2C, byte, 0x0A]  // é first, so that the file is Windows-1252
            let (results, reader) = try CSVTest.read(bytes: input, options: .init())
            #expect(reader.encoding == .windows1252)
            let field = try #require(try results.first?.get().fields.last)
            let expected =
                undefined.contains(byte)
                ? String(UnicodeScalar(byte)) : String(data: Data([byte]), encoding: .windowsCP1252)
            #expect(field == expected, "byte \(byte)")
        }
    }

    @Test func invalidUTF8LaterInAUTF8FileFailsOnlyItsRecord() throws {
        let input = Array("a,b\né,à\n".utf8) + Array("x,".utf8) + [0xFF, 0x0A] + Array("y,z\n".utf8)
        let (results, reader) = try CSVTest.read(bytes: input, options: .init())
        #expect(reader.encoding == .utf8)
        #expect(results.count == 4)
        guard case .failure(.invalidBytes(let context, .utf8)) = results[2] else {
            Issue.record("expected invalidBytes, got \(results[2])")
            return
        }
        #expect((context.line, context.column) == (3, 2))
        #expect(context.raw == "x,\u{FFFD}")
        #expect(try results[3].get().fields == ["y", "z"])
    }

    @Test(arguments: [CSVEncoding.utf16LittleEndian, .utf16BigEndian])
    func anUnpairedSurrogateFailsItsRecordAtItsLineAndColumn(encoding: CSVEncoding) throws {
        func units(_ text: String) -> [UInt16] { Array(text.utf16) }
        let all = units("a,b\nc,d\ne,") + [0xD800] + units("x\n") + units("f,g\n") + [0xDC00] + units(",h\n")
        let big = encoding == .utf16BigEndian
        let bytes =
            encoding.byteOrderMark
            + all.flatMap { big ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        for chunk in [nil, 1, 3] {
            let (results, _) = try CSVTest.read(bytes: bytes, options: .init(), chunk: chunk)
            #expect(results.count == 5)
            guard case .failure(.invalidBytes(let first, encoding)) = results[2],
                case .failure(.invalidBytes(let second, encoding)) = results[4]
            else {
                Issue.record("expected two invalidBytes errors, got \(results)")
                return
            }
            #expect((first.line, first.column) == (3, 2))
            #expect((second.line, second.column) == (5, 1))
            #expect(try results[3].get().fields == ["f", "g"])
        }
    }

    @Test func anOddByteAtTheEndOfAUTF16FileFailsTheLastRecord() throws {
        let bytes = CSVEncoding.utf16LittleEndian.byteOrderMark + Self.encode("a,b\nc,d", .utf16LittleEndian) + [0x41]
        let results = try CSVTest.read(bytes: bytes, options: .init()).results
        #expect(results.count == 2)
        guard case .failure(.invalidBytes(let context, .utf16LittleEndian)) = results[1] else {
            Issue.record("expected invalidBytes, got \(results)")
            return
        }
        #expect((context.line, context.column) == (2, 2))
    }

    @Test func aUTF16FileWithoutByteOrderMarkIsAClearNulError() throws {
        let bytes = Self.encode("a,b\n", .utf16LittleEndian)
        let errors = CSVTest.errors(try CSVTest.read(bytes: bytes, options: .init()).results)
        guard case .nulByte(let context) = errors.first else {
            Issue.record("expected nulByte, got \(errors)")
            return
        }
        #expect(context.line == 1)
        #expect(errors.first?.description.contains("UTF-16 without a byte-order mark") == true)
    }

    @Test func aFixedEncodingIsUsedAsIs() throws {
        let latin = try CSVTest.read(
            bytes: [0x41, 0x2C, 0xC3, 0xA9, 0x0A], options: .init(encoding: .fixed(.windows1252)))
        #expect(CSVTest.fields(latin.results) == [["A", "Ã©"]])
        let bom = try CSVTest.read(bytes: [0xEF, 0xBB, 0xBF, 0x41, 0x0A], options: .init(encoding: .fixed(.utf8)))
        #expect(CSVTest.fields(bom.results) == [["A"]])
        #expect(bom.reader.hasByteOrderMark)
        // A UTF-16LE mark followed by a NUL character is not mistaken for UTF-32 when UTF-16LE is fixed.
        let utf16 = try CSVTest.read(
            bytes: [0xFF, 0xFE, 0x41, 0x00, 0x0A, 0x00], options: .init(encoding: .fixed(.utf16LittleEndian)))
        #expect(CSVTest.fields(utf16.results) == [["A"]])
    }
}
