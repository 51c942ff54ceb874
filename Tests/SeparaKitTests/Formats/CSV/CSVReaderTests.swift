import Foundation
import Testing

@testable import SeparaKit

@Suite("CSV reader: records, lines and raw text")
struct CSVReaderTests {
    @Test func readsQuotedSeparatorsLineBreaksAndDoubledQuotes() throws {
        let text =
            "code,notes,age\r\nA1,\"water, blankets\",3\r\nA2,\"first\r\nsecond\",4\r\nA3,\"said \"\"no\"\"\",5\r\n"
        let results = try CSVTest.read(text, options: .init())
        #expect(
            CSVTest.fields(results) == [
                ["code", "notes", "age"], ["A1", "water, blankets", "3"], ["A2", "first\r\nsecond", "4"],
                ["A3", "said \"no\"", "5"],
            ])
    }

    @Test(arguments: ["\r\n", "\n", "\r"])
    func everyLineEndingGivesTheSameRecordsAndLines(ending: String) throws {
        let text = ["a,b", "c,d", "e,f"].joined(separator: ending) + ending
        let records = CSVTest.records(try CSVTest.read(text))
        #expect(records.map(\.fields) == [["a", "b"], ["c", "d"], ["e", "f"]])
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records.map(\.raw) == ["a,b", "c,d", "e,f"])
    }

    @Test func mixedLineEndingsCountOneLineEach() throws {
        let records = CSVTest.records(try CSVTest.read("a\r\nb\nc\rd\n\re"))
        #expect(records.map(\.fields) == [["a"], ["b"], ["c"], ["d"], [""], ["e"]])
        #expect(records.map(\.line) == [1, 2, 3, 4, 5, 6])
    }

    @Test func lineNumbersFollowLineBreaksInsideQuotes() throws {
        let text = "h1,h2\n\"one\r\ntwo\rthree\nfour\",x\nlast,y"
        let records = CSVTest.records(try CSVTest.read(text))
        #expect(records.count == 3)
        #expect(records[1].line == 2)
        #expect(records[1].endLine == 5)
        #expect(records[1].fields[0] == "one\r\ntwo\rthree\nfour")
        #expect(records[2].line == 6)
        #expect(records[2].endLine == 6)
    }

    @Test(arguments: [nil, 1] as [Int?])
    func withoutRawTextGoodRecordsHaveNoneAndFailedOnesKeepTheirs(chunk: Int?) throws {
        let text = "a,b\r\n\"x, y\",z\r\nshort\r\nq,bad\"quote\r\nlast,\"multi\r\nline\"\r\n"
        let options = CSVReadOptions(separator: .fixed(.comma), keepsRawText: false)
        let results = try CSVTest.read(bytes: Array(text.utf8), options: options, chunk: chunk).results
        let records = CSVTest.records(results)
        #expect(records.map(\.fields) == [["a", "b"], ["x, y", "z"], ["last", "multi\r\nline"]])
        #expect(records.allSatisfy { $0.raw.isEmpty })
        // A clerk's rejects file still gets the original text of the records that fail.
        #expect(CSVTest.errors(results).map { $0.context?.raw } == ["short", "q,bad\"quote"])
    }

    @Test func rawTextIsTheRecordUnchanged() throws {
        let rows = ["\"a\",\"b\"\"c\"", "x,\"multi\r\nline\"", " spaced , \"q\" "]
        let text = rows.joined(separator: "\r\n") + "\r\n"
        let results = try CSVTest.read(text, options: .init(separator: .fixed(.comma), quoting: .lenient))
        #expect(CSVTest.records(results).map(\.raw) == rows)
    }

    @Test func rawTextOfEveryRecordRebuildsTheFile() throws {
        // Random well-formed files: the raw texts joined with their line breaks give back the input.
        var random = CSVTestRandom(seed: 7)
        for _ in 0..<200 {
            var text = ""
            var rows: [String] = []
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                var fields: [String] = []
                for _ in 0..<3 {
                    let pieces = ["a", "é", "ي", " ", ",", "\"", "\r\n", "\n", "\r", "x"]
                    let value = (0..<Int.random(in: 0...4, using: &random)).map { _ in
                        pieces.randomElement(using: &random)!
                    }.joined()
                    fields.append(value)
                }
                // Without the CRLF the writer ends the record with (two UTF-8 bytes, but one Character).
                rows.append(String(decoding: CSVWriter().line(fields).utf8.dropLast(2), as: UTF8.self))
            }
            let endings = ["\r\n", "\n", "\r"]
            for row in rows { text += row + endings.randomElement(using: &random)! }
            let records = CSVTest.records(try CSVTest.read(text, options: .init(separator: .fixed(.comma))))
            #expect(records.map(\.raw) == rows)
        }
    }

    @Test func emptyLinesAreSkippedByDefaultButCounted() throws {
        let records = CSVTest.records(try CSVTest.read("a,b\n\n\r\nc,d\n\n", options: .init()))
        #expect(records.map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(records.map(\.line) == [1, 4])
    }

    @Test func emptyLinesCanBeKeptAsOneEmptyField() throws {
        let records = CSVTest.records(try CSVTest.read("a\n\nb\n", options: CSVTest.plain))
        #expect(records.map(\.fields) == [["a"], [""], ["b"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test func aLineOfSpacesOrAQuotedEmptyFieldIsNotAnEmptyLine() throws {
        let records = CSVTest.records(try CSVTest.read("a\n \n\"\"\n", options: .init(fieldCount: .any)))
        #expect(records.map(\.fields) == [["a"], [" "], [""]])
    }

    @Test func emptyInputAndByteOrderMarkOnlyHaveNoRecords() throws {
        #expect(try CSVTest.read("").isEmpty)
        #expect(try CSVTest.read(bytes: [0xEF, 0xBB, 0xBF]).results.isEmpty)
        #expect(try CSVTest.read("\n\n", options: .init()).isEmpty)
    }

    @Test func commentsCanBeSkippedOrRead() throws {
        let text = "a,b\n#note, with \"quote\nc,d\n"
        #expect(CSVTest.fields(try CSVTest.read(text, options: .init(comments: .skip))) == [["a", "b"], ["c", "d"]])
        let read = CSVTest.records(try CSVTest.read(text, options: .init(comments: .read)))
        #expect(read.map(\.fields) == [["a", "b"], ["note, with \"quote"], ["c", "d"]])
        #expect(read.map(\.line) == [1, 2, 3])
        #expect(read[1].raw == "#note, with \"quote")
        // Off by default: `#` starts an ordinary field (and the quote inside is then an error).
        let none = try CSVTest.read(text, options: .init())
        #expect(CSVTest.errors(none).count == 1)
    }

    @Test func separatorInsideQuotesAndEmptyTrailingFields() throws {
        #expect(CSVTest.fields(try CSVTest.read("a,,\n,\",\",\n")) == [["a", "", ""], ["", ",", ""]])
    }

    @Test func recordWithoutFinalLineBreakEndsAtTheEndOfInput() throws {
        let records = CSVTest.records(try CSVTest.read("a,b\nc,\"d\""))
        #expect(records.map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(records.last?.raw == "c,\"d\"")
    }

    @Test func aShortRowAnswersNilPastItsLastField() throws {
        let record = try #require(try CSVTest.read("a,b\n").first?.get())
        #expect(record[safe: 1] == "b")
        #expect(record[safe: 2] == nil)
        #expect(record[safe: -1] == nil)
    }

    @Test func recordsPrintWithoutTheirValues() {
        let record = CSVRecord(fields: ["SECRET-NAME", "x"], line: 4, endLine: 5, raw: "SECRET-NAME,x")
        #expect(record.description == "CSVRecord(lines 4–5, 2 fields)")
        var dumped = ""
        dump(record, to: &dumped)
        for text in [String(describing: record), String(reflecting: record), dumped, "\(record)"] {
            #expect(!text.contains("SECRET"))
        }
    }

    @Test func readsFromAFileAndAFileHandle() throws {
        let folder = TestPaths.temporaryDirectory("csv-reader")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("sheets.csv")
        try Data("a;b\n1;2\n".utf8).write(to: url)
        let reader = try CSVReader(url: url)
        #expect(reader.name == "sheets.csv")
        #expect(reader.separator == .semicolon)
        #expect(try reader.next()?.fields == ["a", "b"])
        #expect(try reader.next()?.fields == ["1", "2"])
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)

        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let fromHandle = try CSVReader(fileHandle: handle, name: "stdin")
        #expect(try fromHandle.next()?.fields == ["a", "b"])
    }

    @Test func aMissingFileOrAFolderCannotBeOpened() throws {
        let folder = TestPaths.temporaryDirectory("csv-reader")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: CSVError.cannotOpen(file: "absent.csv", reason: "No such file or directory")) {
            try CSVReader(url: folder.appendingPathComponent("absent.csv"))
        }
        #expect(throws: CSVError.cannotOpen(file: "x", reason: "it is a folder")) {
            try CSVReader(url: folder, name: "x")
        }
    }

    @Test func blockBoundariesAnywhereGiveTheSameResult() throws {
        // Every input is read whole and then one to seven bytes at a time: records, errors, lines and
        // raw text must not depend on where the blocks end.
        var inputs = [
            "a,b\r\nc,d", "\"x\"\"y\",\"1\r\n2\"\r\n\r\nz", "a\r", "a\r\n", "\"\"", "\"a\"b,c\n", "a\"b\nc",
            "\"unclosed\nrest", "\u{0}a,b\nc", "é,ي\nà,\"\u{1F600}\"", "#c\na", "a,\"b\"\r\r\n",
        ]
        var random = CSVTestRandom(seed: 42)
        let alphabet = ["a", ",", "\"", "\r", "\n", "é", "#", " ", "\u{0}"]
        for _ in 0..<300 {
            inputs.append(
                (0..<Int.random(in: 0...16, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                    .joined())
        }
        let tightLimits = CSVReadOptions(
            separator: .fixed(.comma), quoting: .lenient, fieldCount: .any, maxFieldBytes: 2, maxRecordBytes: 6,
            maxFields: 3)
        for options in [
            CSVTest.plain, CSVReadOptions(separator: .fixed(.comma), quoting: .lenient, comments: .read), tightLimits,
        ] {
            for input in inputs {
                let whole = try CSVTest.read(bytes: Array(input.utf8), options: options).results
                for chunk in 1...7 {
                    let pieces = try CSVTest.read(bytes: Array(input.utf8), options: options, chunk: chunk).results
                    #expect(pieces == whole, "input \(input.debugDescription) in blocks of \(chunk)")
                }
            }
        }
    }
}
