import Foundation

/// The rejects file: `rejected_line`, `rejected_column`, `rejected_reason`, then the file's own columns with
/// each rejected row's original cells, unchanged (UTF-8 with a byte-order mark so that spreadsheets read the
/// accents right). Fixed and imported again, its first three columns are skipped.
///
/// Written beside its destination and renamed into place only when the import's transaction has committed.
final class RejectsWriter {
    let writer: AtomicFileWriter
    let csv = CSVWriter(options: CSVWriteOptions(byteOrderMark: true))

    init(url: URL, header: [String], prefix: Int) throws {
        writer = try AtomicFileWriter(url, mode: 0o600)
        var bytes = csv.preamble
        csv.append(HeaderMapping.rejectsColumns + header.dropFirst(prefix), to: &bytes)
        try writer.write(bytes)
    }

    func write(row cells: [String], rejection: RowRejection, prefix: Int) throws {
        var bytes: [UInt8] = []
        let column = rejection.columnName ?? rejection.column.map { "column \($0)" } ?? ""
        let original = cells.count > prefix ? Array(cells.dropFirst(prefix)) : cells
        csv.append([String(rejection.line), column, rejection.problem.description] + original, to: &bytes)
        try writer.write(bytes)
    }

    func commit() throws { try writer.commit() }
    func abandon() { writer.abandon() }
}
