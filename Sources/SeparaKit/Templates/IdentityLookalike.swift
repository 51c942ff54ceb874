import Foundation

/// Spots text that looks like identity: a phone number (in digits or in words), an e-mail address (also
/// written with "at" and "dot"), a "name:" label, a "his name is" phrasing, a title before a name, or a
/// personal name written as one (two capitalised words), in English, French, Spanish and Arabic.
///
/// The text is normalised first (NFKC, format and zero-width characters removed, Cyrillic and Greek letters
/// that look Latin mapped to Latin), so that `Nаme` with a Cyrillic а or a zero-width space inside a word
/// reads as what a person sees.
enum IdentityLookalike {
    static let nameLabels = [
        "name", "names", "nom", "prénom", "prenom", "nombre", "apellido", "اسم", "الاسم", "phone", "tel", "tél",
        "téléphone", "telefono", "teléfono", "هاتف",
    ]

    /// Phrases that introduce a name ("his name is…"), lower case, after normalisation.
    static let namePhrases = [
        "his name is", "her name is", "my name is", "their name is", "name is", "is called", "was called",
        "known as", "named",
        "il s'appelle", "elle s'appelle", "je m'appelle", "s'appelle", "son nom est", "nommé", "nommée",
        "se llama", "me llamo", "su nombre es", "llamado", "llamada", "اسمه", "اسمها", "اسمي", "يدعى", "تدعى",
        "يسمى", "تسمى",
    ]

    /// Titles written before a person's name.
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "miss", "mister", "dr", "madam", "madame", "mme", "mlle", "monsieur", "mademoiselle",
        "sr", "sra", "srta", "señor", "señora", "senor", "senora", "don", "doña", "dona", "haji", "hajji", "sheikh",
        "السيد", "السيدة", "الأستاذ", "الاستاذ", "الحاج", "الشيخ",
    ]

    /// Digit words in the four languages.
    static let digitWords: Set<String> = [
        "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "zéro", "un", "deux",
        "trois", "quatre", "cinq", "sept", "huit", "neuf", "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis",
        "siete", "ocho", "nueve", "صفر", "واحد", "اثنان", "اثنين", "ثلاثة", "اربعة", "أربعة", "خمسة", "ستة", "سبعة",
        "ثمانية", "تسعة", "double", "triple",
    ]

    /// Words for 10–99 (phone numbers are often read in pairs: "zéro six, douze, trente…"): two digits each.
    static let pairWords: Set<String> = [
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "dix", "onze",
        "douze", "treize", "quatorze", "quinze", "seize", "vingt", "trente", "quarante", "cinquante", "soixante",
        "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "veinte", "treinta", "cuarenta",
        "cincuenta", "sesenta", "setenta", "ochenta", "noventa", "عشرة", "عشرون", "عشرين", "ثلاثون", "أربعون",
        "خمسون", "ستون", "سبعون", "ثمانون", "تسعون",
    ]

    /// Cyrillic and Greek letters drawn like Latin ones (a subset of Unicode's confusables, UTS #39).
    static let confusables: [Character: Character] = [
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
        "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ɡ": "g", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M",
        "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "α": "a",
        "ο": "o", "ρ": "p", "ν": "v", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
        "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    ]

    /// The text as a reader sees it: NFKC, without format (zero-width) characters, confusables mapped.
    static func normalise(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping
        var result = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars where scalar.properties.generalCategory != .format {
            result.append(scalar)
        }
        return String(String(result).map { confusables[$0] ?? $0 })
    }

    /// What the text looks like (for the message), or nil.
    static func detect(_ raw: String) -> String? {
        let text = normalise(raw)
        var digits = 0
        var run = 0
        for character in text {
            if character.isNumber {
                digits += 1
                run += 1
            } else if " -.()/+".contains(character) {
                continue
            } else {
                run = 0
            }
            if run >= 7 { return "a phone number" }
        }
        if digits >= 9 { return "a phone number" }
        if let at = text.firstIndex(of: "@"), text[at...].contains("."), at > text.startIndex {
            return "an e-mail address"
        }
        let lowered = text.lowercased()
        for label in nameLabels {
            for separator in [":", "=", " :"] where lowered.contains(label + separator) {
                return "a name or contact"
            }
        }
        let words = Self.words(text)
        let lowerWords = words.map { $0.lowercased() }
        if lowered.wholeMatch(of: emailInWords) != nil || lowered.firstMatch(of: emailInWords) != nil {
            return "an e-mail address written in words"
        }
        // Six digits or more spelled out in a row (digits between them count too).
        var spelled = 0
        for word in lowerWords {
            let worth =
                word.allSatisfy(\.isNumber)
                ? word.count : digitWords.contains(word) ? 1 : pairWords.contains(word) ? 2 : 0
            if worth == 0 {
                spelled = 0
            } else {
                spelled += worth
                if spelled >= 6 { return "a phone number written in words" }
            }
        }
        let padded = " " + lowerWords.joined(separator: " ") + " "
        for phrase in namePhrases where padded.contains(" " + phrase + " ") || lowered.hasPrefix(phrase + " ") {
            return "a name (“\(phrase) …”)"
        }
        for (index, word) in lowerWords.enumerated().dropLast() where titles.contains(word) {
            if words[index + 1].first?.isLetter == true { return "a name after a title (“\(words[index])”)" }
        }
        for index in words.indices.dropLast() where isCapitalised(words[index]) && isCapitalised(words[index + 1]) {
            return "a personal name (two capitalised words)"
        }
        return nil
    }

    /// `word at word dot word`, with `at`/`dot` also in brackets or in French and Spanish.
    nonisolated(unsafe) static let emailInWords =
        /[\p{L}\p{N}._-]+\s*(?:\(at\)|\[at\]|\sat\s|\sarobase\s|\sarroba\s)\s*[\p{L}\p{N}-]+\s*(?:\(dot\)|\[dot\]|\sdot\s|\spoint\s|\spunto\s)\s*\p{L}{2,}/

    /// The letter runs of `text` (apostrophes kept inside a word).
    static func words(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’") }.map(String.init)
    }

    /// `Zebulon`: an upper-case letter and then at least one letter, all lower case.
    static func isCapitalised(_ word: String) -> Bool {
        guard let first = word.first, first.isUppercase, word.count >= 2 else { return false }
        return word.dropFirst().allSatisfy { $0.isLowercase }
    }
}

extension IdentityLookalike {
    /// What a rejects file holds instead of a cell that looks like identity.
    static let marker = "[removed: looked like identity; take this value from the paper form]"

    /// Which columns of a transcription are checked before a rejected row's cells are copied into a rejects
    /// file: every field but dates (a date is digits and slashes, like a phone number) — not the code.
    static func checkedColumns(_ columns: [TranscriptionColumn?]) -> [Bool] {
        columns.map { column in
            guard let field = column?.field else { return column == nil }
            if case .date = field.kind { return false }
            return true
        }
    }
}
