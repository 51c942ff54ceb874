import Foundation
import GRDB
import Testing

@testable import SeparaKit

@Suite("Code registry")
struct CodeRegistryTests {
    let store: Store
    let registry: CodeRegistry

    init() throws {
        store = try Store.inMemory()
        registry = CodeRegistry(store: store, randomLength: 11)
    }

    @Test func issuesABatchOfDistinctValidCodes() throws {
        var rng = SeededGenerator(seed: 1)
        var seen: [CaseCode] = []
        let result = try registry.issue(
            count: 500, prefix: "TEST", sink: { code, _, _ in seen.append(code) }, generator: &rng)
        #expect(result.batch.codeCount == 500)
        #expect(Set(seen).count == 500)
        let stored = try store.database.read { db in try RegisteredCode.fetchAll(db) }
        #expect(stored.count == 500)
        #expect(stored.allSatisfy { $0.status == .issued && $0.batch == result.batch.id && $0.template == nil })
        #expect(Set(stored.map(\.code)) == Set(seen.map(\.canonical)))
        #expect(stored.allSatisfy { (try? CaseCode.parse($0.code, expectedRandomLength: 11)) != nil })
    }

    /// A generator that repeats itself draws the same codes; the registry redraws every duplicate.
    @Test func duplicatesOfTheRegistryAreRedrawn() throws {
        var first = SeededGenerator(seed: 7)
        let one = try registry.issue(count: 50, prefix: "TEST", generator: &first)
        var again = SeededGenerator(seed: 7)
        let two = try registry.issue(count: 60, prefix: "TEST", generator: &again)
        #expect(two.redraws == 50)
        #expect(one.batch.id != two.batch.id)
        #expect(try store.database.read { db in try RegisteredCode.fetchCount(db) } == 110)
    }

    @Test func batchIdsCountUpPerDay() throws {
        var rng = SeededGenerator(seed: 3)
        let day = Date(timeIntervalSince1970: 1_795_000_000)
        let a = try registry.issue(count: 1, prefix: "ROMA", now: day, generator: &rng)
        let b = try registry.issue(count: 1, prefix: "ROMA", now: day, generator: &rng)
        let stamp = Timestamp.localDay(day).replacingOccurrences(of: "-", with: "")
        #expect(a.batch.id.rawValue == "ROMA-\(stamp)-1")
        #expect(b.batch.id.rawValue == "ROMA-\(stamp)-2")
    }

