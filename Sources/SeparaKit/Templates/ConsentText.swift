import Foundation

/// The consent statement of a template's identity slip, generated from the template so the paper always
/// says what is really collected: what (grouped by purpose), who can see it, how it is kept, for how long,
/// and whom to contact.
///
/// It is read aloud to the person: plain words, short sentences. Wording ships for the languages in
/// ``ConsentText/languages``.
public struct ConsentText: Hashable, Sendable {
    /// The language code of the text.
    public let language: String
    /// Whether the language is written right to left.
    public let isRightToLeft: Bool
    /// The heading, e.g. "About your information".
    public let title: String
    /// The statement in reading order; lines of the "what we write down" list start with "• ".
    public let paragraphs: [String]

    /// Title and paragraphs joined with line breaks.
    public var text: String { ([title] + paragraphs).joined(separator: "\n") }

    /// The languages Separa has consent wording for.
    public static var languages: Set<String> { Set(ConsentWording.all.keys) }

    /// The statement for `template` in `language`, or nil when Separa has no wording in that language.
    ///
    /// Controller, contact and retention come from the template's settings, else from `config`
    /// (`separa.json`), else a neutral phrase ("the organisation that runs this service point").
    /// Fields are grouped by purpose in the order purposes are first used; each is named by its summary
    /// (else its label) in `language`, and repeated names are said once.
    public static func generate(_ template: Template, language: String, config: WorkspaceConfig? = nil) -> ConsentText?
    {
        guard let wording = ConsentWording.all[language] else { return nil }
        let controller =
            nonEmpty(template.settings.controller) ?? nonEmpty(config?.controller.name) ?? wording.defaultController
        let contact =
            nonEmpty(template.settings.contact) ?? nonEmpty(config?.controller.contact) ?? wording.defaultContact
        let months = template.settings.retentionMonths ?? config?.retentionMonths

        var paragraphs = [wording.intro, wording.controller(controller), wording.separation, wording.collectedHeading]
        var order: [String] = []
        var items: [String: [String]] = [:]
        for field in template.dataFields {
            let name = field.summary[language] ?? field.label[language] ?? field.name
            if items[field.purpose] == nil { order.append(field.purpose) }
            if !(items[field.purpose] ?? []).contains(name) { items[field.purpose, default: []].append(name) }
        }
        for purposeID in order {
            let purpose = template.purpose(purposeID)?.text[language] ?? wording.unstatedPurpose
            let list = items[purposeID, default: []].map { trimEnd($0) }.joined(separator: wording.listSeparator)
            paragraphs.append("• " + trimEnd(purpose) + wording.colon + list + wording.fullStop)
        }
        paragraphs.append(wording.access(template.settings.access[language] ?? "—"))
        paragraphs.append(wording.storage(template.settings.storage[language] ?? "—"))
        if let months { paragraphs.append(wording.retention(months)) }
        paragraphs.append(wording.contact(contact))
        paragraphs.append(wording.rights)
        return ConsentText(
            language: language, isRightToLeft: wording.isRightToLeft, title: wording.title, paragraphs: paragraphs)
    }

    /// The text, unless blank or one of `separa init`'s placeholders ("(set the data controller in separa.json)"),
    /// which must never be read to a person.
    private static func nonEmpty(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || (trimmed.hasPrefix("(") && trimmed.contains("separa.json")) { return nil }
        return text
    }

    /// Drops trailing spaces and sentence punctuation so that list items and purposes join cleanly.
    private static func trimEnd(_ text: String) -> String {
        var result = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while let last = result.last, ".:;?؟。".contains(last) { result.removeLast() }
        return result.trimmingCharacters(in: .whitespaces)
    }
}

/// The fixed sentences of the consent statement in one language.
struct ConsentWording: Sendable {
    let isRightToLeft: Bool
    let title: String
    let intro: String
    let controller: @Sendable (String) -> String
    let separation: String
    let collectedHeading: String
    let unstatedPurpose: String
    let colon: String
    let listSeparator: String
    let fullStop: String
    let access: @Sendable (String) -> String
    let storage: @Sendable (String) -> String
    let retention: @Sendable (Int) -> String
    let contact: @Sendable (String) -> String
    let rights: String
    let defaultController: String
    let defaultContact: String

    static let all: [String: ConsentWording] = ["en": english, "fr": french, "es": spanish, "ar": arabic]

