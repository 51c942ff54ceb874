import Foundation
import Testing

@testable import SeparaKit

/// Helpers for the CSV reader tests.
enum CSVTest {
    /// Options as the conformance suites need them: comma, every record kept, any field count.
    static let plain = CSVReadOptions(separator: .fixed(.comma), emptyLines: .keep, fieldCount: .any)

    /// Reads `bytes` to the end. With `chunk`, the source hands out at most that many bytes per read and
    /// the reader sniffs nothing ahead, so block boundaries fall at every position inside records.
    static func read(
        bytes: [UInt8], options: CSVReadOptions = plain, chunk: Int? = nil, name: String = "test.csv"
    ) throws -> (results: [Result<CSVRecord, CSVError>], reader: CSVReader) {
        let source = CSVByteSource(bytes: bytes, name: name)
        source.maximumReadSize = chunk
        let reader = try CSVReader(
            source: source, options: options, sniffWindow: chunk == nil ? CSVReader.sniffWindow : 1)
        var results: [Result<CSVRecord, CSVError>] = []
        while let result = reader.nextResult() {
            results.append(result)
            if results.count > bytes.count + 2 {
                Issue.record("reader does not end")
                break
            }
        }
        return (results, reader)
    }

    static func read(_ text: String, options: CSVReadOptions = plain, chunk: Int? = nil) throws
        -> [Result<CSVRecord, CSVError>]
    {
        try read(bytes: Array(text.utf8), options: options, chunk: chunk).results
    }

    /// The fields of every record, or nil if any record failed.
    static func fields(_ results: [Result<CSVRecord, CSVError>]) -> [[String]]? {
        var all: [[String]] = []
        for result in results {
            guard case .success(let record) = result else { return nil }
            all.append(record.fields)
        }
        return all
    }

    static func errors(_ results: [Result<CSVRecord, CSVError>]) -> [CSVError] {
        results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
    }

    static func records(_ results: [Result<CSVRecord, CSVError>]) -> [CSVRecord] {
        results.compactMap { try? $0.get() }
    }
}

/// A small deterministic generator (SplitMix64) for reproducible random inputs.
struct CSVTestRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
