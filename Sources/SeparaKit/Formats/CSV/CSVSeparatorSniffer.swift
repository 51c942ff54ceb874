/// Chooses the separator of a CSV file from its first records (the rule is documented on
/// ``CSVReadOptions/Separator/sniff``).
enum CSVSeparatorSniffer {
    /// How many records the rule looks at.
    static let recordLimit = 20

    /// Sniffs `bytes` (UTF-8, the start of the file). `complete` says whether the bytes run to the end of
    /// the input, so that a last record without a line break still counts.
    static func sniff(_ bytes: UnsafeBufferPointer<UInt8>, complete: Bool, comments: Bool) -> CSVSeparator {
        let candidates = CSVSeparator.allCases
        var records: [[Int]] = []
        var counts = [0, 0, 0]
        var inQuotes = false
        var atLineStart = true
        var hasContent = false
        var inComment = false
        scan: for byte in bytes {
            if inComment {
                if byte == 0x0A || byte == 0x0D {
                    inComment = false
                    atLineStart = true
                }
                continue
            }
            if atLineStart, comments, byte == 0x23 {
                inComment = true
                continue
            }
            atLineStart = false
            if byte == 0x22 {
                inQuotes.toggle()
                hasContent = true
                continue
            }
            if inQuotes { continue }
            switch byte {
            case 0x0A, 0x0D:
                if hasContent {
                    records.append(counts)
                    if records.count == recordLimit { break scan }
                }
                counts = [0, 0, 0]
                hasContent = false
                atLineStart = true
                continue
            case CSVSeparator.comma.byte: counts[0] += 1
            case CSVSeparator.semicolon.byte: counts[1] += 1
            case CSVSeparator.tab.byte: counts[2] += 1
            default: break
            }
            hasContent = true
        }
        if records.count < recordLimit, hasContent, complete || records.isEmpty { records.append(counts) }
        guard let header = records.first else { return .comma }

        var best: (separator: CSVSeparator, count: Int)?
        for (index, candidate) in candidates.enumerated() {
            let count = header[index]
            guard count > 0, records.allSatisfy({ $0[index] == count }) else { continue }
            if best == nil || count > best!.count { best = (candidate, count) }
        }
        if let best { return best.separator }
        var top = (separator: CSVSeparator.comma, count: 0)
        for (index, candidate) in candidates.enumerated() where header[index] > top.count {
            top = (candidate, header[index])
        }
        return top.separator
    }
}
