// libFuzzer target for CSVReader, built by scripts/fuzz-csv.sh with swiftc (not a package target: it
// links only with -sanitize=fuzzer). The first input byte chooses the options, the rest is the file.
//
// Besides "no crash, no sanitizer report, no hang", it checks what callers rely on:
// - reading ends, and records come in order of lines (line <= endLine < next line);
// - reading the same bytes in blocks of 1 to 7 bytes gives exactly the same results;
// - every record written back by CSVWriter reads back to the same fields.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let flags = data[0]
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))

    var options = CSVReadOptions()
    options.quoting = flags & 1 == 0 ? .strict : .lenient
    options.emptyLines = flags & 2 == 0 ? .skip : .keep
    options.comments = [CSVReadOptions.Comments.none, .skip, .read, .none][Int(flags >> 2 & 3)]
    options.separator =
        [CSVReadOptions.Separator.sniff, .fixed(.comma), .fixed(.semicolon), .fixed(.tab)][
            Int(flags >> 4 & 3)]
    options.fieldCount = flags & 0x40 == 0 ? .any : .sameAsFirstRecord
    if flags & 0x80 != 0 {
        options.maxFieldBytes = 16
        options.maxRecordBytes = 48
        options.maxFields = 6
    }

    func readAll(_ options: CSVReadOptions, chunk: Int?) -> (results: [Result<CSVRecord, CSVError>], reader: CSVReader?)
    {
        let source = CSVByteSource(bytes: input, name: "fuzz.csv")
        source.maximumReadSize = chunk
        guard let reader = try? CSVReader(source: source, options: options, sniffWindow: chunk == nil ? 1 << 18 : 1)
        else { return ([], nil) }
        var results: [Result<CSVRecord, CSVError>] = []
        while let result = reader.nextResult() {
            results.append(result)
            check(results.count <= input.count + 2, "the reader does not end")
        }
        return (results, reader)
    }

    let (results, reader) = readAll(options, chunk: nil)
    guard let reader else { return 0 }

    // Lines go forward.
    var lastLine = 0
    for result in results {
        let (line, endLine): (Int, Int)
        switch result {
        case .success(let record): (line, endLine) = (record.line, record.endLine)
        case .failure(let error):
            guard let context = error.context else { continue }
            (line, endLine) = (context.line, context.endLine)
            if let column = context.column { check(column >= 1, "column below 1") }
        }
        check(line <= endLine, "a record ends before it starts")
        check(line > lastLine, "records out of line order")
        lastLine = endLine
    }

    // Block boundaries change nothing, encoding detection included (the separator is fixed to the one
    // chosen, as a one-byte first block would sniff differently).
    var fixed = options
    fixed.separator = .fixed(reader.separator)
    let chunked = readAll(fixed, chunk: 1 + input.count % 7).results
    check(chunked == results, "results depend on where the blocks end")

    // What is read, written back, reads back the same.
    let records = results.compactMap { try? $0.get() }
    let writer = CSVWriter(options: .init(separator: reader.separator))
    var output: [UInt8] = []
    for record in records { writer.append(record.fields, to: &output) }
    var back = CSVReadOptions(
        separator: .fixed(reader.separator), emptyLines: .keep, fieldCount: .any, maxFieldBytes: 1 << 20)
    back.encoding = .fixed(.utf8)
    let reread = readWritten(back, output)
    check(reread.map(\.fields) == records.map(\.fields), "written records do not read back")
    return 0
}

/// Reads `bytes` (the writer's output) to the end; every record must read cleanly.
private func readWritten(_ options: CSVReadOptions, _ bytes: [UInt8]) -> [CSVRecord] {
    guard let reader = try? CSVReader(source: CSVByteSource(bytes: bytes, name: "written.csv"), options: options)
    else { fail("cannot read the written records") }
    var records: [CSVRecord] = []
    while let result = reader.nextResult() {
        guard case .success(let record) = result else { fail("written record fails: \(result)") }
        records.append(record)
    }
    return records
}

/// Stops with the message (printed in optimised builds too, unlike `precondition`'s).
private func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError(message()) }
}

private func fail(_ message: String) -> Never { fatalError(message) }
