import Foundation

/// What a rejoin takes, checked before anyone is asked for a passphrase: the template, the purpose, the
/// filter and where the file goes.
public struct RejoinRequest: Sendable {
    public let template: Template
    /// Why the re-identified view is needed (one line, never naming a person); written to the audit log.
    public let purpose: String
    public let filter: RejoinFilter
    /// The output file; written atomically with mode 0600, only when complete.
    public let destination: URL
}

/// What a rejoin wrote.
public struct RejoinSummary: Sendable {
    /// The file written.
    public let destination: URL
    /// Records written (one row each).
    public let rows: Int
    /// Records whose code has no entry in the key file: written with empty identity cells.
    public let unlinked: Int
    /// The distinct canonical codes written, sorted.
    public let codes: [String]
    /// How the file is protected: `recipients`, `passphrase` or `plaintext`.
    public let outputKind: String
    /// The `.rejoin` entry of the audit log.
    public let auditEntry: AuditEntry
}

/// The re-identified view (`separa rejoin`): a template's records joined with the identity in the key file,
/// for a stated, authorised purpose, written age-encrypted (or, when asked, as a plain CSV).
///
/// **The file.** CSV (UTF-8 with a byte-order mark, CRLF, RFC 4180), one row per record of the template
/// that the filter takes, ordered by code then visit date. Header, by field name: `code` (grouped,
/// `XXXX-XXXX-XXXX`), the template's identity fields in template order, `visit_date`, then the sensitive
/// fields in template order (notes left out). A `select_multiple` answer is its choice names separated by
/// spaces, as ODK exports it and as `separa ingest` reads it back. A record whose code has no key-file
/// entry has empty identity cells and is counted in ``RejoinSummary/unlinked``. Every cell that a
/// spreadsheet would run as a formula starts with an apostrophe (``CSVWriteOptions/neutralizesFormulas``)
/// — in the encrypted output too, since it is opened in a spreadsheet once decrypted.
///
/// **What is kept where.** The decrypted identity stays in memory; the output is encrypted as it is written
/// (``AgeEncryptor`` into an ``AtomicFileWriter``), so no plaintext touches the disk unless
/// ``ReidentifiedOutput/plaintext`` was asked. One `.rejoin` audit entry records the purpose, template, filter
/// (choice names, dates and codes), row counts, output kind and codes — never identity. It is written once
/// the file is complete on disk and before it is moved into place.
public enum Rejoin {
    /// The longest purpose accepted (the audit log keeps it whole).
    public static let maximumPurposeLength = 200

    /// Checks everything that needs no passphrase: the template, the purpose, the `--where` conditions and
    /// the output file's extension.
    public static func prepare(
        workspace: Workspace, template name: String, purpose: String, conditions: [String], destination: URL,
        plaintext: Bool
    ) throws(RejoinError) -> RejoinRequest {
        let template: Template
        do {
            template = try TemplateLibrary(workspace: workspace).template(named: name)
        } catch {
            throw .template(error)
        }
        let purpose = try checkPurpose(purpose)
        let filter = try RejoinFilter(conditions, template: template, randomLength: workspace.config.codes.randomLength)
        let expected = plaintext ? ".csv" : ".age"
        guard destination.lastPathComponent.lowercased().hasSuffix(expected),
            destination.lastPathComponent.count > expected.count
        else { throw .wrongExtension(path: destination.path, expected: expected) }
        return RejoinRequest(template: template, purpose: purpose, filter: filter, destination: destination)
    }

