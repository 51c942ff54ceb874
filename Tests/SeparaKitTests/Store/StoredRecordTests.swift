import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// The stored record is one type: what ingest writes through its fast path, `StoredRecord` reads back
/// whole, and a record written as a `StoredRecord` is stored byte for byte as ingest would store it.
@Suite("The stored record")
struct StoredRecordTests {
    @Test("what ingest stores reads back as the same answers, and the same answers encode to the same text")
    func ingestAndTheRecordTypeAgree() throws {
        let fixture = try IngestFixture()
        let code = fixture.codes[0]
        let url = try fixture.file("a.csv", IngestFixture.header + "\n" + IngestFixture.row(code) + "\n")
        let summary = try fixture.ingest(url)
        #expect(summary.stored == 1)

        let (record, text) = try fixture.store.database.read { db in
            (
                try #require(try StoredRecord.fetchOne(db)),
                try #require(try String.fetchOne(db, sql: "SELECT fields FROM record"))
            )
        }
        #expect(record.code == code.canonical)
        #expect(record.template == "intake")
        #expect(record.visitDate == "2026-11-03")
        #expect(record.fields["sex"] == .text("female"))
        #expect(record.fields["nationality"] == .text("syr"))
        #expect(record.importID == summary.importID)
        #expect(record.sourceLine == 2)
        // The record type's encoding is the store's encoding: the same text, byte for byte.
        #expect(record.fieldsJSON == text)

        // Written back under another key through the record type, it is the same record to ingest: importing
        // the same row for that key finds it already present.
        var copy = record
        copy.code = fixture.codes[1].canonical
        copy.importID = "COPY"
        try fixture.store.database.write { db in try copy.insert(db) }
        let again = try fixture.file("b.csv", IngestFixture.header + "\n" + IngestFixture.row(fixture.codes[1]) + "\n")
        let second = try fixture.ingest(again)
        #expect(second.alreadyPresent == 1 && second.stored == 0 && second.rejected == 0)
    }

    @Test("text that is not the store's JSON reads as a damaged record, never as someone else's answers")
    func damagedFieldsAreNotGuessed() {
        #expect(StoredRecord.fields(fromJSON: "not json") == nil)
        #expect(StoredRecord.fields(fromJSON: #"{"needs": [1, 2]}"#) == nil)
        #expect(
            StoredRecord.fields(fromJSON: #"{"age": 34, "needs": ["food"]}"#) == [
                "age": .number("34"), "needs": .list(["food"]),
            ])
    }
}
