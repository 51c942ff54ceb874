import Foundation
import Testing

@testable import SeparaKit

@Suite("CSV reader: errors name the line and column, and reading goes on")
struct CSVReaderErrorTests {
    /// Reads `text` with `options` and returns the results in order.
    func read(_ text: String, _ options: CSVReadOptions = .init()) throws -> [Result<CSVRecord, CSVError>] {
        try CSVTest.read(text, options: options)
    }

    @Test func unclosedQuoteIsReportedOnceAtItsRecordAndReadingStops() throws {
        let text = "code,notes\nA1,ok\nA2,\"never closed\nA3,more\nA4,end\n"
        let reader = try CSVReader(bytes: Array(text.utf8), name: "sheets.csv")
        #expect(try reader.next()?.fields == ["code", "notes"])
        #expect(try reader.next()?.fields == ["A1", "ok"])
        let error = try #require(throws: CSVError.self) { try reader.next() }
        guard case .unclosedQuote(let context, let openedOnLine) = error else {
            Issue.record("wrong error \(error)")
            return
        }
        #expect(context.line == 3)
        #expect(openedOnLine == 3)
        #expect(context.endLine == 6)
        #expect(context.column == 2)
        #expect(context.raw == "A2,\"never closed\nA3,more\nA4,end\n")
        #expect(!error.isRecoverable)
        #expect(error.description.hasPrefix("sheets.csv:3: column 2: a quoted field is never closed"))
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test func strictQuotingRejectsAQuoteInsideAnUnquotedFieldAndGoesOn() throws {
        let results = try read("a,b\nheight,5'3\"\nc,d\n")
        #expect(results.count == 3)
        guard case .failure(.quoteInUnquotedField(let context)) = results[1] else {
            Issue.record("expected quoteInUnquotedField, got \(results[1])")
            return
        }
        #expect(context.line == 2)
        #expect(context.column == 2)
        #expect(context.raw == "height,5'3\"")
        #expect(try results[2].get().fields == ["c", "d"])
        #expect(try results[2].get().line == 3)
    }

    @Test func strictQuotingRejectsTextAfterAClosingQuoteAndGoesOn() throws {
        let results = try read("a,b,c\nx,\"quoted\" tail,y\nc,d,e\n")
        guard case .failure(.textAfterClosingQuote(let context)) = results[1] else {
            Issue.record("expected textAfterClosingQuote, got \(results[1])")
            return
        }
        #expect(context.line == 2)
        #expect(context.column == 2)
        #expect(try results[2].get().fields == ["c", "d", "e"])
    }

    @Test func lenientQuotingReadsMisplacedQuotesAsExcelDoes() throws {
        let options = CSVReadOptions(quoting: .lenient)
        let results = try read("a,b,c\nx,5'3\",\"quoted\" tail\n\"a\"\"b\"c\"d,e,f\n", options)
        #expect(CSVTest.fields(results) == [["a", "b", "c"], ["x", "5'3\"", "quoted tail"], ["a\"bc\"d", "e", "f"]])
    }

    @Test func nulBytesFailTheirRecordOnly() throws {
        let results = try read("a,b\nc,d\u{0}x\n\"\u{0}\",y\ne,f\n")
        #expect(results.count == 4)
        guard case .failure(.nulByte(let first)) = results[1], case .failure(.nulByte(let second)) = results[2] else {
            Issue.record("expected two NUL errors, got \(results)")
            return
        }
        #expect((first.line, first.column) == (2, 2))
        #expect((second.line, second.column) == (3, 1))
        #expect(try results[3].get().fields == ["e", "f"])
        // In a comment that is read, too.
        let comment = try read("a\n#x\u{0}\nb\n", .init(comments: .read))
        guard case .failure(.nulByte(let context)) = comment[1] else {
            Issue.record("expected a NUL error, got \(comment)")
            return
        }
        #expect((context.line, context.column) == (2, 1))
    }

    @Test(arguments: [false, true])
    func aTenMegabyteFieldIsACleanErrorAtItsLine(quoted: Bool) throws {
        // 10 MB in one field (with line breaks inside when quoted): the record fails at line 3, column 2,
        // memory stays bounded, and the next record is read.
        var bytes = Array("code,notes\nA1,short\nA2,".utf8)
        let chunk = quoted ? Array("0123456789abcdefghijklmnopqrstuvwxyz\n".utf8) : Array("0123456789".utf8)
        if quoted { bytes.append(0x22) }
        while bytes.count < 10_000_000 { bytes.append(contentsOf: chunk) }
        if quoted { bytes.append(0x22) }
        bytes.append(contentsOf: Array("\nA3,after\n".utf8))
        let (results, reader) = try CSVTest.read(bytes: bytes, options: .init())
        #expect(results.count == 4)
        guard case .failure(.fieldTooLarge(let context, let limit)) = results[2] else {
            Issue.record("expected fieldTooLarge, got \(results[2])")
            return
        }
        #expect(limit == 1 << 20)
        #expect(context.line == 3)
        #expect(context.column == 2)
        #expect(context.raw == nil)  // longer than the 8 MiB record limit: not kept
        let lineBreaks = quoted ? (10_000_000 - 24) / chunk.count + 1 : 0
        #expect(context.endLine == 3 + lineBreaks)
        #expect(try results[3].get().fields == ["A3", "after"])
        #expect(try results[3].get().line == 4 + lineBreaks)
        #expect(reader.bufferCapacity <= 16 << 20)
    }

    @Test func aFieldJustOverTheLimitKeepsItsRawTextForTheRejectsFile() throws {
        let options = CSVReadOptions(maxFieldBytes: 8, maxRecordBytes: 64)
        let results = try read("a,b\nx,\"123456789\"\ny,12345678\n", options)
        guard case .failure(.fieldTooLarge(let context, 8)) = results[1] else {
            Issue.record("expected fieldTooLarge, got \(results[1])")
            return
        }
        #expect(context.raw == "x,\"123456789\"")
        #expect(try results[2].get().fields == ["y", "12345678"])
    }

    @Test func aRecordOverTheRecordLimitIsReportedWithoutItsText() throws {
        let options = CSVReadOptions(maxFieldBytes: 4, maxRecordBytes: 10)
        let results = try read("a,b,c\n1234,1234,1234\nx,y,z\n", options)
        guard case .failure(.recordTooLarge(let context, 10)) = results[1] else {
            Issue.record("expected recordTooLarge, got \(results[1])")
            return
        }
        #expect(context.raw == nil)
        #expect(context.line == 2)
        #expect(try results[2].get().fields == ["x", "y", "z"])
    }

    @Test func tooManyFieldsFailTheRecord() throws {
        let options = CSVReadOptions(fieldCount: .any, maxFields: 3)
        let results = try read("a,b,c\na,b,c,d\nx\n", options)
        guard case .failure(.tooManyFields(let context, 3)) = results[1] else {
            Issue.record("expected tooManyFields, got \(results[1])")
            return
        }
        #expect(context.column == 4)
        #expect(try results[2].get().fields == ["x"])
    }

    @Test func raggedRowsAreReportedWithTheirFieldsSoTheCallerCanDecide() throws {
        let results = try read("a,b,c\n1,2\n1,2,3,4\n5,6,7\n")
        guard case .failure(.fieldCountMismatch(let short, 3, let shortFields)) = results[1],
            case .failure(.fieldCountMismatch(let long, 3, let longFields)) = results[2]
        else {
            Issue.record("expected two fieldCountMismatch errors, got \(results)")
            return
        }
        #expect(shortFields == ["1", "2"])
        #expect((short.line, short.column, short.raw) == (2, 3, "1,2"))
        #expect(longFields == ["1", "2", "3", "4"])
        #expect(long.column == 4)
        #expect(try results[3].get().fields == ["5", "6", "7"])
        #expect(CSVTest.errors(try read("a,b,c\n1,2\n", .init(fieldCount: .any))).isEmpty)
        #expect(CSVTest.errors(try read("a,b\n1,2\n", .init(fieldCount: .exactly(2)))).isEmpty)
        #expect(CSVTest.errors(try read("a,b\n1,2\n", .init(fieldCount: .exactly(3)))).count == 2)
    }

    @Test func everyRowEndsSomewhere() throws {
        // A file with every kind of recoverable problem: each of its records comes back once, as a
        // record or as an error that carries its raw text, and no other.
        let rows = [
            "h1,h2", "ok,1", "bad\"quote,2", "\"x\"y,3", "nul\u{0},4", "short", "ok,\"multi\nline\"", "ok,last",
        ]
        let results = try read(rows.joined(separator: "\r\n"))
        #expect(results.count == rows.count)
        let raws = results.map { result -> String? in
            switch result {
            case .success(let record): record.raw
            case .failure(let error): error.context?.raw
            }
        }
        #expect(raws == rows)
    }

    @Test func messagesNeverContainAValueFromTheFile() throws {
        let secret = "SECRET-Amina"
        let texts = [
            "a,b\n\(secret),\"open", "a,b\n\(secret)\",x\n", "a,b\n\"\(secret)\"x,y\n", "a,b\n\(secret)\u{0},y\n",
            "a,b\n\(secret)\n", "a,b\n\(String(repeating: secret, count: 10)),y\n",
        ]
        var seen = 0
        for text in texts {
            for error in CSVTest.errors(try read(text, .init(maxFieldBytes: 64))) {
                seen += 1
                var dumped = ""
                dump(error, to: &dumped)
                for shown in [error.description, String(reflecting: error), "\(error)", dumped] {
                    #expect(!shown.contains("SECRET"), "\(shown)")
                }
                if let context = error.context {
                    var dumpedContext = ""
                    dump(context, to: &dumpedContext)
                    #expect(!String(reflecting: context).contains("SECRET"))
                    #expect(!dumpedContext.contains("SECRET"))
                }
            }
        }
        #expect(seen == texts.count)
        var invalid = Array("a,b\n".utf8) + Array(secret.utf8) + [0xC3, 0x28, 0x2C, 0x79, 0x0A]
        invalid.insert(contentsOf: Array("é,à\n".utf8), at: 4)
        let errors = CSVTest.errors(try CSVTest.read(bytes: invalid, options: .init()).results)
        #expect(errors.count == 1)
        #expect(errors.allSatisfy { !$0.description.contains("SECRET") })
    }

    @Test func messagesNameFileLineAndColumnAndWhatToDo() throws {
        let context = CSVErrorContext(file: "sheets.csv", line: 17, endLine: 17, column: 3, raw: "x")
        #expect(
            CSVError.quoteInUnquotedField(context).description
                == "sheets.csv:17: column 3: double quote inside a field that is not quoted; quote the whole field "
                + "and double the quote (\"\"), or re-save the file from the spreadsheet")
        #expect(
            CSVError.fieldCountMismatch(context, expected: 6, fields: ["a"]).description
                == "sheets.csv:17: column 3: 1 field where 6 are expected; check for a missing or extra separator")
        #expect(
            CSVError.fieldTooLarge(context, limit: 1 << 20).description
                == "sheets.csv:17: column 3: field longer than 1 MiB; check for a missing closing quote")
        #expect(
            CSVError.invalidBytes(context, encoding: .utf8).description
                == "sheets.csv:17: column 3: bytes that are not valid UTF-8; the file mixes encodings: save it again "
                + "as \"CSV UTF-8\"")
    }

    @Test func anIOErrorStopsReading() throws {
        let folder = TestPaths.temporaryDirectory("csv-reader")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A directory descriptor opens but cannot be read: the reader reports it instead of crashing.
        let handle = try FileHandle(forReadingFrom: folder)
        defer { try? handle.close() }
        #expect(throws: CSVError.readFailed(file: "dir", reason: "Is a directory")) {
            try CSVReader(fileHandle: handle, name: "dir")
        }
    }
}
