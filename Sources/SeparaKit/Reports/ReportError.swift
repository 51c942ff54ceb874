import Foundation

/// Why a report cannot be made. Messages name the template, field or option, never a value from a record.
public enum ReportError: Error, Sendable, CustomStringConvertible {
    /// The template asked for lacks a field a dimension needs.
    case missingField(template: String, dimension: ReportDimension, field: String)
    /// A field has another type than the report expects.
    case wrongFieldType(template: String, field: String, expected: String)
    /// `--from` is after `--to`.
    case emptyRange(from: String, to: String)
    /// The range holds more periods than a report may have.
    case tooManyPeriods(count: Int, maximum: Int)
    /// The store could not be read.
    case store(StoreError)
    /// A file could not be written; nothing was published.
    case cannotWrite(path: String, reason: String)
    /// The template could not be read.
    case template(TemplateError)
    /// The `reports` settings are unusable (a configuration built in code; `separa.json` is checked when
    /// the workspace opens).
    case invalidSettings([String])

    public var description: String {
        switch self {
        case .missingField(let template, let dimension, let field):
            return
                "template \(template) has no field \(field), which --by \(dimension) needs: leave \(dimension) out of --by, or choose another --template"
        case .wrongFieldType(let template, let field, let expected):
            return "template \(template): field \(field) must be \(expected) for reports"
        case .emptyRange(let from, let to):
            return "--from \(from) is after --to \(to): give a start on or before the end"
        case .tooManyPeriods(let count, let maximum):
            return
                "the range holds \(count) periods (at most \(maximum)): shorten --from/--to or choose a longer --period"
        case .store(let error):
            return "\(error)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason); nothing was published"
        case .template(let error):
            return "\(error)"
        case .invalidSettings(let problems):
            return "separa.json: " + problems.joined(separator: "; ")
        }
    }
}
