import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// At least thirty malformed transcriptions, each with the message a clerk sees. Row problems go to the
/// rejects file with line, column and reason; file problems stop the import before any row is stored.
/// No message repeats a value from the file.
@Suite("Ingest: malformed inputs")
struct MalformedInputTests {
    enum Expected {
        /// The whole file is refused with a message containing this text.
        case refused(String)
        /// Row `line` is rejected (column name or nil) with a reason containing this text.
        case rejected(line: Int, column: String?, reason: String)
    }

    /// A valid row whose code is replaced by `{CODE}` and so on.
    static let good = "{CODE},03/11/2026,female,34,syr,no"
    static let header = IngestFixture.header

    /// name, file content (with {CODE} = a registered code, {CODE2} another), expected outcome.
    static let cases: [(String, String, Expected)] = [
        (
            "wrong template", "code,visit_date,services_provided/first_aid\n{CODE},03/11/2026,1\n",
            .refused("column 3: not a column of this template")
        ),
        (
            "missing required column",
            "code,visit_date,age,nationality,unaccompanied_child\n{CODE},03/11/2026,34,syr,no\n",
            .refused("the column 'sex' is missing")
        ),
        (
            "unknown column", header + ",notes\n" + good + ",canary\n",
            .refused("column 7: not a column of this template")
        ),
        ("empty header cell", header + ",\n" + good + ",\n", .refused("column 7: empty header")),
        ("duplicate column", header + ",sex\n" + good + ",male\n", .refused("the same field as column 3")),
        ("empty file", "", .refused("the file is empty")),
        ("byte-order mark only", "\u{FEFF}", .refused("the file is empty")),
        (
            "missing code column", "visit_date,sex,age,nationality,unaccompanied_child\n03/11/2026,female,34,syr,no\n",
            .refused("the column 'code' is missing")
        ),
        (
            "ragged row, short", header + "\n{CODE},03/11/2026,female\n",
            .rejected(line: 2, column: nil, reason: "3 fields where 6 are expected")
        ),
        (
            "ragged row, long", header + "\n" + good + ",extra,canary\n",
            .rejected(line: 2, column: nil, reason: "8 fields where 6 are expected")
        ),
        (
            "unclosed quote", header + "\n" + good + "\n{CODE2},\"03/11/2026,female,34,syr,no\n",
            .rejected(line: 3, column: nil, reason: "never closed")
        ),
        (
            "NUL byte", header + "\n{CODE},03/11/2026,fem\u{0}ale,34,syr,no\n",
            .rejected(line: 2, column: nil, reason: "NUL byte")
        ),
        (
            "quote inside a field", header + "\n{CODE},03/11/2026,fe\"male,34,syr,no\n",
            .rejected(line: 2, column: nil, reason: "double quote inside a field")
        ),
        (
            "text after a closing quote", header + "\n{CODE},03/11/2026,\"female\"x,34,syr,no\n",
            .rejected(line: 2, column: nil, reason: "text after the quote")
        ),
        (
            "wrong check symbol", header + "\n{BADCHECK},03/11/2026,female,34,syr,no\n",
            .rejected(line: 2, column: "code", reason: "check symbol does not match")
        ),
        (
            "unregistered code", header + "\n0000-0000-001X,03/11/2026,female,34,syr,no\n",
            .rejected(line: 2, column: "code", reason: "not registered")
        ),
        (
            "revoked code", header + "\n{REVOKED},03/11/2026,female,34,syr,no\n",
            .rejected(line: 2, column: "code", reason: "code revoked: ask a key holder")
        ),
        (
            "code with a foreign character", header + "\nK7M2-9QX4-HT3#,03/11/2026,female,34,syr,no\n",
            .rejected(line: 2, column: "code", reason: "character 14 is not a code symbol")
        ),
        (
            "code too short", header + "\nK7M2-9QX4,03/11/2026,female,34,syr,no\n",
            .rejected(line: 2, column: "code", reason: "8 symbols where codes here have 12")
        ),
        (
            "empty code", header + "\n,03/11/2026,female,34,syr,no\n",
            .rejected(line: 2, column: "code", reason: "the code is empty")
        ),
        (
            "duplicate row", header + "\n" + good + "\n" + good + "\n",
            .rejected(line: 3, column: "visit_date", reason: "same code and visit date as line 2")
        ),
        (
            "age out of range", header + "\n{CODE},03/11/2026,female,130,syr,no\n",
            .rejected(line: 2, column: "age", reason: "not an age")
        ),
        (
            "negative age", header + "\n{CODE},03/11/2026,female,-3,syr,no\n",
            .rejected(line: 2, column: "age", reason: "not an age")
        ),
        (
            "age band not Separa's", header + "\n{CODE},03/11/2026,female,20-30,syr,no\n",
            .rejected(line: 2, column: "age", reason: "not an age")
        ),
        (
            "text in a number column", header + "\n{CODE},03/11/2026,female,thirty,syr,no\n",
            .rejected(line: 2, column: "age", reason: "not an age")
        ),
        (
            "unknown choice", header + "\n{CODE},03/11/2026,robot,34,syr,no\n",
            .rejected(line: 2, column: "sex", reason: "not one of the choices")
        ),
        (
            "unknown yes/no", header + "\n{CODE},03/11/2026,female,34,syr,maybe\n",
            .rejected(line: 2, column: "unaccompanied_child", reason: "not one of the choices")
        ),
        (
            "impossible date", header + "\n{CODE},31/02/2026,female,34,syr,no\n",
            .rejected(line: 2, column: "visit_date", reason: "no such date")
        ),
        (
            "two-digit year", header + "\n{CODE},03/11/26,female,34,syr,no\n",
            .rejected(line: 2, column: "visit_date", reason: "four digits")
        ),
        (
            "date of the wrong shape", header + "\n{CODE},2026/11,female,34,syr,no\n",
            .rejected(line: 2, column: "visit_date", reason: "not a date in the declared format")
        ),
        (
            "empty visit date", header + "\n{CODE},,female,34,syr,no\n",
            .rejected(line: 2, column: "visit_date", reason: "required, but empty")
        ),
        (
            "empty required choice", header + "\n{CODE},03/11/2026,,34,syr,no\n",
            .rejected(line: 2, column: "sex", reason: "required, but empty")
        ),
        (
            "formula", header + "\n{CODE},03/11/2026,female,34,\"=HYPERLINK(\"\"http://x\"\",\"\"canary\"\")\",no\n",
            .rejected(line: 2, column: "nationality", reason: "spreadsheet formula")
        ),
        (
            "formula in a number column", header + "\n{CODE},03/11/2026,female,=30+4,syr,no\n",
            .rejected(line: 2, column: "age", reason: "spreadsheet formula")
        ),
        (
            "tick column not 0/1",
            "code,visit_date,sex,age,nationality,unaccompanied_child,needs/food\n" + good + ",maybe\n",
            .rejected(line: 2, column: "needs/food", reason: "write 1 if ticked")
        ),
    ]

