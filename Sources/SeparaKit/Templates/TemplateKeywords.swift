import Foundation

/// The word lists the checker uses, one table per language: identity words (refused on a sensitive
/// sheet) and protection-incident / SGBV words (refused everywhere).
///
/// Phrases are matched as whole words after ``TextKey`` folding (case, accents, Arabic letter forms and
/// the Arabic article are ignored); a trailing `*` matches any ending (`violaci*` matches `violación`).
/// Labels are checked against the table of their own language (plus ``universal``), never against another
/// language's: Spanish "nombre" (name) is French "nombre" (number).
public enum TemplateKeywords {
    /// What kind of identity data a word points to (used in messages).
    public enum IdentityKind: String, Sendable, CaseIterable {
        case name = "a name"
        case phone = "a phone number"
        case email = "an e-mail address"
        case address = "an address"
        case document = "a document or ID number"
        case birthDate = "a date of birth"
        case photo = "a photo"
        case signature = "a signature"
    }

    /// A phrase and what it points to.
    public struct IdentityWord: Sendable {
        public let phrase: String
        public let kind: IdentityKind
    }

    /// Languages with both tables: their labels are fully checked.
    public static var coveredLanguages: Set<String> { Set(identity.keys).intersection(protection.keys) }

    private static func words(_ kind: IdentityKind, _ phrases: [String]) -> [IdentityWord] {
        phrases.map { IdentityWord(phrase: $0, kind: kind) }
    }

    /// Identity words per language code.
    public static let identity: [String: [IdentityWord]] = [
        "en": words(
            .name,
            [
                "name", "names", "given name", "first name", "family name", "surname", "last name", "full name",
                "forename", "nickname", "maiden name",
            ])
            + words(
                .phone,
                [
                    "phone", "telephone", "mobile", "cell phone", "cellphone", "whatsapp", "phone number",
                    "contact number",
                ])
            + words(.email, ["email", "e mail"])
            + words(
                .address,
                [
                    "address", "street", "home address", "postal code", "postcode", "zip code", "gps",
                    "location of residence",
                ])
            + words(
                .document,
                [
                    "passport", "id number", "id card", "identity card", "identity document", "document number",
                    "national id", "registration number", "proof of identity", "unhcr number", "case number",
                ])
            + words(.birthDate, ["date of birth", "birth date", "birthdate", "birthday", "dob"])
            + words(.photo, ["photo", "photograph", "picture", "selfie", "fingerprint*", "biometric*"])
            + words(.signature, ["signature", "sign here", "thumbprint"]),
        "fr": words(
            .name,
            ["nom", "noms", "prenom", "prenoms", "nom de famille", "nom complet", "surnom", "nom de jeune fille"])
            + words(.phone, ["telephone", "portable", "mobile", "numero de telephone", "whatsapp", "tel"])
            + words(.email, ["courriel", "email", "e mail", "adresse electronique", "mail"])
            + words(.address, ["adresse", "rue", "domicile", "code postal", "lieu de residence"])
            + words(
                .document,
                [
                    "passeport", "piece d identite", "carte d identite", "numero d identite", "numero de document",
                    "numero du document", "document d identite", "titre de sejour", "numero d enregistrement",
                    "numero de dossier",
                ])
            + words(.birthDate, ["date de naissance", "ne le", "nee le", "anniversaire"])
            + words(.photo, ["photo", "photographie", "empreinte*", "biometri*"])
            + words(.signature, ["signature", "signez"]),
        "es": words(.name, ["nombre", "nombres", "apellido", "apellidos", "nombre completo", "apodo"])
            + words(.phone, ["telefono", "celular", "movil", "numero de telefono", "whatsapp"])
            + words(.email, ["correo", "correo electronico", "email", "e mail"])
            + words(.address, ["direccion", "domicilio", "calle", "codigo postal", "lugar de residencia"])
            + words(
                .document,
                [
                    "pasaporte", "dni", "cedula", "documento de identidad", "numero de documento",
                    "numero de identificacion", "tarjeta de identidad", "nie", "numero de expediente",
                ])
            + words(.birthDate, ["fecha de nacimiento", "cumpleanos"])
            + words(.photo, ["foto", "fotografia", "huella*", "biometri*"])
            + words(.signature, ["firma", "firme"]),
        "ar": words(.name, ["اسم", "الاسم الكامل", "اسم العائلة", "لقب", "كنيه", "الاسم الاول", "اسماء"])
            + words(.phone, ["هاتف", "رقم الهاتف", "جوال", "موبايل", "محمول", "واتساب", "تلفون"])
            + words(.email, ["بريد الكتروني", "بريد", "ايميل"])
            + words(.address, ["عنوان", "السكن", "الشارع", "شارع", "مكان الاقامه"])
            + words(
                .document,
                [
                    "جواز السفر", "جواز", "رقم الهويه", "بطاقه الهويه", "هويه", "رقم الوثيقه", "وثيقه", "رقم التسجيل",
                    "رقم الملف",
                ])
            + words(.birthDate, ["تاريخ الميلاد", "تاريخ الولاده", "ميلاد"])
            + words(.photo, ["صوره", "بصمه", "بيومتري*"])
            + words(.signature, ["توقيع", "امضاء"]),
    ]

