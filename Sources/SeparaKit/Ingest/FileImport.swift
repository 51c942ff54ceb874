import Foundation

/// The import of one file.
struct FileImport {
    let workspace: Workspace
    let store: Store
    let template: Template
    let url: URL
    let rejectsURL: URL
    let options: Ingest.Options

    /// Rows checked against the store together, in key order.
    static let chunkSize = 4096
    static let maximumShownRejections = 50

    var fileName: String { url.lastPathComponent }

    func run() throws -> Ingest.Summary {
        let reader: CSVReader
        do {
            // Good rows are never copied whole (a rejected row keeps its cells): no raw text for them.
            reader = try CSVReader(url: url, name: fileName, options: CSVReadOptions(keepsRawText: false))
        } catch {
            throw SheetError.unreadable(error)
        }
        let header: CSVRecord
        do {
            guard let first = try reader.next() else { throw SheetError.noHeader(file: fileName) }
            header = first
        } catch let error as CSVError {
            throw SheetError.unreadableHeader(error)
        }
        let mapping = try HeaderMapping.map(header.fields, template: template, file: fileName)
        var summary = Ingest.Summary(file: fileName, encoding: reader.encoding, separator: reader.separator)

        let rejects = try RejectsWriter(url: rejectsURL, header: header.fields, prefix: mapping.rejectsPrefix)
        let checkedColumns = IdentityLookalike.checkedColumns(mapping.columns)
        rejects.checked = checkedColumns
        let rejectsInOutput =
            !options.strict
            && rejectsURL.deletingLastPathComponent().standardizedFileURL.path
                == workspace.outputURL.standardizedFileURL.path
        let codeColumn = mapping.columns.firstIndex { $0 == .code }
        let randomLength = workspace.config.codes.randomLength
        // The name the rejects file gets, chosen inside the import's transaction (nil: `rejectsURL`'s).
        var rejectsName: String?
        var rejectedLines: [Int: RowRejection] = [:]
        do {
            try store.importRecords(
                "importing \(fileName)", template: template.id, version: template.version,
                prefix: workspace.config.site.prefix, now: options.now
            ) { records -> (TransactionEnd, Void) in
                var session = StoreSession(records: records, template: template, options: options, workspace: workspace)
                // Rows are read and checked on a second thread while this one stores the previous chunk.
                let pipeline = RowPipeline(
                    reader: reader,
                    parser: RowParser(template: template, mapping: mapping, options: options, file: fileName),
                    randomLength: workspace.config.codes.randomLength)
                pipeline.start()
                defer { pipeline.stopAndWait() }
                while var chunk = pipeline.nextChunk() {
                    try session.store(&chunk)
                    for index in chunk.rows.indices {
                        if let problem = chunk.rows[index].problem {
                            summary.rejected += 1
                            if options.strict { rejectedLines[problem.line] = problem }
                            if summary.firstRejections.count < FileImport.maximumShownRejections {
                                summary.firstRejections.append(problem)
                            }
                            try rejects.write(
                                row: chunk.rows[index].cells, rejection: problem, prefix: mapping.rejectsPrefix)
                            rejects.remember(
                                code: chunk.rows[index].cells, column: codeColumn, randomLength: randomLength)
                        }
                    }
                    pipeline.recycle(chunk)
                }
                pipeline.stopAndWait()
                summary.read = pipeline.read
                summary.stored = session.stored
                summary.alreadyPresent = session.present
                summary.replaced = session.replaced
                if options.strict && summary.rejected > 0 { return (.rollback, ()) }
                if session.stored + session.replaced > 0 {
                    summary.importID = try session.finish(summary: summary, encoding: reader.encoding)
                }
                // The rejects file is on disk before the commit, and the commit records that it is to be
                // renamed into place: killed between the two, the next command finishes the rename, so no
                // rejected row is left only in the clerk's file. Outside output/ it is simply renamed after.
                if summary.rejected > 0 && rejectsInOutput {
                    try rejects.sync()
                    let name = try records.freeOutputName(
                        rejectsURL.lastPathComponent, in: rejectsURL.deletingLastPathComponent())
                    try records.pend(
                        PendingOutput(tempName: rejects.temporaryName, finalName: name), holding: rejects.codes.sorted()
                    )
                    rejectsName = name
                }
                return (.commit, ())
            }
        } catch {
            rejects.abandon()
            if let error = error as? SheetError { throw error }
            throw StoreError.wrap("importing \(fileName)", error)
        }
        if options.strict && summary.rejected > 0 {
            // Nothing was stored: every row goes to the rejects file, the bad ones with their reasons.
            rejects.abandon()
            // Never over another rejects file: the first free name.
            let folder = rejectsURL.deletingLastPathComponent()
            let name = try store.freeOutputName(rejectsURL.lastPathComponent, in: folder)
            let all = try RejectsWriter(
                url: folder.appendingPathComponent(name), header: header.fields, prefix: mapping.rejectsPrefix)
            all.checked = checkedColumns
            try rewriteAllRows(into: all, rejected: rejectedLines, mapping: mapping)
            try all.commit()
            summary.rejectsURL = folder.appendingPathComponent(name)
            summary.rejected = summary.read
            summary.stored = 0
            summary.alreadyPresent = 0
            summary.replaced = 0
            summary.importID = nil
        } else if summary.rejected > 0 {
            let temporaryName = rejects.temporaryName
            if !rejectsInOutput {
                // A path of the clerk's choosing outside output/: never over a file already there either.
                rejectsName = try store.freeOutputName(
                    rejectsURL.lastPathComponent, in: rejectsURL.deletingLastPathComponent())
            }
            try rejects.commit(as: rejectsName)
            if rejectsInOutput { try? store.clearPendingOutput(tempName: temporaryName) }
            summary.rejectsURL = rejectsURL.deletingLastPathComponent().appendingPathComponent(
                rejectsName ?? rejectsURL.lastPathComponent)
        } else {
            rejects.abandon()
        }
        return summary
    }

    /// For `--strict`: reads the file again and writes every row to the rejects file.
    func rewriteAllRows(into writer: RejectsWriter, rejected: [Int: RowRejection], mapping: HeaderMapping) throws {
        let reader = try CSVReader(url: url, name: fileName)
        _ = reader.nextResult()  // header
        var parser = RowParser(template: template, mapping: mapping, options: options, file: fileName)
        while let result = reader.nextResult() {
            let row: PendingRow
            switch result {
            case .success(let record): row = PendingRow(line: record.line, cells: record.fields)
            case .failure(let error): row = parser.malformed(error)
            }
            let rejection =
                rejected[row.line]
                ?? RowRejection(line: row.line, column: nil, columnName: nil, problem: .strictRollback)
            try writer.write(row: row.cells, rejection: rejection, prefix: mapping.rejectsPrefix)
        }
    }
}
