import Foundation

/// The templates of a workspace's `templates/` folder: YAML files (`.yaml`, `.yml`) and XLSForm
/// workbooks (`.xlsx`), read once.
///
/// Loading never fails because of one bad file: each file becomes an ``Entry`` with its findings, and
/// ``template(named:)`` reports the findings of the one asked for.
public struct TemplateLibrary: Sendable {
    /// One template file and what reading it gave.
    public struct Entry: Sendable {
        /// The file.
        public let url: URL
        /// The path used in messages, e.g. `templates/intake.yaml`.
        public let displayPath: String
        /// The template, nil when the file could not be read.
        public let template: Template?
        /// Findings made while reading (structure, unsupported XLSForm features). Run ``TemplateChecker``
        /// for the rules.
        public let readDiagnostics: [TemplateDiagnostic]
        /// For workbooks: how header languages became codes.
        public let languageMappings: [XLSFormImporter.LanguageMapping]

        /// The file name without extension (`intake` for `intake.yaml`).
        public var baseName: String { url.deletingPathExtension().lastPathComponent }

        /// Whether reading found errors.
        public var isReadable: Bool { template != nil && readDiagnostics.errors.isEmpty }

        /// Read findings, then the checker's findings (when the file could be read).
        public var allDiagnostics: [TemplateDiagnostic] {
            guard let template else { return readDiagnostics }
            let checked = TemplateChecker.check(template)
            // The importer already reported missing purposes and sheets row by row: keep the first report.
            let seen = Set(readDiagnostics.map { "\($0.rule)|\($0.location?.description ?? "")" })
            return (readDiagnostics + checked.filter { !seen.contains("\($0.rule)|\($0.location?.description ?? "")") })
                .enumerated().sorted { a, b in
                    a.element.severity != b.element.severity
                        ? a.element.severity < b.element.severity : a.offset < b.offset
                }.map(\.element)
        }
    }

    /// The folder read.
    public let folder: URL
    /// Every template file, sorted by file name.
    public let entries: [Entry]

    /// File extensions read as templates.
    public static let extensions: Set<String> = ["yaml", "yml", "xlsx"]

    /// Reads every template of `workspace`'s `templates/` folder.
    public init(workspace: Workspace) throws(TemplateError) {
        try self.init(folder: workspace.templatesURL, displayPrefix: "templates/")
    }

    /// Reads every template file of `folder`; messages cite files as `displayPrefix + name`.
    public init(folder: URL, displayPrefix: String = "") throws(TemplateError) {
        self.folder = folder
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw .notFound(name: "*", folder: folder.path, available: [])
        }
        self.entries = names.filter {
            !$0.hasPrefix(".") && !$0.hasPrefix("~$")
                && Self.extensions.contains(($0 as NSString).pathExtension.lowercased())
        }
        .sorted()
        .map { Self.load(folder.appendingPathComponent($0), displayPath: displayPrefix + $0) }
    }

    /// Reads one template file (YAML or XLSForm) without checking it.
    public static func load(_ url: URL, displayPath: String? = nil) -> Entry {
        let display = displayPath ?? url.lastPathComponent
        if url.pathExtension.lowercased() == "xlsx" {
            let result = XLSFormImporter.importForm(at: url, file: display)
            return Entry(
                url: url, displayPath: display, template: result.template, readDiagnostics: result.diagnostics,
                languageMappings: result.languages)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return Entry(
                url: url, displayPath: display, template: nil,
                readDiagnostics: [
                    TemplateDiagnostic(
                        .error, .structure, at: .file(display), "the file cannot be read",
                        fix: "check that it exists and its permissions")
                ],
                languageMappings: [])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Entry(
                url: url, displayPath: display, template: nil,
                readDiagnostics: [
                    TemplateDiagnostic(
                        .error, .structure, at: .file(display), "the file is not UTF-8 text", fix: "save it as UTF-8")
                ],
                languageMappings: [])
        }
        let (template, diagnostics) = TemplateYAML.decode(text, file: display)
        return Entry(
            url: url, displayPath: display, template: template, readDiagnostics: diagnostics, languageMappings: [])
    }

    /// The ids of the readable templates, sorted.
    public var ids: [TemplateID] { entries.compactMap { $0.template?.id }.sorted() }

    /// The entry for `name`: a template id, a file name, or a file name without extension.
    public func entry(named name: String) -> Entry? {
        entries.first { $0.template?.id.rawValue == name } ?? entries.first { $0.url.lastPathComponent == name }
            ?? entries.first { $0.baseName == name }
    }

    /// The template `name` names (see ``entry(named:)``), read but not checked.
    ///
    /// Throws ``TemplateError/notFound(name:folder:available:)``, ``TemplateError/duplicateID(id:files:)``
    /// or, when the file has read errors, ``TemplateError/unreadable(file:diagnostics:)``.
    public func template(named name: String) throws(TemplateError) -> Template {
        guard let entry = entry(named: name) else {
            throw .notFound(name: name, folder: folder.lastPathComponent + "/", available: ids.map(\.rawValue))
        }
        guard let template = entry.template, entry.readDiagnostics.errors.isEmpty else {
            throw .unreadable(file: entry.displayPath, diagnostics: entry.readDiagnostics)
        }
        let sameID = entries.filter { $0.template?.id == template.id }
        if sameID.count > 1 { throw .duplicateID(id: template.id, files: sameID.map(\.displayPath)) }
        return template
    }

    /// The template `name` names, checked: what print and ingest call.
    ///
    /// Throws like ``template(named:)``, and ``TemplateError/refused(id:diagnostics:)`` when the checker
    /// finds an error, or free text on a sensitive sheet without `allowFreeText`.
    /// - Returns: the template and the warnings to show.
    public func usableTemplate(named name: String, allowFreeText: Bool) throws(TemplateError) -> (
        template: Template, warnings: [TemplateDiagnostic]
    ) {
        let template = try template(named: name)
        let warnings = try TemplateChecker.requireUsable(template, allowFreeText: allowFreeText)
        return (template, warnings)
    }
}
