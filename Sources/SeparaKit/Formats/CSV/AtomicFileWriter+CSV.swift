extension AtomicFileWriter {
    /// Appends one CSV record encoded by `writer` (buffered; the file appears only on ``commit(as:)``).
    ///
    /// Write `writer.preamble` first if the file should start with a byte-order mark.
    public func writeCSVRecord(_ fields: some Sequence<String>, with writer: CSVWriter) throws {
        var bytes: [UInt8] = []
        writer.append(fields, to: &bytes)
        try write(bytes)
    }
}