    /// The purpose, trimmed, or why it is refused: empty, not one line, too long, or looking like identity
    /// (the ingest's detector: a phone number, an e-mail address, a "name:" label).
    public static func checkPurpose(_ purpose: String) throws(RejoinError) -> String {
        let trimmed = purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .emptyPurpose }
        guard trimmed.count <= maximumPurposeLength,
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .purposeNotOneLine(maximum: maximumPurposeLength) }
        // ISO dates ("visits from 2026-11-01") are no identity, but the detector would count their digits
        // as a phone number: they are masked before it looks.
        let masked = trimmed.replacingOccurrences(
            of: #"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b"#, with: "DATE", options: .regularExpression)
        if let what = IdentityLookalike.detect(masked) { throw .purposeLooksLikeIdentity(what: what) }
        return trimmed
    }

    /// Opens the key file with the key holder's passphrase (no audit entry of its own: ``run(_:workspace:keys:output:now:)``
    /// writes the one `.rejoin` entry).
    public static func unlock(workspace: Workspace, passphrase: AgePassphrase) throws(RejoinError) -> KeyFileContent {
        let keyFile = KeyFile(workspace: workspace)
        do {
            try keyFile.requireExisting()
            return try KeyFile.open(keyFile.url, passphrase: passphrase, displayPath: "keys/identity.age")
        } catch {
            throw .keyFile(error)
        }
    }

    /// Writes the re-identified view of `request` with the identities in `keys`, protected as `output` says,
    /// and records it in the audit log. On any failure nothing is left at the destination.
    public static func run(
        _ request: RejoinRequest, workspace: Workspace, keys: KeyFileContent, output: ReidentifiedOutput,
        now: Date = Date()
    ) throws(RejoinError) -> RejoinSummary {
        let path = request.destination.path
        if purposeNamesSomeone(request.purpose, keys: keys) { throw .purposeNamesAPerson }
        guard request.destination.lastPathComponent.lowercased().hasSuffix(output.fileExtension) else {
            throw .wrongExtension(path: path, expected: output.fileExtension)
        }
        if case .recipients(let list) = output, list.isEmpty {
            throw .cannotWrite(path: path, reason: "no recipient to encrypt to")
        }
        let store: Store
        do {
            store = try workspace.openStore()
        } catch {
            throw .store(error)
        }
        let writer: ReidentifiedFile
        do {
            writer = try ReidentifiedFile(request.destination, output: output)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        do {
            let table = try write(request, keys: keys, store: store, into: writer)
            // The file is complete on disk (still under its temporary name) before the audit entry is
            // written, and moved into place only once the entry is.
            try writer.finish()
            let entry = try AuditLog.append(
                to: store, action: .rejoin, codes: table.codes,
                detail: [
                    "purpose": request.purpose, "template": request.template.id.rawValue,
                    "where": request.filter.auditText, "rows": String(table.rows),
                    "unlinked": String(table.unlinked), "output": output.kind,
                ], now: now)
            try writer.commit()
            return RejoinSummary(
                destination: request.destination, rows: table.rows, unlinked: table.unlinked, codes: table.codes,
                outputKind: output.kind, auditEntry: entry)
        } catch let error as RejoinError {
            writer.abandon()
            throw error
        } catch let error as StoreError {
            writer.abandon()
            throw .store(error)
        } catch {
            writer.abandon()
            throw .cannotWrite(path: path, reason: "\(error)")
        }
    }

    /// Whether `purpose` holds any identity value of anyone in the key file (a name, a phone number, a
    /// family name), compared without case, accents, spacing or punctuation: a name part of five letters or
    /// more anywhere in the purpose's letters (so `Z e b u l o n` and `ZebulonQ` count), a shorter one (three
    /// or four letters) as a word of its own, and a value that is mostly digits by its last seven digits.
    static func purposeNamesSomeone(_ purpose: String, keys: KeyFileContent) -> Bool {
        // Folded as templates fold what people type (TextKey): case, accents, width, Arabic letter forms.
        let purposeLetters = TextKey.normalize(purpose)
        let purposeWords = Set(TextKey.words(purpose))
        let purposeDigits = purpose.filter(\.isNumber)
        let consent: Set<String> = ["yes", "oui", "non", "true"]
        for entry in keys.entries.values {
            for value in entry.fields.values {
                let digits = value.filter(\.isNumber)
                if digits.count >= 6, digits.count * 2 >= value.count {
                    if purposeDigits.contains(String(digits.suffix(7))) { return true }
                    continue
                }
                for part in value.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                    let key = TextKey.normalize(String(part))
                    if consent.contains(key) { continue }
                    if key.count >= 5 && purposeLetters.contains(key) { return true }
                    if key.count >= 3 && purposeWords.contains(key) { return true }
                }
            }
        }
        return false
    }

    /// The header row for `template`.
    public static func header(for template: Template) -> [String] {
        ["code"] + identityFields(of: template) + [TemplateChecker.visitDateField] + sensitiveFields(of: template)
    }

    static func identityFields(of template: Template) -> [String] {
        template.identity.filter(\.collectsData).map(\.name)
    }

    static func sensitiveFields(of template: Template) -> [String] {
        template.sensitiveFields.filter { $0.collectsData && $0.name != TemplateChecker.visitDateField }.map(\.name)
    }

    /// Reads the records, joins them with `keys` and writes the CSV into `sink`.
    private static func write(
        _ request: RejoinRequest, keys: KeyFileContent, store: Store, into sink: ReidentifiedFile
    )
        throws -> (rows: Int, unlinked: Int, codes: [String])
    {
        let template = request.template
        let filter = request.filter
        let csv = CSVWriter(options: CSVWriteOptions(neutralizesFormulas: true, byteOrderMark: true))
        let identityNames = identityFields(of: template)
        let sensitiveNames = sensitiveFields(of: template)

        var buffer = csv.preamble
        buffer.reserveCapacity(AgeEncryption.chunkSize * 2)
        defer { buffer.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        csv.append(header(for: template), to: &buffer)

        var wanted = filter.codes
        // A code given that was since replaced finds the person's records under the current code.
        for code in filter.codes {
            if let current = keys.entry(for: code)?.code, !wanted.contains(current) { wanted.append(current) }
        }

        var rows = 0
        var unlinked = 0
        var codes: [String] = []
        var cells: [String] = []
        cells.reserveCapacity(2 + identityNames.count + sensitiveNames.count)
        let templateName = template.id.rawValue
        try store.forEachRecord(
            template: template.id, codes: wanted, dates: filter.dates, from: filter.from, through: filter.through
        ) { code, visitDate, fields in
            guard let fields
            else { throw RejoinError.damagedRecord(code: code, template: templateName, visitDate: visitDate) }
            guard filter.matchesChoices(fields) else { return }
            rows += 1
            if codes.last != code { codes.append(code) }
            cells.removeAll(keepingCapacity: true)
            cells.append(CodeFormat.group(code))
            if let entry = keys.entry(for: code) {
                for name in identityNames { cells.append(entry.fields[name] ?? "") }
            } else {
                unlinked += 1
                for _ in identityNames { cells.append("") }
            }
            cells.append(visitDate)
            for name in sensitiveNames { cells.append(fields[name]?.cellText ?? "") }
            csv.append(cells, to: &buffer)
            if buffer.count >= AgeEncryption.chunkSize {
                try sink.write(buffer)
                buffer.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try sink.write(buffer)
        cells.removeAll()
        return (rows, unlinked, codes)
    }
}
