import GRDB

/// What `separa codes check` (and ingest) says about one typed code.
public struct CodeCheck: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        /// A valid code in this registry, with its status and batch.
        case registered(CodeStatus, BatchID)
        /// A valid code that this workspace never issued (another site's, or a double misreading).
        case notRegistered
        /// Not a valid code. `nearby` lists registered codes one edit away (one substitution, one
        /// transposition, one twin error, one symbol missing or extra): candidates for a person to compare
        /// with the paper, never applied automatically.
        case invalid(CodeError, nearby: [CaseCode])
    }

    /// The text as given.
    public let input: String
    /// The parsed code when the input is valid.
    public let code: CaseCode?
    public let verdict: Verdict

    /// Whether the code is valid, registered and not revoked.
    public var isUsable: Bool {
        if case .registered(let status, _) = verdict { return status != .revoked }
        return false
    }
}

extension CodeRegistry {
    /// Checks each input: normalises it, validates the check symbol and length, looks it up in the registry,
    /// and for an invalid code lists the registered codes one edit away.
    public func check(_ inputs: [String]) throws(StoreError) -> [CodeCheck] {
        try store.read("checking codes") { db in
            try inputs.map { input in try check(input, db) }
        }
    }

    func check(_ input: String, _ db: Database) throws -> CodeCheck {
        let code: CaseCode
        do {
            code = try CaseCode.parse(input, expectedRandomLength: randomLength)
        } catch {
            var nearby: [CaseCode] = []
            if let values = try? CodeNormalizer.values(of: input) {
                nearby = try registered(among: CodeNeighbours.candidates(of: values, randomLength: randomLength), db)
            }
            return CodeCheck(input: input, code: nil, verdict: .invalid(error, nearby: nearby))
        }
        if let row = try RegisteredCode.current(db, code: code.canonical) {
            return CodeCheck(input: input, code: code, verdict: .registered(row.status, row.batch))
        }
        return CodeCheck(input: input, code: code, verdict: .notRegistered)
    }

    /// The codes of `candidates` that are in the registry, sorted.
    func registered(among candidates: Set<CaseCode>, _ db: Database) throws -> [CaseCode] {
        guard !candidates.isEmpty else { return [] }
        let keys = candidates.map(\.canonical)
        let found = try String.fetchSet(db, RegisteredCode.select(Column("code")).filter(keys: keys))
        return candidates.filter { found.contains($0.canonical) }.sorted()
    }
}

/// Valid codes one edit away from a mistyped one.
public enum CodeNeighbours {
    /// Every valid code of the workspace's length reachable from `values` by one substitution, one
    /// transposition (any distance), one twin error (`aa→bb` on neighbours), one inserted symbol (when one is
    /// missing) or one deleted symbol (when one is extra).
    public static func candidates(of values: [UInt8], randomLength: Int) -> Set<CaseCode> {
        let length = randomLength + 1
        var result = Set<CaseCode>()
        func consider(_ candidate: [UInt8]) {
            if let code = CaseCode(values: candidate) { result.insert(code) }
        }
        let alphabet = UInt8(CodeAlphabet.count)
        if values.count == length {
            for position in 0..<length {
                var candidate = values
                for symbol in 0..<alphabet where symbol != values[position] {
                    candidate[position] = symbol
                    consider(candidate)
                }
            }
            for i in 0..<length {
                for j in (i + 1)..<length where values[i] != values[j] {
                    var candidate = values
                    candidate.swapAt(i, j)
                    consider(candidate)
                }
            }
            for i in 0..<(length - 1) where values[i] == values[i + 1] {
                for symbol in 0..<alphabet where symbol != values[i] {
                    var candidate = values
                    candidate[i] = symbol
                    candidate[i + 1] = symbol
                    consider(candidate)
                }
            }
        } else if values.count == length - 1 {
            for position in 0...values.count {
                for symbol in 0..<alphabet {
                    var candidate = values
                    candidate.insert(symbol, at: position)
                    consider(candidate)
                }
            }
        } else if values.count == length + 1 {
            for position in 0..<values.count {
                var candidate = values
                candidate.remove(at: position)
                consider(candidate)
            }
        }
        return result
    }
}