    @Test(arguments: cases.indices)
    func malformedInput(index: Int) throws {
        let (name, template, expected) = Self.cases[index]
        let fixture = try IngestFixture()
        let code = fixture.codes[4]
        var badCheck = code.values
        badCheck[11] = (badCheck[11] + 1) % 29
        let revoked = fixture.codes[6]
        try fixture.store.database.write { db in
            try db.execute(sql: "UPDATE code SET status = 'revoked' WHERE code = ?", arguments: [revoked.canonical])
        }
        let text = template.replacingOccurrences(of: "{CODE2}", with: fixture.codes[5].display)
            .replacingOccurrences(of: "{CODE}", with: code.display)
            .replacingOccurrences(of: "{REVOKED}", with: revoked.display)
            .replacingOccurrences(
                of: "{BADCHECK}",
                with: CodeFormat.group(
                    String(decoding: badCheck.map { CodeAlphabet.asciiSymbols[Int($0)] }, as: UTF8.self)))
        let url = try fixture.file("sheet.csv", text)
        switch expected {
        case .refused(let fragment):
            do {
                _ = try fixture.ingest(url)
                Issue.record("\(name): the file was not refused")
            } catch {
                let message = "\(error)"
                #expect(message.contains(fragment), "\(name): \(message)")
                #expect(message.contains("sheet.csv"), "\(name): the message names the file")
                #expect(!message.contains("canary"), "\(name): the message repeats a value")
            }
            #expect(try fixture.records().isEmpty, "\(name): nothing is stored")
        case .rejected(let line, let column, let reason):
            let summary = try fixture.ingest(url)
            let rejection = try #require(summary.firstRejections.first { $0.line == line }, "\(name)")
            #expect(rejection.problem.description.contains(reason), "\(name): \(rejection.problem)")
            if let column { #expect(rejection.columnName == column, "\(name)") }
            #expect(!rejection.problem.description.contains("canary"), "\(name): the reason repeats a value")
            #expect(!rejection.problem.description.contains("thirty"), "\(name): the reason repeats a value")
            // Every row ends somewhere, and the rejected one is in the rejects file with its original cells.
            #expect(summary.stored + summary.alreadyPresent + summary.rejected == summary.read, "\(name)")
            let rows = try IngestFixture.rejects(summary)
            #expect(rows.contains { $0.first == String(line) }, "\(name): not in the rejects file")
        }
    }

    /// A 10 MB field is refused cleanly at its line, and the rows after it are still read.
    @Test func aTenMegabyteField() throws {
        let fixture = try IngestFixture()
        let huge = String(repeating: "x", count: 10 << 20)
        let text =
            IngestFixture.header + "\n" + IngestFixture.row(fixture.codes[4]) + "\n"
            + "\(fixture.codes[5].display),03/11/2026,\(huge),34,syr,no\n" + IngestFixture.row(fixture.codes[6]) + "\n"
        let summary = try fixture.ingest(try fixture.file("big.csv", text))
        #expect(summary.read == 3)
        #expect(summary.stored == 2)
        let rejection = try #require(summary.firstRejections.first)
        #expect(rejection.line == 3)
        #expect(rejection.problem.description.contains("field longer than"))
    }

    /// Bytes that are not UTF-8 in a file that starts as UTF-8 reject that row only.
    @Test func invalidUTF8LaterInTheFile() throws {
        let fixture = try IngestFixture()
        var bytes = Array(
            (IngestFixture.header + "\n"
                + IngestFixture.row(fixture.codes[4]).replacingOccurrences(of: "syr", with: "civ") + "\n").utf8)
        bytes += Array("\(fixture.codes[5].display),03/11/2026,female,34,".utf8) + [0xC3, 0x28] + Array(",no\n".utf8)
        bytes += Array((IngestFixture.row(fixture.codes[6]) + "\n").utf8)
        bytes.insert(contentsOf: Array("é".utf8), at: 0)  // make the header's first cell non-ASCII UTF-8…
        bytes.removeFirst(2)  // …then take it out again: detection sees well-formed UTF-8 only later
        let summary = try fixture.ingest(try fixture.file("mixed.csv", bytes: bytes))
        #expect(summary.read == 3)
        #expect(summary.rejected >= 1)
        #expect(summary.firstRejections.contains { $0.line == 3 })
    }
}
