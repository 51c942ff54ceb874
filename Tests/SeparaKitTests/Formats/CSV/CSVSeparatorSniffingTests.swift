import Foundation
import Testing

@testable import SeparaKit

@Suite("CSV reader: separator sniffing")
struct CSVSeparatorSniffingTests {
    func sniff(_ text: String, comments: CSVReadOptions.Comments = .none) throws -> CSVSeparator {
        try CSVReader(bytes: Array(text.utf8), options: .init(comments: comments)).separator
    }

    @Test func theSeparatorWithAConsistentCountWins() throws {
        #expect(try sniff("a,b,c\n1,2,3\n") == .comma)
        #expect(try sniff("a;b;c\n1;2;3\n") == .semicolon)
        #expect(try sniff("a\tb\tc\n1\t2\t3\n") == .tab)
    }

    @Test func decimalCommasDoNotFoolIt() throws {
        // Semicolon files from continental Europe: commas inside numbers vary from row to row.
        #expect(try sniff("weight;height;note\n3,5;1,20;x\n12;0,5;y\n") == .semicolon)
    }

    @Test func separatorsInsideQuotesDoNotCount() throws {
        #expect(try sniff("a;\"b,c,d\";e\n1;\"2,3\";4\n") == .semicolon)
        #expect(try sniff("a,\"b;c\nd;e\",f\n1,2,3\n") == .comma)
    }

    @Test func theMostFrequentConsistentCandidateWinsAndTiesGoToComma() throws {
        #expect(try sniff("a,b;c;d\n1,2;3;4\n") == .semicolon)
        #expect(try sniff("a,b;c\n1,2;3\n") == .comma)
    }

    @Test func withoutAConsistentCandidateTheHeaderDecides() throws {
        #expect(try sniff("a;b;c\n1;2\n1;2;3;4\n") == .semicolon)
    }

    @Test func aOneColumnFileOrAnEmptyFileIsComma() throws {
        #expect(try sniff("code\nA1\nA2\n") == .comma)
        #expect(try sniff("") == .comma)
    }

    @Test func aHeaderAloneWithoutLineBreakIsEnough() throws {
        #expect(try sniff("a\tb") == .tab)
    }

    @Test func emptyLinesAndCommentsAreLeftOut() throws {
        #expect(try sniff("\n\na;b\n\n1;2\n") == .semicolon)
        #expect(try sniff("# notes, with, commas\na;b\n1;2\n", comments: .skip) == .semicolon)
    }

    @Test func onlyTheFirstTwentyRecordsCount() throws {
        let text = "a;b\n" + String(repeating: "1;2\n", count: 19) + String(repeating: "1,2,3;4\n", count: 50)
        #expect(try sniff(text) == .semicolon)
    }
}
