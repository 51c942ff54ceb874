import Foundation

/// One column of a transcription sheet: what a clerk types from a sensitive sheet.
///
/// A sheet has the code column, then one column per sensitive data field (the visit date first), and for a
/// `select_multiple` field one 0/1 column per choice, named `field/choice` (as ODK and Kobo export them).
public enum TranscriptionColumn: Hashable, Sendable {
    /// The case code, as printed or scanned.
    case code
    /// A single-value field.
    case field(Field)
    /// One choice of a `select_multiple` field: 1 (ticked) or 0 / empty (not ticked).
    case choice(Field, Choice)

    /// The machine name: `code`, the field name, or `field/choice`.
    public var name: String {
        switch self {
        case .code: return "code"
        case .field(let field): return field.name
        case .choice(let field, let choice): return "\(field.name)/\(choice.name)"
        }
    }

    /// The field this column belongs to (nil for the code).
    public var field: Field? {
        switch self {
        case .code: return nil
        case .field(let field), .choice(let field, _): return field
        }
    }

    /// What a person reads in the header, in `language`: the label, with the expected form of the answer
    /// where it helps (`Date of the visit (DD/MM/YYYY)`, `Needs: Food (1 = yes)`).
    public func header(language: String, template: Template) -> String {
        let fallbacks = template.languages
        switch self {
        case .code:
            return Self.codeLabel[language] ?? Self.codeLabel["en"]!
        case .field(let field):
            let label = field.label.text(in: language, fallbacks: fallbacks) ?? field.name
            switch field.kind {
            case .date(let format): return "\(label) (\(format.pattern))"
            default: return label
            }
        case .choice(let field, let choice):
            let label = field.label.text(in: language, fallbacks: fallbacks) ?? field.name
            let choiceLabel = choice.label.text(in: language, fallbacks: fallbacks) ?? choice.name
            return "\(label): \(choiceLabel) (1/0)"
        }
    }

    /// Every spelling a header cell may use for this column, in every language of the template: the name,
    /// the label, and the label as ``header(language:template:)`` writes it.
    func acceptedHeaders(template: Template) -> [String] {
        var spellings = [name]
        switch self {
        case .code:
            spellings += Self.codeHeaders
        case .field(let field):
            spellings += field.label.values.values
        case .choice(let field, let choice):
            for fieldLabel in field.label.values.values + [field.name] {
                for choiceLabel in choice.label.values.values + [choice.name] {
                    spellings.append("\(fieldLabel): \(choiceLabel)")
                    spellings.append("\(fieldLabel)/\(choiceLabel)")
                }
            }
        }
        for language in template.languages { spellings.append(header(language: language, template: template)) }
        return spellings
    }

    static let codeLabel = [
        "en": "Case code", "fr": "Code du dossier", "es": "Código del caso", "ar": "رمز الحالة",
    ]

    /// The code column's header in any template: its label in every language, and the usual English names.
    static var codeHeaders: [String] { ["code", "case code", "case_code"] + codeLabel.values }
}

extension Template {
    /// The transcription columns of this template, in sheet order: code, visit date, then every other
    /// sensitive data field (identity fields are never transcribed here; notes collect nothing).
    public var transcriptionColumns: [TranscriptionColumn] {
        var columns: [TranscriptionColumn] = [.code]
        let fields = sensitiveFields.filter { $0.kind != .note }
        let visit = fields.filter { $0.name == TemplateChecker.visitDateField }
        for field in visit + fields.filter({ $0.name != TemplateChecker.visitDateField }) {
            if case .selectMultiple = field.kind, let list = choices(for: field) {
                columns += list.choices.map { .choice(field, $0) }
            } else {
                columns.append(.field(field))
            }
        }
        return columns
    }
}

/// How the header of a transcription file maps to the template's columns.
public struct HeaderMapping: Sendable {
    /// For each file column, the template column it holds, or nil for Separa's own rejects columns.
    public let columns: [TranscriptionColumn?]
    /// Number of leading columns that a rejects file adds (`rejected_line`, `rejected_column`,
    /// `rejected_reason`) and that are skipped when a rejects file is imported again.
    public let rejectsPrefix: Int
    /// For a `select_multiple` field given as one column (choice names separated by spaces, as ODK
    /// exports), that column; such a field has no per-choice columns.
    public let combinedSelects: Set<String>

    /// The rejects file's own leading columns.
    public static let rejectsColumns = ["rejected_line", "rejected_column", "rejected_reason"]

    /// Maps `header` (the first record of the file) onto `template`.
    ///
    /// Every header cell must name a column of the template, by name or by label in any of its languages
    /// (case, accents and spacing ignored); every required field must have its column. An unknown column is
    /// refused before any row is read: it would be a place for notes that must not exist.
    public static func map(_ header: [String], template: Template, file: String) throws(SheetError) -> HeaderMapping {
        var lookup: [String: TranscriptionColumn] = [:]
        var ambiguous: Set<String> = []
        let columns = template.transcriptionColumns
        var combinedCandidates: [String: TranscriptionColumn] = [:]
        for column in columns {
            for spelling in column.acceptedHeaders(template: template) {
                let key = TextKey.normalize(spelling)
                guard !key.isEmpty else { continue }
                if let existing = lookup[key], existing != column {
                    ambiguous.insert(key)
                } else {
                    lookup[key] = column
                }
            }
            // A select_multiple field may also come as one column named like the field.
            if case .choice(let field, _) = column {
                for spelling in [field.name] + field.label.values.values {
                    combinedCandidates[TextKey.normalize(spelling)] = .field(field)
                }
            }
        }
        var prefix = 0
        let lowered = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if lowered.count >= rejectsColumns.count, Array(lowered.prefix(rejectsColumns.count)) == rejectsColumns {
            prefix = rejectsColumns.count
        }
        var mapped: [TranscriptionColumn?] = Array(repeating: nil, count: prefix)
        var seen: [TranscriptionColumn: Int] = [:]
        var combined: Set<String> = []
        for (index, cell) in header.enumerated().dropFirst(prefix) {
            let key = TextKey.normalize(cell)
            let position = index + 1
            if key.isEmpty { throw .emptyHeader(file: file, column: position) }
            if ambiguous.contains(key) { throw .ambiguousHeader(file: file, column: position) }
            guard let column = lookup[key] ?? combinedCandidates[key] else {
                throw .unknownColumn(file: file, column: position)
            }
            if let earlier = seen[column] { throw .duplicateColumn(file: file, column: position, first: earlier) }
            seen[column] = position
            if case .field(let field) = column, case .selectMultiple = field.kind { combined.insert(field.name) }
            mapped.append(column)
        }
        for field in combined {
            if let position = mapped.firstIndex(where: {
                if case .choice(let f, _)? = $0 { f.name == field } else { false }
            }) {
                throw .duplicateColumn(
                    file: file, column: position + 1, first: seen[.field(template.field(named: field)!)]!)
            }
        }
        guard seen[.code] != nil else { throw .missingColumn(file: file, name: "code") }
        for field in template.sensitiveFields where field.required && field.kind != .note {
            let present: Bool
            if case .selectMultiple = field.kind {
                present = combined.contains(field.name) || mapped.contains { $0?.field?.name == field.name }
            } else {
                present = seen[.field(field)] != nil
            }
            if !present { throw .missingColumn(file: file, name: field.name) }
        }
        return HeaderMapping(columns: mapped, rejectsPrefix: prefix, combinedSelects: combined)
    }
}
