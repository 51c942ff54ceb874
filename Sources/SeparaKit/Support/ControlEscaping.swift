extension String {
    /// The text with every control character (C0, DEL, C1) and every bidirectional control shown as
    /// `\u{…}`, so that text from a file or a person (a name in the key file) cannot move the cursor, clear
    /// the screen, or reorder what a terminal shows around it.
    public var escapingControlCharacters: String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            let value = scalar.value
            let isControl = scalar.properties.generalCategory == .control
            let isBidiControl =
                (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200E
                || value == 0x200F || value == 0x061C
            if isControl || isBidiControl {
                result += "\\u{" + String(value, radix: 16) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
