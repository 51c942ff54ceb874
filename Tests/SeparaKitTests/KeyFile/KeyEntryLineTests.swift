import Foundation
import Testing

@testable import SeparaKit

@Suite("Key file lines")
struct KeyEntryLineTests {
    static let entries: [KeyEntry] = [
        KeyEntry(code: "K7M29QX4HT3C", template: "intake", fields: [:], addedAt: "2026-11-27T10:00:00Z"),
        KeyEntry(
            code: "K7M29QX4HT3C", template: "intake",
            fields: [
                "given_name": "Aïcha", "family_name": "Pérez/García", "phone": "+221 771234567", "consent": "yes",
            ],
            addedAt: "2026-11-27T10:00:00Z",
            history: [
                KeyHistoryEvent(from: "0000000000AA", to: "1111111111BB", reason: "lost", at: "2026-11-28T09:00:00Z"),
                KeyHistoryEvent(
                    from: "1111111111BB", to: "K7M29QX4HT3C", reason: "damaged", at: "2026-11-29T09:00:00Z"),
            ]),
        // Outside the fast path: quotes, backslashes, control characters, unusual field names.
        KeyEntry(
            code: "K7M29QX4HT3C", template: "intake", fields: ["given_name": "Ana \"Nana\" \\ B\tC\u{1}"],
            addedAt: "2026-11-27T10:00:00Z"),
        KeyEntry(
            code: "K7M29QX4HT3C", template: "intake", fields: ["Name2": "x", "name10": "y", "name9": "z"],
            addedAt: "2026-11-27T10:00:00Z"),
    ]

    static func foundationLine(_ entry: KeyEntry) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(entry))
    }

    @Test(arguments: entries)
    func theWrittenLineIsJSONEncodersAndReadsBack(_ entry: KeyEntry) throws {
        let expected = try Self.foundationLine(entry)
        var fast: [UInt8] = []
        if KeyEntryLine.append(entry, to: &fast) { #expect(fast == expected) }
        // Whole files: what encoded() writes is what JSONEncoder writes, and parse() gives the entry back.
        let content = KeyFileContent(identity: .generate(), entries: [entry], savedAt: "2026-11-28T09:00:00Z")
        let data = content.encoded()
        let lastLine = Array(data.split(separator: 0x0A).last!)
        #expect(lastLine == expected)
        #expect(try KeyFileContent.parse(data, path: "k").sortedEntries == [entry])
    }

    @Test func theCommonEntriesTakeTheFastPath() {
        var out: [UInt8] = []
        #expect(KeyEntryLine.append(Self.entries[0], to: &out))
        #expect(KeyEntryLine.append(Self.entries[1], to: &out))
        #expect(!KeyEntryLine.append(Self.entries[2], to: &out))
    }

    @Test func handEditedLinesStillOpen() throws {
        let identity = AgeX25519Identity.generate()
        let text = """
            # separa key file v1
            \(identity.secretKeyString)
            {"saved_at":"2026-11-28T09:00:00Z"}
            { "code": "K7M29QX4HT3C", "template": "intake", "fields": {"given_name": "Ana"}, "added_at": "2026-11-27T10:00:00Z" }
            {"added_at":"2026-11-27T10:00:00Z","code":"0000000000AA","fields":{"given_name":"Jos\\u00e9 \\/ \\"B\\""},"history":[],"template":"intake"}

            """
        let parsed = try KeyFileContent.parse(Data(text.utf8), path: "k")
        #expect(parsed.entry(for: "K7M29QX4HT3C")?.fields == ["given_name": "Ana"])
        #expect(parsed.entry(for: "0000000000AA")?.fields == ["given_name": "José / \"B\""])
        #expect(throws: KeyFileError.self) {
            try KeyFileContent.parse(Data((text + "{\"code\":\"X\"}\n").utf8), path: "k")
        }
    }
}