    static let english = ConsentWording(
        isRightToLeft: false,
        title: "About your information",
        intro: "We write down some information to help you.",
        controller: { "The organisation responsible for it: \($0)." },
        separation:
            "Your name is kept apart from your answers: on this slip, locked away, and in a locked computer file. Your answers are kept under a code, not under your name.",
        collectedHeading: "What we write down, and why:",
        unstatedPurpose: "Other information",
        colon: ": ", listSeparator: ", ", fullStop: ".",
        access: { "Who can see it: \($0)" },
        storage: { "How it is kept: \($0)" },
        retention: { "How long: we delete it \($0 == 1 ? "1 month" : "\($0) months") after your last visit." },
        contact: { "Questions or complaints: \($0)" },
        rights:
            "You can refuse any question, or stop at any time. If you say no, you will still get help. You can ask to see your information, or to have it deleted.",
        defaultController: "the organisation that runs this service point",
        defaultContact: "ask the staff of this service point")

    static let french = ConsentWording(
        isRightToLeft: false,
        title: "Vos informations",
        intro: "Nous notons quelques informations pour vous aider.",
        controller: { "L’organisation responsable de ces informations : \($0)." },
        separation:
            "Votre nom est gardé à part de vos réponses : sur cette fiche, rangée sous clé, et dans un fichier informatique verrouillé. Vos réponses sont gardées sous un code, pas sous votre nom.",
        collectedHeading: "Ce que nous notons, et pourquoi :",
        unstatedPurpose: "Autres informations",
        colon: " : ", listSeparator: ", ", fullStop: ".",
        access: { "Qui peut les voir : \($0)" },
        storage: { "Comment elles sont gardées : \($0)" },
        retention: { "Combien de temps : nous les effaçons \($0) mois après votre dernière visite." },
        contact: { "Pour une question ou une plainte : \($0)" },
        rights:
            "Vous pouvez refuser de répondre à une question, ou arrêter à tout moment. Si vous dites non, vous recevrez quand même de l’aide. Vous pouvez demander à voir vos informations, ou à les faire effacer.",
        defaultController: "l’organisation qui gère ce point de service",
        defaultContact: "demandez au personnel de ce point de service")

    static let spanish = ConsentWording(
        isRightToLeft: false,
        title: "Sus datos",
        intro: "Anotamos algunos datos para ayudarle.",
        controller: { "La organización responsable de estos datos: \($0)." },
        separation:
            "Su nombre se guarda aparte de sus respuestas: en esta hoja, guardada bajo llave, y en un archivo informático cerrado con clave. Sus respuestas se guardan con un código, no con su nombre.",
        collectedHeading: "Qué anotamos y para qué:",
        unstatedPurpose: "Otros datos",
        colon: ": ", listSeparator: ", ", fullStop: ".",
        access: { "Quién puede verlos: \($0)" },
        storage: { "Cómo se guardan: \($0)" },
        retention: { "Cuánto tiempo: los borramos \($0 == 1 ? "1 mes" : "\($0) meses") después de su última visita." },
        contact: { "Preguntas o quejas: \($0)" },
        rights:
            "Puede negarse a responder cualquier pregunta, o parar en cualquier momento. Si dice que no, igual recibirá ayuda. Puede pedir ver sus datos, o que los borremos.",
        defaultController: "la organización que gestiona este punto de servicio",
        defaultContact: "pregunte al personal de este punto de servicio")

    static let arabic = ConsentWording(
        isRightToLeft: true,
        title: "معلوماتك",
        intro: "نكتب بعض المعلومات لكي نساعدك.",
        controller: { "الجهة المسؤولة عن هذه المعلومات: \($0)." },
        separation:
            "نحفظ اسمك بعيدًا عن إجاباتك: على هذه الورقة في مكان مقفل، وفي ملف إلكتروني مقفل. نحفظ إجاباتك تحت رمز، وليس تحت اسمك.",
        collectedHeading: "ما نكتبه، ولماذا:",
        unstatedPurpose: "معلومات أخرى",
        colon: ": ", listSeparator: "، ", fullStop: ".",
        access: { "من يستطيع رؤيتها: \($0)" },
        storage: { "كيف نحفظها: \($0)" },
        retention: { "إلى متى: نحذفها بعد \(arabicMonths($0)) من آخر زيارة لك." },
        contact: { "للأسئلة أو الشكاوى: \($0)" },
        rights:
            "يمكنك أن ترفض الإجابة عن أي سؤال، أو أن تتوقف في أي وقت. إذا قلت لا، ستحصل على المساعدة رغم ذلك. يمكنك أن تطلب رؤية معلوماتك، أو حذفها.",
        defaultController: "الجهة التي تدير نقطة الخدمة هذه",
        defaultContact: "اسأل فريق نقطة الخدمة هذه")

    /// "n months" with Arabic number agreement: شهر واحد، شهرين، ٣–١٠ أشهر، ١١–٩٩ شهرًا، ١٠٠ شهر.
    static func arabicMonths(_ n: Int) -> String {
        switch n {
        case 1: return "شهر واحد"
        case 2: return "شهرين"
        default:
            switch n % 100 {
            case 3...10: return "\(n) أشهر"
            case 11...99: return "\(n) شهرًا"
            default: return "\(n) شهر"
            }
        }
    }
}
