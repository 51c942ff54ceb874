import Foundation

/// `separa template import`: an XLSForm workbook becomes `templates/<id>.yaml`.
public enum TemplateImport {
    /// What an import did.
    public struct Outcome: Sendable {
        /// The template as written.
        public let template: Template
        /// The YAML file written.
        public let destination: URL
        /// Findings of the import (pyxform style, sheet and row), none of them blocking.
        public let importDiagnostics: [TemplateDiagnostic]
        /// The checker's findings on the written template: errors here must be fixed (in the YAML or the
        /// workbook) before the template can be printed or ingested.
        public let checkDiagnostics: [TemplateDiagnostic]
        /// How header languages became codes.
        public let languages: [XLSFormImporter.LanguageMapping]
    }

    /// Import findings that stop the import: what the workbook asks for cannot be put on paper as written,
    /// so writing a YAML without it would silently change the form.
    public static let blockingRules: Set<TemplateDiagnostic.Rule> = [
        .structure, .unsupportedFeature, .duplicateName, .selectWithoutChoices, .invalidValue,
    ]

    /// Reads the workbook at `source`, and writes `<id>.yaml` into `folder` (atomically).
    ///
    /// Throws ``TemplateError/unreadable(file:diagnostics:)`` (nothing written) when the workbook cannot be
    /// read or uses features Separa refuses, and ``TemplateError/wouldOverwrite(path:)`` when the file
    /// exists and `force` is false. Missing `sheet` / `purpose` columns do not stop the import: they are
    /// reported, and the checker keeps the template from being used until they are fixed.
    ///
    /// - Parameter displayFolder: how `folder` is named in messages, e.g. `templates/`.
    public static func importForm(at source: URL, into folder: URL, displayFolder: String = "templates/", force: Bool)
        throws(TemplateError) -> Outcome
    {
        let result = XLSFormImporter.importForm(at: source, file: source.lastPathComponent)
        let blocking = result.diagnostics.filter { $0.severity == .error && blockingRules.contains($0.rule) }
        guard var template = result.template, blocking.isEmpty else {
            throw .unreadable(file: source.lastPathComponent, diagnostics: result.diagnostics)
        }
        let destination = folder.appendingPathComponent("\(template.id).yaml")
        if FileManager.default.fileExists(atPath: destination.path) && !force {
            throw .wouldOverwrite(path: displayFolder + destination.lastPathComponent)
        }
        let text: String
        do { text = try TemplateYAML.encode(template) } catch {
            throw .cannotWrite(
                path: displayFolder + destination.lastPathComponent, reason: "the template cannot be written as YAML")
        }
        do {
            try FileSystem.createDirectory(folder, mode: 0o755)
            try FileSystem.writeAtomically(Data(text.utf8), to: destination, mode: 0o644)
        } catch {
            throw .cannotWrite(path: displayFolder + destination.lastPathComponent, reason: "\(error)")
        }
        // Check what was written, as it will be read from now on (locations become YAML lines).
        let written = TemplateYAML.decode(text, file: displayFolder + destination.lastPathComponent)
        if let reread = written.template { template = reread }
        return Outcome(
            template: template, destination: destination, importDiagnostics: result.diagnostics,
            checkDiagnostics: written.diagnostics + TemplateChecker.check(template), languages: result.languages)
    }
}
