import Foundation
import Testing

@testable import SeparaKit

/// The third-party CSV suites in `../shared/testdata/csv-suites` (FastCSV's data-driven spec and
/// csv-spectrum), read where they lie; skipped visibly when that folder is absent.
///
/// Deliberate deviations (the suites allow a parser to reject these inputs, "exceptionAllowed"):
/// - `open-quotation-1`, `open-quotation-2` (`A,"B`, `"A,B`): a quote that is never closed swallows
///   the rest of the file, so the reader always reports ``CSVError/unclosedQuote(_:openedOnLine:)``
///   instead of guessing where the field ends, in strict and lenient mode alike.
/// - In the default strict mode, every check with a misplaced quote (`open-quotation-3`,
///   `spaces-around-quotes-*`) is rejected with the line and column; lenient mode reads them as the
///   suite expects.
/// - csv-spectrum `location_coordinates` has a bare `"` inside an unquoted field (`37°36'37.8"N`):
///   strict mode rejects that row; lenient mode reads it. Its expected JSON is known to be wrong
///   (see the suite's README), so only the fields other than the phone number are compared.
@Suite("CSV conformance suites", .enabled(if: TestPaths.hasSharedTestData, TestPaths.sharedTestDataMissing))
struct CSVConformanceTests {
    static var suites: URL { TestPaths.sharedTestData!.appendingPathComponent("csv-suites") }

    /// Checks that may fail in every mode, by design (see above).
    static let alwaysRejected: Set<String> = ["open-quotation-1", "open-quotation-2"]

    struct Check {
        var id: String
        var input: String
        var records: [[String]]
        var exceptionAllowed: Bool
        var options: CSVReadOptions
    }

    /// Every FastCSV check, expanded as its README says (`⏎` three ways, `␠` three ways).
    static func fastCSVChecks() throws -> [Check] {
        let folder = suites.appendingPathComponent("fastcsv/spec-json")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
        var checks: [Check] = []
        for file in files {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            let settings = json["settings"] as? [String: Any] ?? [:]
            var options = CSVTest.plain
            switch settings["commentMode"] as? String ?? "NONE" {
            case "SKIP": options.comments = .skip
            case "READ": options.comments = .read
            default: options.comments = .none
            }
            options.emptyLines = settings["skipEmptyLines"] as? Bool == true ? .skip : .keep
            let exceptionAllowed = settings["exceptionAllowed"] as? Bool == true
            for entry in try #require(json["checks"] as? [[String: Any]]) {
                let id = try #require(entry["id"] as? String)
                let input = try #require(entry["input"] as? String)
                let records = try #require(entry["records"] as? [[String]])
                for lineBreak in input.contains("⏎") ? ["\n", "\r\n", "\r"] : [""] {
                    for space in input.contains("␠") ? [" ", "\t", "\u{0C}"] : [""] {
                        func expand(_ text: String) -> String {
                            text.replacingOccurrences(of: "␊", with: "\n").replacingOccurrences(of: "␍", with: "\r")
                                .replacingOccurrences(of: "␤", with: "\r\n").replacingOccurrences(
                                    of: "⏎", with: lineBreak
                                )
                                .replacingOccurrences(of: "␠", with: space)
                        }
                        checks.append(
                            Check(
                                id: "\(id) \(lineBreak.debugDescription)\(space.debugDescription)",
                                input: expand(input), records: records.map { $0.map(expand) },
                                exceptionAllowed: exceptionAllowed, options: options))
                    }
                }
            }
        }
        return checks
    }

    @Test(arguments: ["strict", "lenient", "strict, sniffed separator"])
    func fastCSVSpec(mode: String) throws {
        let checks = try Self.fastCSVChecks()
        #expect(checks.count >= 52)
        var rejected: [String] = []
        for check in checks {
            var options = check.options
            if mode.hasPrefix("lenient") { options.quoting = .lenient }
            if mode.hasSuffix("sniffed separator") { options.separator = .sniff }
            for chunk in [nil, 1] {
                let results = try CSVTest.read(bytes: Array(check.input.utf8), options: options, chunk: chunk).results
                if let fields = CSVTest.fields(results) {
                    #expect(fields == check.records, "\(check.id) (\(mode))")
                } else {
                    #expect(check.exceptionAllowed, "\(check.id) (\(mode)) failed: \(CSVTest.errors(results))")
                    if chunk == nil { rejected.append(String(check.id.prefix { $0 != " " })) }
                }
            }
        }
        if mode == "lenient" {
            #expect(Set(rejected) == Self.alwaysRejected)
        } else {
            #expect(Set(rejected).isSuperset(of: Self.alwaysRejected))
            #expect(Set(rejected).contains("spaces-around-quotes-1"))
        }
    }

    @Test func fastCSVEncodingFiles() throws {
        let folder = Self.suites.appendingPathComponent("fastcsv")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "csv" && $0.lastPathComponent.hasPrefix("utf") }
        #expect(files.count >= 4)
        for file in files {
            let reader = try CSVReader(url: file, options: .init())
            var fields: [[String]] = []
            while let record = try reader.next() { fields.append(record.fields) }
            #expect(fields == [["foo", "üÜß"], ["123", "456"]], "\(file.lastPathComponent)")
            let expected: [String: CSVEncoding] = [
                "utf8": .utf8, "utf16le": .utf16LittleEndian, "utf16be": .utf16BigEndian,
                "utf32le": .utf32LittleEndian, "utf32be": .utf32BigEndian,
            ]
            let stem = String(file.lastPathComponent.prefix { $0 != "_" })
            #expect(reader.encoding == expected[stem], "\(file.lastPathComponent)")
            #expect(reader.hasByteOrderMark == file.lastPathComponent.contains("_bom"))
        }
    }

    @Test(arguments: ["strict", "lenient"])
    func csvSpectrum(mode: String) throws {
        let folder = Self.suites.appendingPathComponent("csv-spectrum")
        let inputs = try FileManager.default.contentsOfDirectory(
            at: folder.appendingPathComponent("csvs"), includingPropertiesForKeys: nil
        ).filter { $0.pathExtension == "csv" }.sorted { $0.path < $1.path }
        #expect(inputs.count >= 9)
        for input in inputs {
            let name = input.deletingPathExtension().lastPathComponent
            let json = try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("json/\(name).json")))
            let reader = try CSVReader(url: input, options: .init(quoting: mode == "lenient" ? .lenient : .strict))
            #expect(reader.separator == .comma)
            var results: [Result<CSVRecord, CSVError>] = []
            while let result = reader.nextResult() { results.append(result) }
            let header = try #require(try results.first?.get().fields)
            if name == "location_coordinates" {
                // Known defect upstream (README): compare every field but the phone number.
                let expected = try #require(json as? [String: String])
                if mode == "strict" {
                    guard case .failure(.quoteInUnquotedField(let context)) = results.last else {
                        Issue.record("strict mode should reject the bare quote: \(results)")
                        continue
                    }
                    #expect((context.line, context.column) == (2, 2))
                    continue
                }
                let row = try results[1].get().fields
                for (key, value) in zip(header, row) where key != "Contact Phone Number" {
                    #expect(expected[key] == value, "\(name): \(key)")
                }
                continue
            }
            let expected = try #require(json as? [[String: String]], "\(name)")
            let rows = try results.dropFirst().map { try $0.get().fields }
            let objects = rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
            #expect(objects == expected, "\(name) (\(mode))")
        }
    }
}
