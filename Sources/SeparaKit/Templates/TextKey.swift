import Foundation

/// The forgiving comparison key used to match what a person typed (a CSV header, a choice written as
/// its label) against a template: case, accents, width, spaces and punctuation are ignored, and Arabic
/// letters that are written interchangeably (أ إ آ ا, ى ي, ة ه) are unified.
///
/// `"Given name"`, `"given_name"` and `"GIVEN-NAME "` share a key; `"Âge (années)"` matches `"age annees"`.
public enum TextKey {
    /// The comparison key of `text`: only letters and digits, folded.
    public static func normalize(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var scalars = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            guard let mapped = arabicFold(scalar) else { continue }
            if mapped.properties.isAlphabetic || mapped.properties.numericType != nil { scalars.append(mapped) }
        }
        return String(scalars).lowercased()
    }

    /// Words of `text`, folded like ``normalize(_:)`` but split at spaces and punctuation; Arabic words
    /// lose a leading article or conjunction (`ال`, `وال`, `بال`, `لل`…) so that `الاسم` and `اسم` match.
    static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(stripArabicPrefix(String(current))) }
            current = String.UnicodeScalarView()
        }
        for scalar in folded.unicodeScalars {
            guard let mapped = arabicFold(scalar) else { continue }
            if mapped.properties.isAlphabetic || mapped.properties.numericType != nil {
                current.append(mapped)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// Arabic letter unification; nil drops the scalar (tatweel, harakat that survived folding).
    private static func arabicFold(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x0640, 0x064B...0x065F, 0x0670: return nil  // tatweel, harakat, superscript alef
        case 0x0622, 0x0623, 0x0625, 0x0671: return "\u{0627}"  // alef forms -> ا
        case 0x0649: return "\u{064A}"  // ى -> ي
        case 0x0629: return "\u{0647}"  // ة -> ه
        case 0x0624: return "\u{0648}"  // ؤ -> و
        case 0x0626: return "\u{064A}"  // ئ -> ي
        default: return scalar
        }
    }

    /// Strips up to two leading article/conjunction prefixes, so that a word written with the article
    /// (`الالكتروني`) and the same word in a word list (`الكتروني`) fold alike.
    private static func stripArabicPrefix(_ word: String) -> String {
        guard let first = word.unicodeScalars.first, (0x0600...0x06FF).contains(first.value) else { return word }
        var result = word
        for _ in 0..<2 {
            guard
                let prefix = ["وال", "بال", "كال", "فال", "لل", "ال"].first(where: {
                    result.hasPrefix($0) && result.count - $0.count >= 2
                })
            else { break }
            result = String(result.dropFirst(prefix.count))
        }
        return result
    }
}

/// The outcome of matching typed text against a template's fields or choices.
public enum Match<Value: Sendable>: Sendable {
    /// Exactly one element matches.
    case found(Value)
    /// Nothing matches.
    case notFound
    /// Several elements match; their names are given so the message can list them.
    case ambiguous([String])

    /// The matched value, if exactly one.
    public var value: Value? {
        if case .found(let value) = self { return value }
        return nil
    }
}

extension Field {
    /// Whether `text` names this field: its name, or its label in any language, compared with ``TextKey``.
    public func matches(_ text: String) -> Bool {
        let key = TextKey.normalize(text)
        guard !key.isEmpty else { return false }
        return TextKey.normalize(name) == key || label.values.values.contains { TextKey.normalize($0) == key }
    }
}

extension Choice {
    /// Whether `text` names this choice: its name, or its label in any language, compared with ``TextKey``.
    public func matches(_ text: String) -> Bool {
        let key = TextKey.normalize(text)
        guard !key.isEmpty else { return false }
        return TextKey.normalize(name) == key || label.values.values.contains { TextKey.normalize($0) == key }
    }
}

extension ChoiceList {
    /// The choice `text` names: an exact name first, else a name or label in any language
    /// (see ``TextKey``). Ambiguous when two choices match.
    public func choice(matching text: String) -> Match<Choice> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let exact = choice(named: trimmed) { return .found(exact) }
        let matches = choices.filter { $0.matches(trimmed) }
        switch matches.count {
        case 0: return .notFound
        case 1: return .found(matches[0])
        default: return .ambiguous(matches.map(\.name))
        }
    }
}

extension Template {
    /// The data field a column header names: an exact field name first, else a name or label in any
    /// language (see ``TextKey``). Notes are never matched. Ambiguous when two fields match.
    public func field(matchingHeader header: String) -> Match<Field> {
        let trimmed = header.trimmingCharacters(in: .whitespacesAndNewlines)
        if let exact = dataFields.first(where: { $0.name == trimmed }) { return .found(exact) }
        let matches = dataFields.filter { $0.matches(trimmed) }
        switch matches.count {
        case 0: return .notFound
        case 1: return .found(matches[0])
        default: return .ambiguous(matches.map(\.name))
        }
    }
}
