import Foundation

/// `separa transcription`: the empty sheet a data clerk types the sensitive sheets into, as CSV or as an
/// Excel workbook that checks each cell as it is typed.
///
/// Both hold one header row: the template's ``Template/transcriptionColumns`` headed in one language with
/// ``TranscriptionColumn/header(language:template:)``, which ``HeaderMapping/map(_:template:file:)`` reads
/// back. Nothing else: no example row, no value from anywhere.
public enum TranscriptionSheet {
    /// The kind of file.
    public enum Format: String, Sendable, CaseIterable {
        /// UTF-8 CSV with a byte-order mark (so that Excel reads the accents), comma-separated, CRLF.
        case csv
        /// An Excel workbook (`.xlsx`) with dropdown lists and range checks; see ``TranscriptionWorkbook``.
        case xlsx
    }

    /// What to write and where.
    public struct Options: Sendable {
        public var format: Format
        /// The header's language; nil: the workspace's first language that the template has.
        public var language: String?
        /// Where to write; nil: `output/TEMPLATE-transcription.csv` (or `.xlsx`).
        public var outputURL: URL?
        /// Replace an existing file. Off by default: a sheet of the same name may hold a morning's typing.
        public var overwrite: Bool

        public init(format: Format = .csv, language: String? = nil, outputURL: URL? = nil, overwrite: Bool = false) {
            self.format = format
            self.language = language
            self.outputURL = outputURL
            self.overwrite = overwrite
        }
    }

    /// What was written.
    public struct Written: Sendable {
        public let url: URL
        public let format: Format
        /// The header's language.
        public let language: String
        /// The number of columns.
        public let columns: Int
    }

    /// Writes the empty sheet for `template` (atomically, mode 0600).
    ///
    /// - Throws: ``TranscriptionError`` for a language the template lacks or an existing file; a
    ///   ``WorkspaceError`` when the file cannot be written.
    public static func write(workspace: Workspace, template: Template, options: Options = Options()) throws
        -> Written
    {
        let language = try language(
            requested: options.language, template: template, workspaceLanguages: workspace.config.languages)
        let url =
            try options.outputURL
            ?? workspace.outputFile("\(template.id.rawValue)-transcription.\(options.format.rawValue)")
        if !options.overwrite && FileManager.default.fileExists(atPath: url.path) {
            throw TranscriptionError.fileExists(path: url.path)
        }
        let bytes: Data
        switch options.format {
        case .csv: bytes = Data(csv(template: template, language: language))
        case .xlsx: bytes = try TranscriptionWorkbook.data(template: template, language: language)
        }
        try FileSystem.writeAtomically(bytes, to: url, mode: 0o600)
        return Written(
            url: url, format: options.format, language: language, columns: template.transcriptionColumns.count)
    }

    /// The header's language: `requested` when the template has it, else the first of `workspaceLanguages`
    /// that the template has, else the template's first language.
    public static func language(requested: String?, template: Template, workspaceLanguages: [String])
        throws(TranscriptionError) -> String
    {
        if let requested {
            guard template.languages.contains(requested) else {
                throw .languageNotInTemplate(
                    language: requested, template: template.id, available: template.languages)
            }
            return requested
        }
        return workspaceLanguages.first(where: template.languages.contains) ?? template.languages.first ?? "en"
    }

    /// The header row in `language`, one cell per transcription column.
    public static func header(template: Template, language: String) -> [String] {
        template.transcriptionColumns.map { $0.header(language: language, template: template) }
    }

    /// The CSV file: byte-order mark, then the header row, comma-separated, ended by CRLF.
    public static func csv(template: Template, language: String) -> [UInt8] {
        let writer = CSVWriter(options: CSVWriteOptions(separator: .comma, lineEnding: .crlf, byteOrderMark: true))
        var bytes = writer.preamble
        writer.append(header(template: template, language: language), to: &bytes)
        return bytes
    }
}

/// Why a transcription sheet was not written.
public enum TranscriptionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The template has no labels in the asked language.
    case languageNotInTemplate(language: String, template: TemplateID, available: [String])
    /// The destination exists; it may hold typed rows.
    case fileExists(path: String)
    /// The workbook could not be put together (a failure of the zip library).
    case workbook(String)

    public var description: String {
        switch self {
        case .languageNotInTemplate(let language, let template, let available):
            return "template '\(template)' has no language '\(language)'; choose one of: "
                + available.joined(separator: ", ")
        case .fileExists(let path):
            return "\(path) already exists and may hold transcribed rows; move it away, give --output, "
                + "or --force to replace it"
        case .workbook(let detail):
            return "the workbook could not be built (\(detail)); nothing was written"
        }
    }
}
