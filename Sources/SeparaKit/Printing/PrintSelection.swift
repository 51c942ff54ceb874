import Foundation

/// Which codes a print run puts on paper.
public enum CodeSelection: Hashable, Sendable {
    /// Issue this many new codes (a new batch of kind `print`, drawn from the system's CSPRNG) and print them.
    case new(count: Int)
    /// Every code of an existing batch, except revoked ones.
    case batch(BatchID)
    /// The codes listed in a file, one per line (blank lines and `#` comments skipped); every one must be
    /// valid, registered and not revoked.
    case list(path: String)
}

/// What a print run produced.
public struct PrintOutcome: Sendable {
    /// The PDF written, or for thermal labels the folder of PNG files.
    public let output: URL
    /// Codes printed.
    public let codeCount: Int
    /// PDF pages, or PNG files.
    public let pageCount: Int
    /// The batch printed or issued; nil for a list of codes.
    public let batch: BatchID?
    /// Codes whose status went from `issued` to `printed`.
    public let newlyPrinted: Int
    /// Revoked codes of the batch that were left out.
    public let skippedRevoked: Int
}

/// Finds the codes a ``CodeSelection`` names, issuing new ones when asked.
enum PrintSelection {
    struct Resolved {
        var codes: [CaseCode]
        var batch: BatchID?
        var skippedRevoked: Int
        var issued: Bool
    }

    /// The codes to print. For ``CodeSelection/new(count:)`` this registers a new batch of kind `print`.
    static func resolve(
        _ selection: CodeSelection, workspace: Workspace, store: Store, note: String, now: Date = Date()
    ) throws -> Resolved {
        let registry = CodeRegistry(workspace: workspace, store: store)
        switch selection {
        case .new(let count):
            var random = SystemRandom()
            var codes: [CaseCode] = []
            codes.reserveCapacity(count)
            let issued = try registry.issue(
                count: count, kind: "print", note: note, prefix: workspace.config.site.prefix, now: now,
                sink: { code, _, _ in codes.append(code) }, generator: &random)
            return Resolved(codes: codes, batch: issued.batch.id, skippedRevoked: 0, issued: true)
        case .batch(let batch):
            var codes: [CaseCode] = []
            var revoked = 0
            try registry.forEachCode(batch: batch) { row in
                if row.status == .revoked {
                    revoked += 1
                } else if let code = try? CaseCode.parse(row.code) {
                    codes.append(code)
                }
            }
            if codes.isEmpty { throw PrintingError.nothingToPrint(batch: batch) }
            return Resolved(codes: codes, batch: batch, skippedRevoked: revoked, issued: false)
        case .list(let path):
            let lines = try CodeListFile.readNumbered(path: path)
            if lines.isEmpty { throw PrintingError.emptyCodeList(path: path) }
            let checks = try registry.check(lines.map(\.text))
            var codes: [CaseCode] = []
            var problems: [RowDiagnostic] = []
            for (line, check) in zip(lines, checks) {
                switch check.verdict {
                case .registered(.revoked, _):
                    problems.append(
                        RowDiagnostic(
                            file: path, line: line.line, reason: "revoked code: ask a key holder for the current code"))
                case .registered:
                    if let code = check.code { codes.append(code) }
                case .notRegistered:
                    problems.append(
                        RowDiagnostic(
                            file: path, line: line.line, reason: "valid, but not registered in this workspace"))
                case .invalid(let error, _):
                    problems.append(RowDiagnostic(file: path, line: line.line, reason: "not a code: \(error)"))
                }
            }
            if !problems.isEmpty { throw PrintingError.codeList(path: path, problems: problems) }
            return Resolved(codes: codes, batch: nil, skippedRevoked: 0, issued: false)
        }
    }

    /// Runs `render` for freshly resolved codes; when the codes were just issued and rendering fails, the
    /// error says so and how to print them later.
    static func render<T>(_ resolved: Resolved, _ render: () throws -> T) throws -> T {
        do {
            return try render()
        } catch {
            if resolved.issued, let batch = resolved.batch {
                throw PrintingError.printingFailedAfterIssuing(
                    batch: batch, count: resolved.codes.count, reason: "\(error)")
            }
            throw error
        }
    }
}

extension PrintSelection.Resolved {
    /// Records in the output manifest that the file `name` (in `output/`) holds these codes: by batch when
    /// they came from one, else code by code.
    func recordOutput(_ name: String, in store: Store, now: Date) throws {
        if let batch {
            try store.recordOutput(name, batches: [batch], now: now)
        } else {
            try store.recordOutput(name, codes: codes.map(\.canonical), now: now)
        }
    }
}
