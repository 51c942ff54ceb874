// separa-bench-csv: generates a transcription-like CSV file and times CSVReader over it.
// Built by bench/csv-read.sh with swiftc -O from Sources/SeparaKit/Ingest/CSV (not a package target).
//
//   separa-bench-csv generate ROWS FILE [utf8|windows-1252|utf16le]
//   separa-bench-csv read FILE
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(64)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let task = arguments.first else { fail("usage: separa-bench-csv generate ROWS FILE [encoding] | read FILE") }

switch task {
case "generate":
    guard arguments.count >= 3, let rows = Int(arguments[1]) else { fail("generate ROWS FILE [encoding]") }
    let encoding = arguments.count > 3 ? arguments[3] : "utf8"
    // 20 columns, as an intake transcription: codes, choices, numbers, dates, free text; about one row
    // in eight has a quoted field with a comma, a doubled quote or a line break; accented Latin
    // everywhere and Arabic in UTF-8 / UTF-16 files.
    let header = [
        "code", "sex", "age", "age_band", "nationality", "arrival_date", "visit_date", "site", "wg_seeing",
        "wg_hearing", "wg_walking", "wg_cognition", "wg_selfcare", "wg_communication", "need_shelter", "need_food",
        "need_health", "need_legal", "services", "notes",
    ]
    let nationalities = ["Syria", "Afghanistan", "Eritrea", "Côte d'Ivoire", "Guinée", "Sudan", "Iraq", "Perú"]
    let notes = [
        "", "ok", "follow-up next week", "\"needs shoes, size 42\"", "\"said \"\"tired\"\"\"",
        "\"two lines\nof notes\"", "niño acompañado", "\"café, agua\"",
    ]
    let arabic = encoding == "windows-1252" ? "sans objet" : "يحتاج إلى مأوى"
    let alphabet = Array("0123456789ACDEFGHJKMNPQRTVWXY")
    var random = SystemRandomNumberGenerator()
    var text = header.joined(separator: ",") + "\r\n"
    guard FileManager.default.createFile(atPath: arguments[2], contents: nil),
        let handle = FileHandle(forWritingAtPath: arguments[2])
    else { fail("cannot create \(arguments[2])") }
    func flush(final: Bool = false) {
        if text.utf8.count < 1 << 20 && !final { return }
        switch encoding {
        case "windows-1252": handle.write(text.data(using: .windowsCP1252)!)
        case "utf16le": handle.write(text.data(using: .utf16LittleEndian)!)
        default: handle.write(Data(text.utf8))
        }
        text = ""
    }
    if encoding == "utf16le" { handle.write(Data([0xFF, 0xFE])) }
    for row in 0..<rows {
        var code = ""
        for index in 0..<12 {
            if index == 4 || index == 8 { code.append("-") }
            code.append(alphabet[Int.random(in: 0..<alphabet.count, using: &random)])
        }
        let age = Int.random(in: 0...90, using: &random)
        let band = age < 5 ? "0-4" : age < 12 ? "5-11" : age < 18 ? "12-17" : age < 60 ? "18-59" : "60+"
        var fields = [
            code, Bool.random(using: &random) ? "F" : "M", String(age), band,
            nationalities[row % nationalities.count], "2025-0\(1 + row % 9)-1\(row % 10)", "2025-10-2\(row % 10)",
            "HSP-\(row % 7)",
        ]
        for _ in 0..<6 { fields.append(["none", "some", "a lot", "cannot"][Int.random(in: 0..<4, using: &random)]) }
        for _ in 0..<4 { fields.append(Bool.random(using: &random) ? "yes" : "no") }
        fields.append("food;shelter")
        fields.append(row % 50 == 0 ? arabic : notes[row % notes.count])
        text += fields.joined(separator: ",") + "\r\n"
        flush()
    }
    flush(final: true)
    try? handle.close()

case "read":
    guard arguments.count >= 2 else { fail("read FILE") }
    let url = URL(fileURLWithPath: arguments[1])
    let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    let start = DispatchTime.now().uptimeNanoseconds
    let reader: CSVReader
    do { reader = try CSVReader(url: url) } catch { fail(error.description) }
    var rows = 0
    var fields = 0
    var characters = 0
    var errors = 0
    while let result = reader.nextResult() {
        switch result {
        case .success(let record):
            rows += 1
            fields += record.fields.count
            characters &+= record.fields.last?.utf8.count ?? 0
        case .failure:
            errors += 1
        }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(
        String(
            format: "csv-read file_mb=%.1f rows=%d fields=%d errors=%d encoding=%@ separator=%@ seconds=%.3f "
                + "mb_per_second=%.1f rows_per_second=%.0f (checksum %d)",
            Double(bytes) / 1e6, rows, fields, errors, reader.encoding.description, reader.separator.description,
            seconds, Double(bytes) / 1e6 / seconds, Double(rows) / seconds, characters))

default:
    fail("unknown task \(task)")
}
