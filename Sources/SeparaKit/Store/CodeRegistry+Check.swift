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
