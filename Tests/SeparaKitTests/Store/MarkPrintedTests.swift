import Foundation
import GRDB
import Testing

@testable import SeparaKit

@Suite("Marking codes printed")
struct MarkPrintedTests {
    @Test("Only issued codes become printed; the template is recorded on them when given")
    func onlyFromIssued() throws {
        let store = try Store.inMemory()
        let registry = CodeRegistry(store: store, randomLength: 11)
        var codes: [CaseCode] = []
        var random = SystemRandom()
        _ = try registry.issue(count: 4, prefix: "T", sink: { code, _, _ in codes.append(code) }, generator: &random)
        try store.database.write { db in
            try db.execute(sql: "UPDATE code SET status = 'used' WHERE code = ?", arguments: [codes[1].canonical])
            try db.execute(sql: "UPDATE code SET status = 'revoked' WHERE code = ?", arguments: [codes[2].canonical])
        }
        let unknown = CaseCode(randomValues: Array(repeating: 5, count: 11))
        #expect(try registry.markPrinted(codes: codes + [unknown], template: "intake") == 2)
        let rows = try store.database.read { db in
            try codes.map { try RegisteredCode.fetchOne(db, key: $0.canonical)! }
        }
        #expect(rows.map(\.status) == [.printed, .used, .revoked, .printed])
        #expect(rows.map(\.template) == ["intake", nil, nil, "intake"])
        // Printing again (a card for the same code) changes nothing and keeps the template.
        #expect(try registry.markPrinted(codes: codes) == 0)
        #expect(
            try store.database.read { db in try RegisteredCode.fetchOne(db, key: codes[0].canonical)!.template }
                == "intake")
    }

    @Test("A code printed on a card first gets the template of the form printed later; a recorded one stays")
    func templateAfterCard() throws {
        let store = try Store.inMemory()
        let registry = CodeRegistry(store: store, randomLength: 11)
        var codes: [CaseCode] = []
        var random = SystemRandom()
        _ = try registry.issue(count: 2, prefix: "T", sink: { code, _, _ in codes.append(code) }, generator: &random)
        #expect(try registry.markPrinted(codes: codes) == 2)
        #expect(try registry.markPrinted(codes: [codes[0]], template: "intake") == 0)
        #expect(try registry.markPrinted(codes: codes, template: "visit") == 0)
        let templates = try store.database.read { db in
            try codes.map { try RegisteredCode.fetchOne(db, key: $0.canonical)!.template }
        }
        #expect(templates == ["intake", "visit"])
    }

    @Test("New codes can be registered as printed with their template in the batch's own transaction")
    func issuedAsPrinted() throws {
        let store = try Store.inMemory()
        let registry = CodeRegistry(store: store, randomLength: 11)
        var random = SystemRandom()
        let issued = try registry.issue(
            count: 3, kind: "print", prefix: "T", status: .printed, template: "intake", generator: &random)
        var rows: [RegisteredCode] = []
        try registry.forEachCode(batch: issued.batch.id) { rows.append($0) }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.status == .printed && $0.template == "intake" })
    }
}