    @Test(arguments: [0, -1, CodeRegistry.maximumBatch + 1])
    func refusesBadCounts(count: Int) throws {
        var rng = SeededGenerator(seed: 1)
        #expect(throws: CodeRegistryError.invalidCount(count)) {
            try registry.issue(count: count, prefix: "TEST", generator: &rng)
        }
        #expect(try store.database.read { db in try Batch.fetchCount(db) } == 0)
    }

    @Test func refusesToFillTheCodeSpace() throws {
        let short = CodeRegistry(store: store, randomLength: 6)
        var rng = SeededGenerator(seed: 1)
        #expect(throws: CodeRegistryError.codeSpaceTooSmall(randomLength: 6, limit: short.capacity)) {
            try short.issue(count: short.capacity + 1, prefix: "TEST", generator: &rng)
        }
        #expect(try store.database.read { db in try Batch.fetchCount(db) } == 0)
    }

    @Test func aFailingSinkRegistersNothing() throws {
        struct Boom: Error {}
        var rng = SeededGenerator(seed: 1)
        #expect(throws: Boom.self) {
            try registry.issue(count: 10, prefix: "TEST", sink: { _, _, _ in throw Boom() }, generator: &rng)
        }
        #expect(try store.database.read { db in try RegisteredCode.fetchCount(db) } == 0)
    }

    @Test func notesAreOneShortLine() throws {
        var rng = SeededGenerator(seed: 1)
        #expect(throws: CodeRegistryError.invalidNote) {
            try registry.issue(count: 1, note: "a\nb", prefix: "TEST", generator: &rng)
        }
        #expect(throws: CodeRegistryError.invalidNote) {
            try registry.issue(count: 1, note: String(repeating: "x", count: 201), prefix: "TEST", generator: &rng)
        }
    }

    @Test func checkTellsRegisteredUnregisteredAndInvalidApart() throws {
        var rng = SeededGenerator(seed: 11)
        var codes: [CaseCode] = []
        _ = try registry.issue(count: 20, prefix: "TEST", sink: { code, _, _ in codes.append(code) }, generator: &rng)
        let registered = codes[0]
        let unregistered = CodeGenerator(randomLength: 11).next(using: &rng)
        var typo = registered.values
        typo[3] = (typo[3] + 1) % 29
        let typed = CodeFormat.group(String(decoding: typo.map { CodeAlphabet.asciiSymbols[Int($0)] }, as: UTF8.self))

        let results = try registry.check([registered.display.lowercased(), unregistered.display, typed])
        let batch = try store.database.read { db in try RegisteredCode.fetchOne(db, key: registered.canonical)?.batch }
        #expect(results[0].verdict == .registered(.issued, try #require(batch)))
        #expect(results[0].isUsable)
        #expect(results[1].verdict == .notRegistered)
        #expect(!results[1].isUsable)
        guard case .invalid(.checkSymbolMismatch, let nearby) = results[2].verdict else {
            Issue.record("a substitution must be invalid")
            return
        }
        #expect(nearby.contains(registered))
        #expect(results[2].code == nil)
    }

    /// Each kind of single error on a registered code leads back to it, and only as a suggestion.
    @Test func suggestionsCoverEveryKindOfSingleError() throws {
        var rng = SeededGenerator(seed: 5)
        var codes: [CaseCode] = []
        _ = try registry.issue(count: 30, prefix: "TEST", sink: { code, _, _ in codes.append(code) }, generator: &rng)
        for code in codes {
            let v = code.values
            var variants: [[UInt8]] = []
            var substituted = v
            substituted[5] = (v[5] + 7) % 29
            variants.append(substituted)
            if let i = (0..<(v.count - 1)).first(where: { v[$0] != v[$0 + 1] }) {
                var swapped = v
                swapped.swapAt(i, i + 1)
                variants.append(swapped)
            }
            var missing = v
            missing.remove(at: 4)
            variants.append(missing)
            var extra = v
            extra.insert(v[2] == 0 ? 1 : 0, at: 2)
            variants.append(extra)
            for variant in variants {
                let typed = String(decoding: variant.map { CodeAlphabet.asciiSymbols[Int($0)] }, as: UTF8.self)
                let result = try #require(try registry.check([typed]).first)
                guard case .invalid(_, let nearby) = result.verdict else {
                    Issue.record("a single error must not be accepted")
                    continue
                }
                #expect(nearby.contains(code))
            }
        }
    }

    @Test func revokedCodesAreNotUsable() throws {
        var rng = SeededGenerator(seed: 2)
        var codes: [CaseCode] = []
        _ = try registry.issue(count: 1, prefix: "TEST", sink: { code, _, _ in codes.append(code) }, generator: &rng)
        try store.database.write { db in
            try db.execute(sql: "UPDATE code SET status = 'revoked'")
        }
        let result = try #require(try registry.check([codes[0].display]).first)
        guard case .registered(.revoked, _) = result.verdict else {
            Issue.record("expected revoked")
            return
        }
        #expect(!result.isUsable)
    }

    @Test func listingStreamsByBatchAndStatus() throws {
        var rng = SeededGenerator(seed: 9)
        let a = try registry.issue(count: 5, prefix: "TEST", generator: &rng)
        _ = try registry.issue(count: 7, prefix: "TEST", generator: &rng)
        var listed: [RegisteredCode] = []
        try registry.forEachCode(batch: a.batch.id) { listed.append($0) }
        #expect(listed.count == 5)
        #expect(listed.map(\.code) == listed.map(\.code).sorted())
        var issued = 0
        try registry.forEachCode(status: .issued) { _ in issued += 1 }
        #expect(issued == 12)
        #expect(throws: CodeRegistryError.unknownBatch(BatchID(rawValue: "NOPE"))) {
            try registry.forEachCode(batch: BatchID(rawValue: "NOPE")) { _ in }
        }
    }

    @Test func infoGivesTheDesignOdds() throws {
        let info = try registry.info()
        // DESIGN.md: a million codes at uncoordinated sites collide with chance about 4e-5; a guess hits
        // one of a million issued codes with chance about 8e-11.
        #expect(abs(info.collisionProbability(codes: 1_000_000) - 4.1e-5) < 0.1e-5)
        #expect(abs(info.guessProbability(issued: 1_000_000) - 8.2e-11) < 0.1e-11)
        #expect(info.bits > 53 && info.bits < 54)
    }
}

@Suite("Code generator")
struct CodeGeneratorTests {
    /// Every symbol appears about equally often at every position (chi-squared, 28 degrees of freedom;
    /// the 99.99th percentile is about 66).
    @Test func symbolsAreUniformAtEveryPosition() {
        var rng = SystemRandom()
        let generator = CodeGenerator(randomLength: 11)
        let draws = 29 * 2_000
        var counts = Array(repeating: Array(repeating: 0, count: 29), count: 11)
        for _ in 0..<draws {
            let code = generator.next(using: &rng)
            for position in 0..<11 { counts[position][Int(code.values[position])] += 1 }
        }
        let expected = Double(draws) / 29
        for position in 0..<11 {
            let chi2 = counts[position].reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
            #expect(chi2 < 66, "position \(position): chi² \(chi2)")
        }
    }

    @Test func systemRandomDoesNotRepeat() {
        var rng = SystemRandom(blockWords: 4)
        var seen = Set<UInt64>()
        for _ in 0..<10_000 { seen.insert(rng.next()) }
        #expect(seen.count == 10_000)
    }
}
