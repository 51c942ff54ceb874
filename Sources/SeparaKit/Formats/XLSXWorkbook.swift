import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The cell texts of an Excel workbook (.xlsx), read as XLSForm tools read them.
///
/// Written here rather than taken from a library because only cell *values* are needed, and the two
/// libraries available (ZIPFoundation for the zip, Foundation's `XMLParser` for the XML) do the heavy
/// lifting. What it handles: shared strings (with rich-text runs), inline strings, cached values of
/// formula cells (the formula itself is ignored), booleans, numbers rendered as pyxform renders them
/// (`3`, not `3.0`), date-formatted numbers rendered as date-times (`2022-04-11 16:26:28.971000`),
/// sheet names compared case-insensitively. Row numbers are Excel's (1-based).
public struct XLSXWorkbook: Sendable {
    /// One non-empty row: its Excel number and cell texts by 0-based column.
    public struct Row: Sendable, Hashable {
        public let number: Int
        public let cells: [Int: String]

        /// The cell text of column `index`, nil when empty.
        public subscript(index: Int) -> String? { cells[index] }
    }

    /// A worksheet: its name as written and its non-empty rows in order.
    public struct Worksheet: Sendable {
        public let name: String
        public let rows: [Row]
    }

    /// Why a workbook cannot be read.
    public enum ReadError: Error, Sendable, CustomStringConvertible {
        /// The file is not a zip archive (not .xlsx: perhaps .xls or .ods, or damaged).
        case notAZip
        /// A part of the workbook is missing or its XML is broken.
        case brokenPart(String)

        public var description: String {
            switch self {
            case .notAZip: return "not an .xlsx workbook (save it from Excel, LibreOffice or Kobo as .xlsx)"
            case .brokenPart(let part):
                return
                    "the workbook is damaged (\(part) cannot be read): open and save it again in Excel or LibreOffice"
            }
        }
    }

    /// The sheets in workbook order.
    public let sheets: [Worksheet]

    /// The sheet named `name`, compared case-insensitively and ignoring surrounding spaces.
    public func sheet(named name: String) -> Worksheet? {
        let wanted = name.lowercased()
        return sheets.first { $0.name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == wanted }
    }

