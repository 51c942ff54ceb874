/// The words on a code card, in every language Separa ships: the one localisation table for cards.
///
/// People read these cards with little reason to trust paperwork: plain words, short sentences, no
/// jargon, nothing that promises more than is true. To add a language, add one entry to ``table`` (with
/// its writing direction) and have a native speaker read it on a printed card. The contact details
/// themselves (the data controller's name and contact from `separa.json`) are printed once, under the
/// last language, and are not translated.
public struct CardWording: Hashable, Sendable {
    /// BCP 47 language code, as in `separa.json` `languages`.
    public let language: String
    /// The language's name in itself, for messages.
    public let name: String
    /// Heading above the code.
    public let title: String
    /// What the code is for.
    public let purpose: String
    /// That the code holds no name and nothing about the person.
    public let noPersonalData: String
    /// Leads into the controller's name and contact, printed after the last language.
    public let contactLead: String
    /// The writing direction of the language.
    public let direction: TextStyle.Direction
    /// Relative text size: scripts such as Arabic need a little more size to be as legible as Latin.
    public let sizeFactor: Double
    /// Line height as a multiple of the font's own (0: the font's). Noto Sans Arabic's own line height makes
    /// room for stacked marks that plain card text does not use.
    public let lineSpacing: Double

    /// The paragraph printed for this language.
    public var paragraph: String { "\(purpose) \(noPersonalData) \(contactLead)" }

    /// Languages with card wording, in the order `separa card --help` lists them.
    public static let languages = ["en", "fr", "es", "ar"]

    /// Wording by language code.
    public static let table: [String: CardWording] = [
        "en": CardWording(
            language: "en", name: "English",
            title: "Your code",
            purpose: "Keep this card. Show it each time you come back, so we can continue to help you.",
            noPersonalData: "The code and the black square do not contain your name or anything about you.",
            contactLead: "Questions about your information? Contact:",
            direction: .leftToRight, sizeFactor: 1, lineSpacing: 0),
        "fr": CardWording(
            language: "fr", name: "Français",
            title: "Votre code",
            purpose: "Gardez cette carte. Montrez-la à chaque visite, pour que nous puissions continuer à vous aider.",
            noPersonalData: "Le code et le carré noir ne contiennent ni votre nom, ni rien sur vous.",
            contactLead: "Des questions sur vos informations\u{202F}? Contactez\u{202F}:",
            direction: .leftToRight, sizeFactor: 1, lineSpacing: 0),
        "es": CardWording(
            language: "es", name: "Español",
            title: "Su código",
            purpose: "Guarde esta tarjeta. Muéstrela cada vez que vuelva, para que podamos seguir ayudándole.",
            noPersonalData: "El código y el cuadrado negro no contienen su nombre ni nada sobre usted.",
            contactLead: "¿Preguntas sobre su información? Contacte con:",
            direction: .leftToRight, sizeFactor: 1, lineSpacing: 0),
        "ar": CardWording(
            language: "ar", name: "العربية",
            title: "رمزك",
            purpose: "احتفظ بهذه البطاقة. أظهرها في كل مرة تعود فيها، حتى نتمكن من مواصلة مساعدتك.",
            noPersonalData: "الرمز والمربع الأسود لا يحتويان على اسمك ولا على أي شيء عنك.",
            contactLead: "هل لديك أسئلة عن معلوماتك؟ تواصل مع:",
            direction: .rightToLeft, sizeFactor: 1.15, lineSpacing: 0.8),
    ]
}
