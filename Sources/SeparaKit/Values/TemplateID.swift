import Foundation

/// A template's identifier, e.g. `intake`: lower-case letters, digits, `_` and `-`, starting with a letter.
///
/// It names the file (`templates/intake.yaml`), is printed on every page and selects the template in
/// `separa print intake` and `separa ingest intake`.
public struct TemplateID: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    /// Whether the id has the allowed shape (1 to 40 of `a-z 0-9 _ -`, starting with a letter).
    public var isValid: Bool {
        guard let first = rawValue.unicodeScalars.first, ("a"..."z").contains(first), rawValue.count <= 40 else {
            return false
        }
        return rawValue.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }

    public static func < (lhs: TemplateID, rhs: TemplateID) -> Bool { lhs.rawValue < rhs.rawValue }
}
