import Foundation

/// Spots free text that looks like identity: a phone number, an e-mail address, a "name:" label.
enum IdentityLookalike {
    static let nameLabels = [
        "name", "names", "nom", "prénom", "prenom", "nombre", "apellido", "اسم", "الاسم", "phone", "tel", "tél",
        "téléphone", "telefono", "teléfono", "هاتف",
    ]

    /// What the text looks like (for the message), or nil.
    static func detect(_ text: String) -> String? {
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
        return nil
    }
}
