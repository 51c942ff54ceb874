import Foundation

/// The paper a print run is laid out for: forms, code cards and label-less card sheets.
public enum PaperSize: String, CaseIterable, Hashable, Sendable {
    case a4, letter

    public var pageSize: PageSize {
        switch self {
        case .a4: return .a4
        case .letter: return .letter
        }
    }
}
