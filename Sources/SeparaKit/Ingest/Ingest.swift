import Foundation

/// `separa ingest`: transcription CSV files into the store, every row ending in exactly one place.
///
/// Each file is one transaction: killed at any moment, the store is as it was before that file; run again,
/// the import completes (rows already stored are counted as present, not stored twice). A row that cannot be
/// stored goes to the rejects file with its original line number, the column, the reason and its original
/// cells, so that a clerk can fix it and import the rejects file again.
public enum Ingest {
    /// How to import.
    public struct Options: Sendable {
        /// All rows of a file or none.
        public var strict = false
        /// Take the new values when a different record for the same code and visit date is stored
        /// (audited); otherwise such a row is a conflict and goes to the rejects file.
        public var replace = false
        /// Accept free text in fields whose template allows it.
        public var allowFreeText = false
        /// Where to write the rejects of a single file (default: `output/rejects-TEMPLATE-TIME.csv`).
        public var rejectsURL: URL?
        /// The time recorded for the import.
        public var now = Date()

        public init(
            strict: Bool = false, replace: Bool = false, allowFreeText: Bool = false, rejectsURL: URL? = nil,
            now: Date = Date()
        ) {
            self.strict = strict
            self.replace = replace
            self.allowFreeText = allowFreeText
            self.rejectsURL = rejectsURL
            self.now = now
        }
    }

    /// What happened to one file.
    public struct Summary: Sendable {
        public let file: String
        public let encoding: CSVEncoding
        public let separator: CSVSeparator
        /// Data rows read (the header not counted).
        public var read = 0
        public var stored = 0
        public var alreadyPresent = 0
        public var replaced = 0
        public var rejected = 0
        /// The rejects file, when a row was rejected.
        public var rejectsURL: URL?
        /// The import batch the stored rows carry, when any were stored.
        public var importID: String?
        /// The first rejections (at most 50), for the terminal; all are in the rejects file.
        public var firstRejections: [RowRejection] = []
    }

    /// Imports `files` as transcriptions of `template`, one transaction per file.
    ///
    /// - Throws: ``SheetError`` when a file is refused as a whole (unreadable, unknown or missing
    ///   columns): nothing of that file, or of the files after it, is stored.
    public static func run(
        workspace: Workspace, store: Store, template: Template, files: [URL], options: Options = Options()
    ) throws -> [Summary] {
        var seen: Set<String> = []
        for file in files where !seen.insert(file.standardizedFileURL.path).inserted {
            throw SheetError.sameFileTwice(file: file.lastPathComponent)
        }
        var summaries: [Summary] = []
        for (index, file) in files.enumerated() {
            var fileOptions = options
            if files.count > 1 { fileOptions.rejectsURL = nil }
            let rejects =
                try fileOptions.rejectsURL
                ?? workspace.outputFile(
                    "rejects-\(template.id.rawValue)-\(Timestamp.fileName(options.now))\(files.count > 1 ? "-\(index + 1)" : "").csv"
                )
            summaries.append(
                try FileImport(
                    workspace: workspace, store: store, template: template, url: file, rejectsURL: rejects,
                    options: fileOptions
                ).run())
        }
        return summaries
    }
}