    /// Identity words recognised in every language (international spellings).
    public static let universal: [IdentityWord] =
        words(.email, ["email", "e mail"]) + words(.phone, ["whatsapp"])

    /// Words recognised in field names (written in ASCII, split at `_` and at case changes):
    /// English and the unambiguous French, Spanish and transliterated words.
    public static let fieldNameWords: [IdentityWord] =
        words(
            .name,
            [
                "name", "names", "firstname", "lastname", "surname", "fullname", "givenname", "familyname", "forename",
                "nom", "prenom", "nombre", "apellido", "apellidos", "nickname",
            ])
        + words(
            .phone, ["phone", "telephone", "tel", "mobile", "cellphone", "whatsapp", "telefono", "portable", "msisdn"])
        + words(.email, ["email", "mail", "courriel", "correo"])
        + words(
            .address,
            ["address", "street", "adresse", "direccion", "domicile", "domicilio", "postcode", "zipcode", "gps"])
        + words(.document, ["passport", "passeport", "pasaporte", "id", "dni", "cedula"])
        + words(.birthDate, ["dob", "birthday"])
        + words(.photo, ["photo", "picture", "image", "selfie", "fingerprint", "foto", "biometric"])
        + words(.signature, ["signature", "firma"])

    /// Words about protection incidents and sexual and gender-based violence, per language code.
    public static let protection: [String: [String]] = [
        "en": [
            "sexual violence", "sexual abuse", "sexual assault", "sexual exploitation", "sexual harassment", "rape",
            "raped", "rapist",
            "abuse", "abused", "abuser", "assault", "assaulted", "exploitation", "exploited", "trafficking",
            "trafficked", "trafficker*",
            "gender based violence", "gbv", "sgbv", "violence", "violent", "molest*", "harass*", "incident",
            "incidents", "perpetrator*",
            "attacker", "torture*", "kidnap*", "abduct*", "forced marriage", "child marriage", "survivor", "survivors",
            "beaten", "beating",
            "sex work", "transactional sex", "forced to have sex", "unwanted sex", "fgm", "genital mutilation",
        ],
        "fr": [
            "violence sexuelle", "violences sexuelles", "abus sexuel", "abus sexuels", "agression sexuelle",
            "agressions sexuelles",
            "exploitation sexuelle", "harcelement sexuel", "viol", "viols", "violee", "viole", "violeur", "abus",
            "agression",
            "agressions", "agresse", "agressee", "exploitation", "exploite", "exploitee", "traite des etres humains",
            "traite des personnes",
            "trafic d etres humains", "trafiquant*", "violence basee sur le genre", "violences basees sur le genre",
            "vbg", "vsbg",
            "violence", "violences", "harcelement", "incident", "incidents", "auteur des faits", "agresseur*",
            "torture*", "enlevement",
            "enleve", "enlevee", "mariage force", "mariage precoce", "survivant", "survivante", "battu", "battue",
            "coups",
            "mutilation genitale", "mutilations genitales", "excision",
        ],
        "es": [
            "violencia sexual", "abuso sexual", "abusos sexuales", "agresion sexual", "explotacion sexual",
            "acoso sexual", "violacion",
            "violaciones", "violada", "violado", "violador*", "abuso", "abusos", "abusada", "abusado", "agresion",
            "agresiones",
            "agredida", "agredido", "agresor*", "explotacion", "explotada", "explotado", "trata de personas",
            "trata de seres humanos", "trafico de personas",
            "tratante*", "violencia de genero", "violencia basada en genero", "vbg", "violencia", "violencias", "acoso",
            "incidente",
            "incidentes", "tortura*", "secuestro*", "secuestrada", "secuestrado", "matrimonio forzado",
            "matrimonio infantil",
            "sobreviviente", "golpeada", "golpeado", "golpes", "mutilacion genital", "sexo transaccional",
        ],
        "ar": [
            "عنف جنسي", "اعتداء جنسي", "استغلال جنسي", "تحرش جنسي", "اغتصاب", "مغتصب*", "اغتصبت", "اعتداء", "اعتداءات",
            "تعرضت للاعتداء",
            "اساءه", "اساءه جنسيه", "تحرش", "استغلال", "اتجار بالبشر", "اتجار", "الاتجار", "تهريب البشر",
            "عنف قائم على النوع الاجتماعي",
            "العنف القائم على النوع الاجتماعي", "عنف", "حادث", "حادثه", "حوادث", "الجاني", "جاني", "المعتدي", "معتدي",
            "تعذيب", "اختطاف", "خطف",
            "زواج قسري", "زواج مبكر", "زواج الاطفال", "ناجي", "ناجيه", "ضرب", "تشويه الاعضاء التناسليه", "ختان",
        ],
    ]

