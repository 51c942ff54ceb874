import Foundation

/// Ingest's side of one file's import, inside its transaction: which rows the store refuses, and why.
/// The store's side (statements, the `record` and `import` tables) is ``RecordImport``.
struct StoreSession {
    let records: RecordImport
    let template: Template
    let options: Ingest.Options
    let randomLength: Int

    var stored = 0
    var present = 0
    var replaced = 0
    var replacedCodes: [String] = []

    init(records: RecordImport, template: Template, options: Ingest.Options, workspace: Workspace) {
        self.records = records
        self.template = template
        self.options = options
        randomLength = workspace.config.codes.randomLength
    }

    var importID: String { records.importID }

    /// Stores the chunk's good rows in key order, each only if its code is registered and not revoked; sets
    /// `problem` on the rows that cannot be stored. Rows keep their file order.
    mutating func store(_ chunk: inout PendingChunk) throws {
        // Codes were made canonical and sorted by `PendingChunk.prepare`; a mistyped one gets its suggestions.
        for index in chunk.rows.indices {
            if let error = chunk.rows[index].codeError {
                let nearby = try nearbyCodes(chunk.rows[index].code)
                chunk.rows[index].problem = rejection(chunk.rows[index].line, .invalidCode(error, nearby: nearby))
            }
        }
        let revoked = records.revoked
        for index in chunk.order {
            let line = chunk.rows[index].line
            if !revoked.isEmpty && revoked.contains(chunk.rows[index].code) {
                chunk.rows[index].problem = rejection(line, .revokedCode)
                continue
            }
            let (jsonStart, jsonEnd) = (chunk.rows[index].jsonStart, chunk.rows[index].jsonEnd)
            let outcome = try chunk.json.withUnsafeBufferPointer { json in
                try records.insert(
                    code: chunk.rows[index].code, visitDate: chunk.rows[index].visitDate, sourceLine: line,
                    fields: UnsafeBufferPointer(rebasing: json[jsonStart..<jsonEnd]))
            }
            switch outcome {
            case .stored:
                stored += 1
            case .keyExists:
                let json = String(decoding: chunk.json[jsonStart..<jsonEnd], as: UTF8.self)
                chunk.rows[index].problem = try alreadyStored(chunk.rows[index], json: json)
            case .unregistered:
                chunk.rows[index].problem = rejection(line, .unregisteredCode)
            }
        }
    }

    /// A row whose key is already in the store: counted as present, replaced (`--replace`) or rejected.
    mutating func alreadyStored(_ row: PendingRow, json: String) throws -> RowRejection? {
        guard let existing = try records.existing(code: row.code, visitDate: row.visitDate) else { return nil }
        if existing.importID == importID {
            return rejection(row.line, .duplicateInFile(line: existing.sourceLine), visitColumn: true)
        } else if existing.fieldsJSON == json {
            present += 1
        } else if options.replace {
            try records.replace(code: row.code, visitDate: row.visitDate, sourceLine: row.line, fieldsJSON: json)
            replaced += 1
            replacedCodes.append(row.code)
        } else {
            return rejection(row.line, .conflict)
        }
        return nil
    }

    func rejection(_ line: Int, _ problem: RowProblem, visitColumn: Bool = false) -> RowRejection {
        RowRejection(
            line: line, column: nil, columnName: visitColumn ? TemplateChecker.visitDateField : "code",
            problem: problem)
    }

    /// Registered codes one edit away from a mistyped one.
    func nearbyCodes(_ typed: String) throws -> [String] {
        guard let values = try? CodeNormalizer.values(of: typed) else { return [] }
        let candidates = CodeNeighbours.candidates(of: values, randomLength: randomLength)
        var found: [String] = []
        for candidate in candidates.sorted() where try records.isRegistered(candidate.canonical) {
            found.append(candidate.display)
        }
        return found
    }

    /// Records the import batch (and a `--replace` in the audit log).
    func finish(summary: Ingest.Summary, encoding: CSVEncoding) throws -> String {
        try records.finish(
            rowsRead: summary.read, stored: stored, rejected: summary.rejected, present: present,
            replacedCodes: replacedCodes, encoding: encoding.rawValue)
        return importID
    }
}
