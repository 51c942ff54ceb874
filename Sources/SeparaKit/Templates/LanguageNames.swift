import Foundation

/// Maps the language names XLSForm headers use (`English`, `Français`, `العربية`, `English (en)`, `EN`)
/// to the language codes of `separa.json`.
public enum LanguageNames {
    /// How a header's language was turned into a code.
    public enum Method: String, Sendable {
        /// The header carried the code: `label::English (en)`.
        case declaredCode = "code given in the header"
        /// The header is a code itself: `label::EN`.
        case code = "the header is a code"
        /// A well-known language name: `label::Français`.
        case knownName = "known language name"
        /// Unknown: the name is kept as the key.
        case unmapped = "unknown language: name kept"
    }

    /// Well-known names (folded with ``TextKey``) → code. Names in English, in the language itself,
    /// and in French, Spanish and Arabic.
    static let names: [String: String] = {
        let table: [String: [String]] = [
            "en": ["english", "anglais", "ingles", "الانجليزيه", "الانكليزيه", "kiingereza"],
            "fr": ["french", "francais", "frances", "الفرنسيه", "kifaransa"],
            "es": ["spanish", "espanol", "castellano", "espagnol", "الاسبانيه"],
            "ar": ["arabic", "العربيه", "عربي", "arabe", "kiarabu"],
            "sw": ["swahili", "kiswahili"],
            "pt": ["portuguese", "portugues", "portugais"],
            "it": ["italian", "italiano", "italien"],
            "de": ["german", "deutsch", "allemand", "aleman"],
            "fa": ["persian", "farsi", "فارسی", "persan"],
            "prs": ["dari", "دری"],
            "ps": ["pashto", "pashtu", "پښتو"],
            "ti": ["tigrinya", "ትግርኛ", "tigrigna"],
            "am": ["amharic", "አማርኛ", "amharique"],
            "so": ["somali", "soomaali"],
            "ku": ["kurdish", "kurdi", "kurde"],
            "ckb": ["sorani", "کوردی"],
            "tr": ["turkish", "turkce", "turc"],
            "ru": ["russian", "русский", "russe"],
            "uk": ["ukrainian", "украинский", "українська", "ukrainien"],
            "ur": ["urdu", "اردو"],
            "bn": ["bengali", "bangla", "বাংলা"],
            "hi": ["hindi", "हिन्दी"],
            "ha": ["hausa"],
            "zh": ["chinese", "中文", "chinois"],
            "tet": ["tetun", "tetum"],
            "wo": ["wolof"],
            "ff": ["fula", "fulah", "pulaar", "fulfulde", "peul"],
            "ln": ["lingala"],
            "bm": ["bambara", "bamanankan"],
            "rw": ["kinyarwanda"],
            "om": ["oromo", "afaan oromoo"],
            "he": ["hebrew", "עברית"],
            "el": ["greek", "ελληνικα"],
            "pl": ["polish", "polski"],
            "ro": ["romanian", "romana"],
            "ne": ["nepali"],
            "my": ["burmese", "myanmar"],
            "ta": ["tamil"],
            "yo": ["yoruba"],
            "ig": ["igbo"],
            "mg": ["malagasy"],
            "ht": ["haitian creole", "kreyol", "creole haitien"],
        ]
        var result: [String: String] = [:]
        for (code, names) in table { for name in names { result[TextKey.normalize(name)] = code } }
        return result
    }()

    /// The codes ``names`` knows.
    static let knownCodes: Set<String> = Set(names.values)

    /// The code for a header's language key, and how it was found. `default` (a `label` column without a
    /// language) maps to `defaultLanguage`'s code when given.
    public static func code(for key: String, defaultLanguage: String? = nil) -> (code: String, method: Method) {
        let trimmed = key.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed == "default", let defaultLanguage, defaultLanguage != "default" {
            return code(for: defaultLanguage)
        }
        // "English (en)", "English (EN)"
        if trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") {
            let inside = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
                .trimmingCharacters(in: .whitespaces).lowercased()
            if WorkspaceConfig.isLanguageCode(inside) { return (inside, .declaredCode) }
        }
        let lower = trimmed.lowercased()
        if knownCodes.contains(lower) { return (lower, .code) }
        if let code = names[TextKey.normalize(trimmed)] { return (code, .knownName) }
        return (trimmed, .unmapped)
    }
}
