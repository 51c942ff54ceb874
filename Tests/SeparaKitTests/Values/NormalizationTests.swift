import Testing

@testable import SeparaKit

@Suite("Code input normalisation")
struct NormalizationTests {
    /// The whole look-alike table, upper and lower case.
    @Test(arguments: [
        ("O", "0"), ("o", "0"), ("I", "1"), ("i", "1"), ("L", "1"), ("l", "1"), ("Z", "2"), ("z", "2"),
        ("S", "5"), ("s", "5"), ("B", "8"), ("b", "8"), ("U", "V"), ("u", "V"),
    ])
    func lookAlikes(typed: String, read: String) throws {
        #expect(try CodeNormalizer.canonical(typed) == read)
    }

    /// Every alphabet symbol reads as itself in upper and lower case.
    @Test func alphabetIsIdentity() throws {
        for symbol in CodeAlphabet.symbols {
            #expect(try CodeNormalizer.canonical(String(symbol)) == String(symbol))
            #expect(try CodeNormalizer.canonical(String(symbol).lowercased()) == String(symbol))
        }
    }

    /// Every printable ASCII character is either a symbol, a look-alike, a separator or an error — and the
    /// error names its position.
    @Test func everyAsciiCharacterHasADefinedReading() {
        let accepted = Set(CodeAlphabet.symbols + CodeAlphabet.symbols.lowercased() + "OoIiLlZzSsBbUu")
        for byte in UInt8(0x20)...UInt8(0x7E) {
            let character = Character(UnicodeScalar(byte))
            let input = "12" + String(character)
            if accepted.contains(character) || character == " " || character == "-" || character == "_" {
                #expect((try? CodeNormalizer.canonical(input)) != nil, "\(character) should be accepted")
            } else {
                #expect(throws: CodeError.invalidCharacter(position: 3)) { try CodeNormalizer.canonical(input) }
            }
        }
    }

    @Test func separatorsAndCaseAreForgiven() throws {
        let code = CaseCode(randomValues: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        let display = code.display
        for variant in [
            display, display.lowercased(), code.canonical, display.replacingOccurrences(of: "-", with: " "),
            " \(display) ", display.replacingOccurrences(of: "-", with: "\u{2013}"),
        ] {
            #expect(try CaseCode.parse(variant) == code)
        }
    }

    @Test func invalidCharacterNamesItsPosition() {
        #expect(throws: CodeError.invalidCharacter(position: 6)) { try CaseCode.parse("K7M2-#QX4-HT3C") }
        #expect(throws: CodeError.invalidCharacter(position: 1)) { try CaseCode.parse("é7M2-9QX4-HT3C") }
        #expect(throws: CodeError.empty) { try CaseCode.parse(" - ") }
    }

    @Test func wrongLengthAndCheckAreReportedNotCorrected() throws {
        let code = CaseCode(randomValues: Array(repeating: 3, count: 11))
        #expect(throws: CodeError.wrongLength(found: 11, expected: 12)) {
            try CaseCode.parse(String(code.canonical.dropLast()), expectedRandomLength: 11)
        }
        var wrong = Array(code.canonical)
        wrong[0] = wrong[0] == "4" ? "5" : "4"
        #expect(throws: CodeError.checkSymbolMismatch) { try CaseCode.parse(String(wrong)) }
    }

    @Test func errorMessagesNeverRepeatTheInput() {
        let errors: [CodeError] = [
            .empty, .invalidCharacter(position: 3), .wrongLength(found: 5, expected: 12),
            .wrongLength(found: 40, expected: nil), .checkSymbolMismatch,
        ]
        for error in errors {
            #expect(!error.description.contains("K7M2"))
            #expect(!error.description.isEmpty)
        }
    }

    @Test func displayGroupsInFours() {
        #expect(CodeFormat.group("ABCDEFGHIJKL") == "ABCD-EFGH-IJKL")
        #expect(CodeFormat.group("ABCDEFG") == "ABCD-EFG")
        #expect(CodeFormat.pattern(randomLength: 11) == "XXXX-XXXX-XXXX")
    }
}
