/// The fixed words of printed forms, in every language Separa prints forms in: the one localisation table
/// for forms.
///
/// Everything a template does not say itself (the names of the parts, page numbers, the volunteer's boxes,
/// reminders to keep slips and sheets apart) comes from here; labels, hints, choices and titles come from
/// the template, and the consent statement from ``ConsentText``. To add a language, add one entry to
/// ``table`` (and to ``ConsentText`` and ``CardWording``) and have a native speaker read a printed form.
public struct FormWording: Sendable {
    /// BCP 47 language code, as in templates and `separa.json`.
    public let language: String
    /// The writing direction of the language.
    public let direction: TextStyle.Direction
    /// Relative text size: Arabic needs a little more size to be as legible as Latin at the same point size.
    public let sizeFactor: Double
    /// Line height as a multiple of the font's own (0: the font's). Noto Sans Arabic's own line height makes
    /// room for stacked marks that form text does not use.
    public let lineSpacing: Double

    /// The part the person's identity is written on.
    public let identitySlip: String
    /// The part keyed only by the code.
    public let sensitiveSheet: String
    /// The card the person keeps.
    public let card: String
    /// "page 2 of 3".
    public let pageOf: @Sendable (Int, Int) -> String
    /// Printed in the slip's header: where the slip goes.
    public let keepSlipApart: String
    /// Printed in the sheet's header: no name on this sheet.
    public let noNamesOnSheet: String
    /// After a page title continued from the previous page.
    public let continued: String
    /// Tick box on the slip when the template has no consent question of its own.
    public let consentGiven: String
    /// Boxes for the volunteer's initials on the slip.
    public let volunteerInitials: String
    /// The date the slip was filled, beside the volunteer's initials.
    public let date: String
    /// A box for the person's signature, printed only when the template asks for one.
    public let signature: String
    /// Under the question of a `select_multiple` field.
    public let tickAll: String
    /// Under the digit boxes of a date: the names of its parts.
    public let day: String
    public let month: String
    public let year: String
    /// After the digit boxes of an age.
    public let years: String
    /// Between an age in years and the age bands.
    public let orIfUnknown: String
    /// Above the code boxes of a sheet printed without a code.
    public let copyCode: String
    /// Printed when the code is not pre-printed: the code boxes' label.
    public let code: String
    /// "printed" before the print date.
    public let printed: String
    /// The decimal separator written between whole and decimal digit boxes.
    public let decimalSeparator: String

    /// Languages with form wording, in the order `separa print --help` lists them.
    public static let languages = ["en", "fr", "es", "ar"]

    /// Wording by language code.
    public static let table: [String: FormWording] = [
        "en": FormWording(
            language: "en", direction: .leftToRight, sizeFactor: 1, lineSpacing: 0,
            identitySlip: "Identity slip", sensitiveSheet: "Sensitive sheet", card: "Code card",
            pageOf: { "page \($0) of \($1)" },
            keepSlipApart: "Keep this slip apart from the sensitive sheet, in the locked box.",
            noNamesOnSheet: "Never write a name on this sheet.",
            continued: "(continued)",
            consentGiven: "Consent given",
            volunteerInitials: "Volunteer’s initials", date: "Date",
            signature: "Signature", tickAll: "Tick all that apply.",
            day: "day", month: "month", year: "year",
            years: "years", orIfUnknown: "or, if not known:",
            copyCode: "Copy the code from the person’s card", code: "Code",
            printed: "printed", decimalSeparator: "."),
        "fr": FormWording(
            language: "fr", direction: .leftToRight, sizeFactor: 1, lineSpacing: 0,
            identitySlip: "Fiche d’identité", sensitiveSheet: "Fiche confidentielle", card: "Carte de code",
            pageOf: { "page \($0) sur \($1)" },
            keepSlipApart: "Gardez cette fiche à part de la fiche confidentielle, dans la boîte fermée à clé.",
            noNamesOnSheet: "N’écrivez jamais de nom sur cette fiche.",
            continued: "(suite)",
            consentGiven: "Consentement donné",
            volunteerInitials: "Initiales du ou de la bénévole", date: "Date",
            signature: "Signature", tickAll: "Cochez tout ce qui s’applique.",
            day: "jour", month: "mois", year: "année",
            years: "ans", orIfUnknown: "ou, si inconnu :",
            copyCode: "Recopiez le code de la carte de la personne", code: "Code",
            printed: "imprimé le", decimalSeparator: ","),
        "es": FormWording(
            language: "es", direction: .leftToRight, sizeFactor: 1, lineSpacing: 0,
            identitySlip: "Hoja de identidad", sensitiveSheet: "Hoja confidencial", card: "Tarjeta de código",
            pageOf: { "página \($0) de \($1)" },
            keepSlipApart: "Guarde esta hoja aparte de la hoja confidencial, en la caja cerrada con llave.",
            noNamesOnSheet: "No escriba nunca un nombre en esta hoja.",
            continued: "(continuación)",
            consentGiven: "Consentimiento dado",
            volunteerInitials: "Iniciales del voluntario o la voluntaria", date: "Fecha",
            signature: "Firma", tickAll: "Marque todo lo que corresponda.",
            day: "día", month: "mes", year: "año",
            years: "años", orIfUnknown: "o, si no se sabe:",
            copyCode: "Copie el código de la tarjeta de la persona", code: "Código",
            printed: "impreso el", decimalSeparator: ","),
        "ar": FormWording(
            language: "ar", direction: .rightToLeft, sizeFactor: 1.05, lineSpacing: 0.72,
            identitySlip: "ورقة الهوية", sensitiveSheet: "الورقة السرية", card: "بطاقة الرمز",
            pageOf: { "صفحة \($0) من \($1)" },
            keepSlipApart: "احفظ هذه الورقة بعيدًا عن الورقة السرية، في الصندوق المقفل.",
            noNamesOnSheet: "لا تكتب أي اسم على هذه الورقة أبدًا.",
            continued: "(تابع)",
            consentGiven: "تمت الموافقة",
            volunteerInitials: "الأحرف الأولى من اسم المتطوع", date: "التاريخ",
            signature: "التوقيع", tickAll: "ضع علامة على كل ما ينطبق.",
            day: "يوم", month: "شهر", year: "سنة",
            years: "سنة", orIfUnknown: "أو، إذا كان غير معروف:",
            copyCode: "انسخ الرمز من بطاقة الشخص", code: "الرمز",
            printed: "طُبع في", decimalSeparator: "."),
    ]
}
