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

    /// Per column of the clerk's file: whether a cell is checked for identity before it is copied (see
    /// ``IdentityLookalike/checkedColumns(_:)``); empty: none.
    var checked: [Bool] = []

    func write(row cells: [String], rejection: RowRejection, prefix: Int) throws {
        var bytes: [UInt8] = []
        let column = rejection.columnName ?? rejection.column.map { "column \($0)" } ?? ""
        // A name typed into the nationality column, a phone number into the age: never copied out of the
        // store's reach; the clerk takes the value from the paper instead.
        var cells = cells
        for index in cells.indices where index < checked.count && checked[index] && !cells[index].isEmpty {
            if IdentityLookalike.detect(cells[index]) != nil { cells[index] = IdentityLookalike.marker }
        }
        let original = cells.count > prefix ? Array(cells.dropFirst(prefix)) : cells
        csv.append([String(rejection.line), column, rejection.problem.description] + original, to: &bytes)
        try writer.write(bytes)
    }

    /// Canonical codes of the rejected rows whose code could be read.
    private(set) var codes: Set<String> = []

    /// Remembers the code in `cells` at `column`, when it reads as a code (even a mistyped row names a
    /// person by its code).
    func remember(code cells: [String], column: Int?, randomLength: Int) {
        guard let column, column < cells.count,
            let code = try? CaseCode.parse(cells[column], expectedRandomLength: randomLength)
        else { return }
        codes.insert(code.canonical)
    }

    /// The hidden temporary name the file has until ``commit()``.
    var temporaryName: String { writer.temporaryName }

    /// Writes the file out and fsyncs it, still under its temporary name.
    func sync() throws { try writer.sync() }

    /// Renames the file into place, as `finalName` in the same folder when given.
    func commit(as finalName: String? = nil) throws { try writer.commit(as: finalName) }
    func abandon() { writer.abandon() }
}