    /// Reads the workbook at `url`.
    public init(contentsOf url: URL) throws(ReadError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .brokenPart(url.lastPathComponent) }
        try self.init(data: data)
    }

    /// Reads a workbook from its bytes.
    public init(data: Data) throws(ReadError) {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw .notAZip }
        func part(_ path: String, required: Bool = true) throws(ReadError) -> Data? {
            guard let entry = archive[path] else {
                if required { throw .brokenPart(path) }
                return nil
            }
            var bytes = Data()
            do { _ = try archive.extract(entry, skipCRC32: false) { bytes.append($0) } } catch {
                throw .brokenPart(path)
            }
            return bytes
        }
        // Workbook: sheet names -> relationship ids -> part paths.
        let workbook = try XMLElements.parse(try part("xl/workbook.xml")!, part: "xl/workbook.xml", keep: ["sheet"])
        let relations = try XMLElements.parse(
            try part("xl/_rels/workbook.xml.rels")!, part: "xl/_rels/workbook.xml.rels", keep: ["Relationship"])
        var targets: [String: String] = [:]
        for relation in relations.elements {
            guard let id = relation.attributes["Id"], var target = relation.attributes["Target"] else { continue }
            if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
            targets[id] = target
        }
        let sharedStrings =
            try part("xl/sharedStrings.xml", required: false).map { data throws(ReadError) in
                try SharedStringsReader.parse(data)
            } ?? []
        let dateStyles =
            try part("xl/styles.xml", required: false).map { data throws(ReadError) in try StylesReader.dateStyles(data)
            } ?? []
        var sheets: [Worksheet] = []
        for sheet in workbook.elements {
            guard let name = sheet.attributes["name"] else { continue }
            let id = sheet.attributes["r:id"] ?? sheet.attributes.first { $0.key.hasSuffix(":id") }?.value
            guard let id, let path = targets[id], let bytes = try part(path, required: false) else { continue }
            let rows = try SheetReader.parse(bytes, part: path, sharedStrings: sharedStrings, dateStyles: dateStyles)
            sheets.append(Worksheet(name: name, rows: rows))
        }
        self.sheets = sheets
    }

    /// A number as pyxform renders it: integral values without decimals, others in shortest form.
    static func render(number text: String) -> String {
        guard let value = Double(text), value.isFinite else { return text }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// An Excel serial date-time (1900 date system) as `YYYY-MM-DD HH:MM:SS[.ffffff]`, rounded to the
    /// millisecond as Excel stores it.
    static func render(serialDate text: String) -> String {
        guard let value = Double(text), value.isFinite, value >= 0, value < 2_958_466 else {
            return render(number: text)
        }
        let totalMilliseconds = Int((value * 86_400_000).rounded())
        let days = totalMilliseconds / 86_400_000
        var rest = totalMilliseconds % 86_400_000
        let hours = rest / 3_600_000
        rest %= 3_600_000
        let minutes = rest / 60_000
        rest %= 60_000
        let seconds = rest / 1000
        let milliseconds = rest % 1000
        // Civil date from days since 1899-12-30 (Excel's day 0 once its 1900 leap-year bug is absorbed).
        let (year, month, day) = civilDate(daysSinceEpoch: days - 25_569)  // 25569 = 1970-01-01
        var result = String(format: "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hours, minutes, seconds)
        if milliseconds != 0 { result += String(format: ".%06d", milliseconds * 1000) }
        return result
    }

    /// Howard Hinnant's days-from-civil inverse.
    static func civilDate(daysSinceEpoch z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// The 0-based column of a cell reference such as `AB12`.
    static func column(ofReference reference: String) -> Int? {
        var column = 0
        var sawLetter = false
        for scalar in reference.unicodeScalars {
            if ("A"..."Z").contains(scalar) {
                column = column * 26 + Int(scalar.value - 64)
                sawLetter = true
            } else if ("a"..."z").contains(scalar) {
                column = column * 26 + Int(scalar.value - 96)
                sawLetter = true
            } else {
                break
            }
        }
        return sawLetter ? column - 1 : nil
    }
}

// MARK: - XML readers (Foundation's SAX parser)

/// Collects the attributes of chosen elements of a small XML part.
private final class XMLElements: NSObject, XMLParserDelegate {
    struct Element {
        let name: String
        let attributes: [String: String]
    }

    let keep: Set<String>
    var elements: [Element] = []

    init(keep: Set<String>) { self.keep = keep }

    static func parse(_ data: Data, part: String, keep: Set<String>) throws(XLSXWorkbook.ReadError) -> XMLElements {
        let collector = XMLElements(keep: keep)
        let parser = XMLParser(data: data)
        parser.delegate = collector
        guard parser.parse() else { throw .brokenPart(part) }
        return collector
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        if keep.contains(localName(elementName)) {
            elements.append(Element(name: elementName, attributes: attributeDict))
        }
    }
}

private func localName(_ name: String) -> String {
    guard let colon = name.lastIndex(of: ":") else { return name }
    return String(name[name.index(after: colon)...])
}

/// Reads `xl/sharedStrings.xml`: each `<si>` is the concatenation of its `<t>` texts, phonetic runs excluded.
private final class SharedStringsReader: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inText = false
    var inPhonetic = false

    static func parse(_ data: Data) throws(XLSXWorkbook.ReadError) -> [String] {
        let reader = SharedStringsReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else { throw .brokenPart("xl/sharedStrings.xml") }
        return reader.strings
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        switch localName(elementName) {
        case "si": current = ""
        case "t": inText = true
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        switch localName(elementName) {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText && !inPhonetic { current += string }
    }
}

/// Finds which cell styles (`s` indexes) show numbers as dates, as openpyxl decides it.
private final class StylesReader: NSObject, XMLParserDelegate {
    var customFormats: [Int: String] = [:]
    var cellFormatIDs: [Int] = []
    var inCellXfs = false

    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    static func dateStyles(_ data: Data) throws(XLSXWorkbook.ReadError) -> Set<Int> {
        let reader = StylesReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else { throw .brokenPart("xl/styles.xml") }
        var styles: Set<Int> = []
        for (index, formatID) in reader.cellFormatIDs.enumerated() {
            if builtInDateFormats.contains(formatID) || reader.customFormats[formatID].map(isDateFormat) == true {
                styles.insert(index)
            }
        }
        return styles
    }

    /// openpyxl's rule: after removing `[…]` sections, quoted text and escaped characters, a format with
    /// d, m, y, h or s is a date format.
    static func isDateFormat(_ code: String) -> Bool {
        var cleaned = ""
        var inBracket = false
        var inQuote = false
        var escape = false
        for character in code {
            if escape {
                escape = false
                continue
            }
            if character == "\\" {
                escape = true
                continue
            }
            if character == "\"" {
                inQuote.toggle()
                continue
            }
            if inQuote { continue }
            if character == "[" {
                inBracket = true
                continue
            }
            if character == "]" {
                inBracket = false
                continue
            }
            if inBracket { continue }
            cleaned.append(character)
        }
        let lower = cleaned.lowercased()
        if lower.hasPrefix("general") { return false }
        return lower.contains { "dmyhs".contains($0) }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        switch localName(elementName) {
        case "numFmt":
            if let id = attributeDict["numFmtId"].flatMap(Int.init), let code = attributeDict["formatCode"] {
                customFormats[id] = code
            }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs: cellFormatIDs.append(attributeDict["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        if localName(elementName) == "cellXfs" { inCellXfs = false }
    }
}

/// Streams a worksheet's `<sheetData>` into rows of cell texts.
private final class SheetReader: NSObject, XMLParserDelegate {
    let sharedStrings: [String]
    let dateStyles: Set<Int>
    var rows: [XLSXWorkbook.Row] = []
    var rowNumber = 0
    var cells: [Int: String] = [:]
    var nextColumn = 0
    var cellColumn = 0
    var cellType = "n"
    var cellStyle = 0
    var value = ""
    var inlineText = ""
    var capture: Capture = .none
    var failed = false

    enum Capture { case none, value, inlineText }

    init(sharedStrings: [String], dateStyles: Set<Int>) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
    }

    static func parse(_ data: Data, part: String, sharedStrings: [String], dateStyles: Set<Int>) throws(XLSXWorkbook
        .ReadError) -> [XLSXWorkbook.Row]
    {
        let reader = SheetReader(sharedStrings: sharedStrings, dateStyles: dateStyles)
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse(), !reader.failed else { throw .brokenPart(part) }
        return reader.rows
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        switch localName(elementName) {
        case "row":
            rowNumber = attributeDict["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = [:]
            nextColumn = 0
        case "c":
            cellColumn = attributeDict["r"].flatMap(XLSXWorkbook.column(ofReference:)) ?? nextColumn
            nextColumn = cellColumn + 1
            cellType = attributeDict["t"] ?? "n"
            cellStyle = attributeDict["s"].flatMap(Int.init) ?? 0
            value = ""
            inlineText = ""
        case "v": capture = .value
        case "t" where cellType == "inlineStr": capture = .inlineText
        default: break
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        switch localName(elementName) {
        case "v", "t": capture = .none
        case "c":
            if let text = cellText(), !text.isEmpty { cells[cellColumn] = text }
        case "row":
            if !cells.isEmpty { rows.append(XLSXWorkbook.Row(number: rowNumber, cells: cells)) }
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch capture {
        case .value: value += string
        case .inlineText: inlineText += string
        case .none: break
        }
    }

    func cellText() -> String? {
        switch cellType {
        case "s":
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)), sharedStrings.indices.contains(index)
            else {
                if !value.isEmpty { failed = true }
                return nil
            }
            return sharedStrings[index]
        case "inlineStr": return inlineText.isEmpty ? value : inlineText
        case "str", "d": return value  // formula string result / ISO date
        case "b": return value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
        case "e": return nil  // an error value (#REF!…): treated as empty
        default:
            guard !value.isEmpty else { return nil }
            return dateStyles.contains(cellStyle)
                ? XLSXWorkbook.render(serialDate: value) : XLSXWorkbook.render(number: value)
        }
    }
}
