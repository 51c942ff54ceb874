import Foundation

/// Humanitarian Exchange Language (hxlstandard.org) hashtags for the report's CSV: a hashtag row under the
/// header row, one `#tag +attribute…` per column.
public enum HXL {
    /// An HXL hashtag with attributes, e.g. `#reached +ind +f +children +age0_4`.
    public static func tag(_ hashtag: String, _ attributes: [String]) -> String {
        (["#" + hashtag] + attributes.map { "+" + $0 }).joined(separator: " ")
    }

    /// `text` made a valid attribute name: lower case ASCII letters, digits and underscores, starting with a
    /// letter.
    public static func attributeSafe(_ text: String) -> String {
        var result = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" {
                result.unicodeScalars.append(scalar)
            } else {
                result += "_"
            }
        }
        if let first = result.unicodeScalars.first, ("a"..."z").contains(first) { return result }
        return "x" + result
    }
}
