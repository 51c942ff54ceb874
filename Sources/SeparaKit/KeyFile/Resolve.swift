import Foundation

/// Why `separa key resolve` changed nothing.
public enum ResolveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not start with the rejects columns `separa ingest` writes.
    case notARejectsFile(file: String)
    /// No header cell names the case code column.
    case noCodeColumn(file: String)

    public var description: String {
        switch self {
        case .notARejectsFile(let file):
            return
                "\(file):1: not a rejects file of separa ingest (its first columns are \(HeaderMapping.rejectsColumns.joined(separator: ", "))): give the output/rejects-….csv file"
        case .noCodeColumn(let file):
            return "\(file):1: no column is the case code (a header 'code' or 'Case code'): check the header row"
        }
    }
}

/// What ``KeyFile/resolve(rejects:output:passphrase:now:)`` did.
public struct ResolveSummary: Sendable, Equatable {
    /// The file written.
    public let output: URL
    /// Rows read (blank rows not counted).
    public let rows: Int
    /// Rows whose revoked code was replaced by the person's current code.
    public let resolved: Int
    /// Rows with a revoked code that the key file does not link to anyone (purged, or never added).
    public let unresolvable: Int
}

extension KeyFile {
    /// `separa key resolve`: rewrites the rows of an ingest rejects file whose code was revoked by a reissue,
    /// so that they carry the person's current code and can be imported again.
    ///
    /// The file is streamed; every row is written back with its cells unchanged except, in a resolved row,
    /// the code cell (now the current code) and `rejected_reason` (saying it was resolved). The old code
    /// does not appear in the result: nothing written here pairs an old code with a new one. Written
    /// atomically to `output` (default: over the rejects file itself). Audited with counts only.
    public func resolve(rejects: URL, output: URL? = nil, passphrase: AgePassphrase, now: Date = Date()) throws
        -> ResolveSummary
    {
        let file = rejects.lastPathComponent
        let reader: CSVReader
        do {
            reader = try CSVReader(url: rejects, name: file)
        } catch {
            throw SheetError.unreadable(error)
        }
        let header: [String]
        do {
            guard let first = try reader.next() else { throw SheetError.noHeader(file: file) }
            header = first.fields
        } catch let error as CSVError {
            throw SheetError.unreadableHeader(error)
        }
        let prefix = HeaderMapping.rejectsColumns.count
        guard header.count > prefix,
            header.prefix(prefix).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
                == HeaderMapping.rejectsColumns
        else { throw ResolveError.notARejectsFile(file: file) }
        let codeNames = Set(TranscriptionColumn.codeHeaders.map(TextKey.normalize))
        guard
            let codeColumn = header.indices.dropFirst(prefix).first(where: {
                codeNames.contains(TextKey.normalize(header[$0]))
            })
        else { throw ResolveError.noCodeColumn(file: file) }
        let reasonColumn = 2

        let content = try unlock(passphrase: passphrase, now: now)
        let store = try workspace.openStore()
        let randomLength = workspace.config.codes.randomLength
        let destination = output ?? rejects
        let writer = try AtomicFileWriter(destination, mode: 0o600)
        let csv = CSVWriter(options: CSVWriteOptions(separator: reader.separator, byteOrderMark: true))
        var rows = 0
        var resolved = 0
        var unresolvable = 0
        do {
            var bytes = csv.preamble
            csv.append(header, to: &bytes)
            try writer.write(bytes)
            let revoked = try CodeRegistry(workspace: workspace, store: store).revokedCodes()
            do {
                while let result = reader.nextResult() {
                    var cells: [String]
                    switch result {
                    case .success(let record): cells = record.fields
                    case .failure(let error):
                        // A rejects file Separa wrote is well-formed CSV: one that is not was edited badly.
                        throw SheetError.unreadable(error)
                    }
                    if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
                    rows += 1
                    if codeColumn < cells.count,
                        let code = try? CaseCode.parse(cells[codeColumn], expectedRandomLength: randomLength),
                        revoked.contains(code.canonical)
                    {
                        if let current = content.currentCode(replacing: code.canonical),
                            let currentCode = try? CaseCode.parse(current, expectedRandomLength: randomLength)
                        {
                            cells[codeColumn] = currentCode.display
                            if reasonColumn < cells.count { cells[reasonColumn] = Self.resolvedReason }
                            resolved += 1
                        } else {
                            unresolvable += 1
                        }
                    }
                    var line: [UInt8] = []
                    csv.append(cells, to: &line)
                    try writer.write(line)
                }
            }
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
        try AuditLog.append(
            to: store, action: .keyResolve,
            detail: ["rows": String(rows), "resolved": String(resolved), "unresolvable": String(unresolvable)],
            now: now)
        return ResolveSummary(output: destination, rows: rows, resolved: resolved, unresolvable: unresolvable)
    }

    /// The `rejected_reason` of a row that `key resolve` rewrote.
    public static let resolvedReason = "code replaced by the person's current code (separa key resolve): import again"
}
