import Foundation

/// The `--languages en,ar` option value of print, card and key reissue.
enum LanguageList {
    /// The language codes of a comma-separated list, trimmed, empty items left out.
    static func parse(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
