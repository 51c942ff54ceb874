import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct TemplateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "template",
            abstract: "List, show, check and import form templates (templates/*.yaml, XLSForm .xlsx).",
            discussion: """
                A template says what a form collects, on which paper (identity slip or sensitive sheet), why
                (a purpose for every field) and in which languages. The checker refuses identity fields on a
                sensitive sheet, any question about protection incidents or sexual and gender-based violence,
                fields without purpose, missing translations and duplicate names; it runs before every print
                and ingest.
                """,
            subcommands: [List.self, Show.self, Check.self, Import.self])
    }
}

extension Separa.TemplateCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the workspace's templates and whether each passes the checker.")

        @OptionGroup var options: WorkspaceOptions

        func run() throws {
            let workspace = try options.locate()
            let library = try TemplateLibrary(workspace: workspace)
            if library.entries.isEmpty {
                print(
                    "No templates in \(Terminal.relative(workspace.templatesURL)). Add a YAML template or run 'separa template import FORM.xlsx'."
                )
                return
            }
            var rows: [[String]] = [["ID", "VERSION", "LANGUAGES", "TITLE", "FILE", "CHECK"]]
            for entry in library.entries {
                let diagnostics = entry.allDiagnostics
                let status =
                    diagnostics.errors.isEmpty
                    ? (diagnostics.warnings.isEmpty ? "ok" : "ok, \(count(diagnostics.warnings.count, "warning"))")
                    : "refused: \(count(diagnostics.errors.count, "error"))"
                if let template = entry.template {
                    let title = template.languages.first.flatMap { template.title[$0] } ?? ""
                    rows.append([
                        template.id.rawValue, template.version, template.languages.joined(separator: " "), title,
                        entry.displayPath, status,
                    ])
                } else {
                    rows.append(["-", "-", "-", "-", entry.displayPath, status])
                }
            }
            print(TemplateText.table(rows))
            if library.entries.contains(where: { !$0.allDiagnostics.errors.isEmpty }) {
                print("\nRun 'separa template check ID' to see what to change.")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show a template's fields per sheet and the consent statement generated from it, in each language.")

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "The template's id or file name.")
        var name: String

        @Option(help: "Show labels in this language (default: the template's first language).")
        var language: String?

        func run() throws {
            let workspace = try options.locate()
            let library = try TemplateLibrary(workspace: workspace)
            let template = try library.template(named: name)
            let language = self.language ?? template.languages.first ?? "en"
            if !template.languages.contains(language) {
                throw ValidationError(
                    "template '\(template.id)' has no language '\(language)'; it has: \(template.languages.joined(separator: ", "))"
                )
            }
            print(TemplateText.describe(template, language: language))
            print("")
            for code in template.languages {
                if let consent = ConsentText.generate(template, language: code, config: workspace.config) {
                    print("== Consent statement (\(code)) ==")
                    print(consent.text)
                    print("")
                } else {
                    print(
                        "== Consent statement (\(code)) ==\nSepara has no consent wording in '\(code)' yet: the slip shows it in the other languages.\n"
                    )
                }
            }
            let diagnostics = TemplateChecker.check(template)
            print(
                diagnostics.errors.isEmpty
                    ? "Checker: passes"
                        + (diagnostics.warnings.isEmpty
                            ? "."
                            : " with \(count(diagnostics.warnings.count, "warning")) (separa template check \(template.id)).")
                    : "Checker: REFUSED, \(count(diagnostics.errors.count, "error")): run 'separa template check \(template.id)'."
            )
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a template against Separa's rules, as print and ingest do.",
            discussion: """
                NAME is a template id in the workspace, or the path of a .yaml or .xlsx file (no workspace needed).
                Exit status: 0 the template may be printed and ingested; 1 it is refused (or has free text on a
                sensitive sheet and --allow-free-text is not given).
                """)

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "A template id, or the path of a template file.")
        var name: String

        @Flag(help: "Accept free-text fields on a sensitive sheet (data minimisation: avoid them).")
        var allowFreeText = false

        func run() throws {
            let entry: TemplateLibrary.Entry
            let url = URL(fileURLWithPath: name)
            if name.contains("/")
                || FileManager.default.fileExists(atPath: url.path)
                    && TemplateLibrary.extensions.contains(url.pathExtension.lowercased())
            {
                guard FileManager.default.fileExists(atPath: url.path) else { throw ValidationError("no file \(name)") }
                entry = TemplateLibrary.load(url, displayPath: Terminal.relative(url))
            } else {
                let library = try TemplateLibrary(workspace: try options.locate())
                guard let found = library.entry(named: name) else {
                    _ = try library.template(named: name)
                    return
                }
                entry = found
            }
            for mapping in entry.languageMappings { print("language: \(mapping)") }
            let diagnostics = entry.allDiagnostics
            for diagnostic in diagnostics { print(diagnostic) }
            let label = entry.template.map { "'\($0.id)'" } ?? entry.displayPath
            if entry.template == nil || diagnostics.blocks(allowFreeText: allowFreeText) {
                let freeTextOnly = diagnostics.errors.isEmpty && entry.template != nil
                print(
                    freeTextOnly
                        ? "\(label) has free text on a sensitive sheet: printing and ingest need --allow-free-text."
                        : "\(label) is refused: \(count(diagnostics.errors.count, "error")), \(count(diagnostics.warnings.count, "warning")). Change what the messages say, then check again."
                )
                throw ExitStatus.failure.exit
            }
            print(
                "\(label) passes"
                    + (diagnostics.warnings.isEmpty ? "." : " with \(count(diagnostics.warnings.count, "warning"))."))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an XLSForm (.xlsx from Excel or KoboToolbox) as templates/<id>.yaml.",
            discussion: """
                Besides survey, choices and settings, Separa reads two extra survey columns: 'sheet' (identity or
                sensitive) and 'purpose' (why the question is asked; purpose::English (en)… per language).
                Features paper cannot carry (repeat, calculate, relevant, choice_filter, external choices,
                geopoint, media, phone metadata) are reported with their sheet and row, and nothing is written.
                Exit status: 0 imported and passes the checker; 1 refused, or imported but the checker still
                finds errors to fix in the written YAML.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Argument(help: "The XLSForm workbook (.xlsx).")
        var form: String

        @Flag(help: "Replace templates/<id>.yaml if it exists.")
        var force = false

        func validate() throws {
            if !form.lowercased().hasSuffix(".xlsx") {
                throw ValidationError(
                    "\(form) is not an .xlsx workbook (save the form from Excel, LibreOffice or Kobo as .xlsx)")
            }
        }

        func run() throws {
            let workspace = try options.locate()
            let source = URL(fileURLWithPath: form)
            guard FileManager.default.fileExists(atPath: source.path) else { throw ValidationError("no file \(form)") }
            let outcome: TemplateImport.Outcome
            do throws(TemplateError) {
                outcome = try TemplateImport.importForm(at: source, into: workspace.templatesURL, force: force)
            } catch .unreadable(let file, let diagnostics) {
                for diagnostic in diagnostics { print(diagnostic) }
                print(
                    "\(file) was not imported: \(count(diagnostics.errors.count, "error")). Change the workbook as the messages say, then import it again."
                )
                throw ExitStatus.failure.exit
            }
            for mapping in outcome.languages { print("language: \(mapping)") }
            for diagnostic in outcome.importDiagnostics { print(diagnostic) }
            let path = Terminal.relative(outcome.destination)
            print("Wrote \(path) (template '\(outcome.template.id)', version \(outcome.template.version)).")
            for diagnostic in outcome.checkDiagnostics { print(diagnostic) }
            if !outcome.checkDiagnostics.errors.isEmpty {
                print(
                    "The template is refused until these are fixed: edit \(path), then run 'separa template check \(outcome.template.id)'."
                )
                throw ExitStatus.failure.exit
            }
            print(
                "It passes the checker"
                    + (outcome.checkDiagnostics.warnings.isEmpty
                        ? "." : " with \(count(outcome.checkDiagnostics.warnings.count, "warning"))."))
        }
    }
}

private func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

/// Text of `separa template` listings.
enum TemplateText {
    /// Columns padded to their widest cell.
    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// The template's header, fields per sheet and choice lists, labels in `language`.
    static func describe(_ template: Template, language: String) -> String {
        var lines: [String] = []
        lines.append("\(template.id) — version \(template.version) — \(template.title[language] ?? "")")
        lines.append("Languages: \(template.languages.joined(separator: ", "))")
        let settings = template.settings
        lines.append(
            "Retention: "
                + (settings.retentionMonths.map { "\($0) months" } ?? "from separa.json")
                + "; controller: \(settings.controller ?? "from separa.json"); contact: \(settings.contact ?? "from separa.json")"
        )
        lines.append("")
        lines.append("Identity slip (kept only on paper and in the locked key file):")
        if template.identity.isEmpty { lines.append("  (none: the person's code is written from their code card)") }
        for field in template.identity { lines.append(contentsOf: describe(field, template, language)) }
        for (index, page) in template.sensitivePages.enumerated() {
            lines.append("")
            let title = page.title[language].map { ": \($0)" } ?? ""
            lines.append("Sensitive sheet, page \(index + 1)\(title) (keyed by the case code only):")
            for field in page.fields { lines.append(contentsOf: describe(field, template, language)) }
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ field: Field, _ template: Template, _ language: String) -> [String] {
        let label = field.label[language] ?? "(no label in \(language))"
        if field.kind == .note { return ["  [note] \(label)"] }
        var type: String
        switch field.kind {
        case .selectOne(let list), .selectMultiple(let list):
            let names = template.choiceList(named: list)?.choices.map { $0.label[language] ?? $0.name } ?? []
            let shown =
                names.count > 8
                ? names.prefix(8).joined(separator: " / ") + " / … (\(names.count))" : names.joined(separator: " / ")
            type = "\(field.kind.typeName) \(list): \(shown)"
        case .integer(let min, let max): type = "integer" + range(min.map(String.init), max.map(String.init))
        case .decimal(let min, let max): type = "decimal" + range(min.map { "\($0)" }, max.map { "\($0)" })
        case .date(let format): type = "date \(format.pattern)"
        case .yesNo: type = "yes_no"
        case .age:
            type =
                "age: years 0–\(AgeValue.maximumYears), or " + AgeBand.allCases.map(\.printed).joined(separator: " / ")
        case .text(let maxLength): type = "text" + (maxLength.map { " (at most \($0) characters)" } ?? "")
        case .note: type = "note"
        }
        var lines = ["  \(field.name)\(field.required ? " *" : "") — \(label)", "      \(type)"]
        if let hint = field.hint[language] { lines.append("      hint: \(hint)") }
        if let purpose = template.purpose(field.purpose)?.text[language] {
            lines.append("      purpose: \(purpose)")
        } else {
            lines.append("      purpose: (none — the checker refuses this)")
        }
        return lines
    }

    static func range(_ min: String?, _ max: String?) -> String {
        switch (min, max) {
        case let (min?, max?): return " \(min)–\(max)"
        case let (min?, nil): return " ≥ \(min)"
        case let (nil, max?): return " ≤ \(max)"
        default: return ""
        }
    }
}
