import Foundation
import Testing

@testable import SeparaKit

@Suite("CSV writer")
struct CSVWriterTests {
    @Test func quotesOnlyWhenNeededAndEndsWithCRLF() {
        let writer = CSVWriter()
        #expect(writer.line(["a", "b c", ""]) == "a,b c,\r\n")
        #expect(
            writer.line(["x,y", "say \"hi\"", "one\ntwo", "cr\r"])
                == "\"x,y\",\"say \"\"hi\"\"\",\"one\ntwo\",\"cr\r\"\r\n")
        #expect(writer.line(["a;b"]) == "a;b\r\n")
        #expect(CSVWriter(options: .init(separator: .semicolon)).line(["a;b", "c,d"]) == "\"a;b\";c,d\r\n")
        #expect(CSVWriter(options: .init(separator: .tab, lineEnding: .lf)).line(["a\tb", "c"]) == "\"a\tb\"\tc\n")
    }

    @Test func aRecordOfOneEmptyFieldIsNotAnEmptyLine() throws {
        let writer = CSVWriter()
        #expect(writer.line([""]) == "\"\"\r\n")
        #expect(writer.line(["", ""]) == ",\r\n")
        #expect(writer.line([String]()) == "\r\n")
        let back = try CSVTest.read(writer.line(["a"]) + writer.line([""]), options: .init())
        #expect(CSVTest.fields(back) == [["a"], [""]])
    }

    @Test func byteOrderMarkOnlyWhenAskedFor() {
        #expect(CSVWriter().preamble.isEmpty)
        #expect(CSVWriter(options: .init(byteOrderMark: true)).preamble == [0xEF, 0xBB, 0xBF])
    }

    @Test(arguments: ["=1+2", "+1", "-3", "@SUM(A1)", "\tx", "\rx"])
    func formulaCellsGetAnApostropheWhenAsked(cell: String) throws {
        let neutral = CSVWriter(options: .init(neutralizesFormulas: true))
        let back = try CSVTest.read(neutral.line([cell, "ok"]), options: .init()).first?.get().fields
        #expect(back == ["'" + cell, "ok"])
        let exact = try CSVTest.read(CSVWriter().line([cell, "ok"]), options: .init()).first?.get().fields
        #expect(exact == [cell, "ok"])
    }

    @Test func cellsThatAreNotFormulasAreLeftAlone() {
        let neutral = CSVWriter(options: .init(neutralizesFormulas: true))
        #expect(neutral.line(["a=1", " =1", "'x", "", "1-2"]) == "a=1, =1,'x,,1-2\r\n")
        #expect(neutral.line(["=a,b"]) == "\"'=a,b\"\r\n")
    }

    @Test func whatIsWrittenReadsBackUnchanged() throws {
        var random = CSVTestRandom(seed: 2024)
        let pieces = ["a", "é", "يحتاج", "😀", " ", ",", ";", "\t", "\"", "\r\n", "\n", "\r", "#", "=", "'"]
        for separator in CSVSeparator.allCases {
            for lineEnding in [CSVWriteOptions.LineEnding.crlf, .lf] {
                let writer = CSVWriter(options: .init(separator: separator, lineEnding: lineEnding))
                var rows: [[String]] = []
                var output = writer.preamble
                for _ in 0..<200 {
                    let row = (0..<4).map { _ in
                        (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                            .joined()
                    }
                    rows.append(row)
                    writer.append(row, to: &output)
                }
                let options = CSVReadOptions(separator: .fixed(separator), emptyLines: .keep)
                #expect(CSVTest.fields(try CSVTest.read(bytes: output, options: options).results) == rows)
            }
        }
    }

    @Test func writesThroughAnAtomicFileWriter() throws {
        let folder = TestPaths.temporaryDirectory("csv-writer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("rejects.csv")
        let writer = CSVWriter(options: .init(byteOrderMark: true))
        let file = try AtomicFileWriter(url, mode: 0o600)
        try file.write(writer.preamble)
        try file.writeCSVRecord(["line", "reason", "row"], with: writer)
        try file.writeCSVRecord(["3", "column 2: not a whole number", "A2,\"x\ny\""], with: writer)
        try file.commit()
        let reader = try CSVReader(url: url)
        #expect(reader.hasByteOrderMark)
        #expect(try reader.next()?.fields == ["line", "reason", "row"])
        #expect(try reader.next()?.fields == ["3", "column 2: not a whole number", "A2,\"x\ny\""])
    }
}