    /// Concatenated identity words found anywhere in a field name (`child_given_name`, `dateOfBirth`).
    public static let fieldNameCompounds: [IdentityWord] =
        words(.name, ["firstname", "lastname", "fullname", "givenname", "familyname", "surname", "nomdefamille"])
        + words(.phone, ["phonenumber", "telephone", "mobilenumber", "numerotelephone"])
        + words(.email, ["email", "emailaddress"])
        + words(
            .document, ["idnumber", "idcard", "nationalid", "passportnumber", "documentnumber", "docnumber", "idno"])
        + words(
            .birthDate,
            ["dateofbirth", "birthdate", "datenaissance", "datedenaissance", "fechadenacimiento", "fechanacimiento"])
        + words(.address, ["homeaddress", "streetaddress", "zipcode", "postcode", "postalcode"])

    /// SGBV words recognised in field names (ASCII, split at `_` and at case changes).
    public static let fieldNameProtectionWords: [String] = [
        "sgbv", "gbv", "vbg", "rape", "raped", "sexual", "abuse", "abused", "assault", "exploitation", "trafficking",
        "trafficked",
        "violence", "violencia", "viol", "violacion", "incident", "incidents", "perpetrator", "torture", "kidnap",
        "kidnapped",
        "abduction", "harassment", "molestation", "fgm", "survivor", "agression", "abus", "abuso", "trata", "agresion",
    ]

    // MARK: - Matching

    /// The first identity word of `language`'s table (and ``universal``) that `text` contains.
    static func identityMatch(_ text: String, language: String) -> IdentityWord? {
        let words = TextKey.words(text)
        return ((identity[language] ?? []) + universal).first { contains(words, phrase: $0.phrase) }
    }

    /// The first protection / SGBV word of `language`'s table that `text` contains.
    static func protectionMatch(_ text: String, language: String) -> String? {
        let words = TextKey.words(text)
        return (protection[language] ?? []).first { contains(words, phrase: $0) }
    }

    /// The first identity word in a field name (`family_name`, `phoneNumber`, `dob`).
    static func identityMatch(fieldName: String) -> IdentityWord? {
        let parts = nameParts(fieldName)
        let joined = parts.joined()
        return fieldNameWords.first { parts.contains($0.phrase) }
            ?? fieldNameCompounds.first { joined.contains($0.phrase) }
    }

    /// The first SGBV word in a field name.
    static func protectionMatch(fieldName: String) -> String? {
        let parts = nameParts(fieldName)
        return fieldNameProtectionWords.first { parts.contains($0) }
    }

    /// A field name split at `_`, `-`, `.`, digits and lower-to-upper case changes, lower-cased.
    static func nameParts(_ name: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var previousLower = false
        for character in name {
            if !character.isLetter {
                if !current.isEmpty { parts.append(current) }
                current = ""
                previousLower = false
                continue
            }
            if character.isUppercase && previousLower {
                parts.append(current)
                current = ""
            }
            current.append(character)
            previousLower = character.isLowercase
        }
        if !current.isEmpty { parts.append(current) }
        return parts.map { TextKey.normalize($0) }
    }

    /// A phrase as ``contains(_:phrase:)`` compares it: its words, and whether the last one is a prefix.
    struct Needle: Sendable {
        let words: [String]
        let wildcard: Bool

        init(_ phrase: String) {
            wildcard = phrase.hasSuffix("*")
            words = TextKey.words(wildcard ? String(phrase.dropLast()) : phrase)
        }
    }

    /// Every phrase of the tables, split once: the checker matches each label against whole tables, and
    /// splitting the same phrases again for every label was most of the time a template check took.
    private static let needles: [String: Needle] = {
        let phrases =
            identity.values.flatMap { $0.map(\.phrase) } + universal.map(\.phrase) + protection.values.flatMap { $0 }
        return Dictionary(phrases.map { ($0, Needle($0)) }, uniquingKeysWith: { first, _ in first })
    }()

    /// Whether `words` contain the phrase's words consecutively (a trailing `*` on a phrase word
    /// matches any ending).
    static func contains(_ words: [String], phrase: String) -> Bool {
        let cached = needles[phrase] ?? Needle(phrase)
        let wildcard = cached.wildcard
        let needle = cached.words
        guard !needle.isEmpty, needle.count <= words.count else { return false }
        for start in 0...(words.count - needle.count) {
            var matched = true
            for (offset, word) in needle.enumerated() {
                let candidate = words[start + offset]
                let isLast = offset == needle.count - 1
                if wildcard && isLast ? !candidate.hasPrefix(word) : candidate != word {
                    matched = false
                    break
                }
            }
            if matched { return true }
        }
        return false
    }
}
