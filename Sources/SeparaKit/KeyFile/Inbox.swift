import Foundation

/// The inbox: identity slips sealed by `key add` to the key file's X25519 recipient, waiting for `key merge`.
///
/// Each `key add` writes `keys/inbox/<UTC time>-<random>.age`, JSON lines of ``KeyEntry``, encrypted to
/// `keys/recipient.txt` only: the clerk who wrote it cannot read it back; the key holder can, with the
/// secret key kept inside the key file (`age -d -i`).
///
/// `keys/inbox/pending-codes.txt` lists, unencrypted, the codes waiting in the inbox, so that `key add`
/// (which cannot read the inbox) refuses a code added twice. It reveals only that these pseudonymous codes
/// have an identity slip waiting — the store already knows that they were issued and printed — and it is
/// emptied by each merge. Codes already linked in the key file are caught at merge, which has the passphrase.
extension KeyFile {
    /// The list of codes waiting in the inbox.
    public var pendingCodesURL: URL { inboxURL.appendingPathComponent("pending-codes.txt") }

    /// What ``add(slips:template:shred:now:)`` did.
    public struct AddSummary: Sendable {
        /// The sealed inbox file, or nil when no row was accepted.
        public let inboxFile: URL?
        /// The codes sealed, in file order.
        public let codes: [String]
        /// Rows whose code already has a slip waiting in the inbox (an earlier `key add` of the same
        /// file): skipped, not sealed twice.
        public let alreadyWaiting: Int
        /// Rows not sealed, with their reasons.
        public let rejections: [SlipRejection]
        /// Data rows read (blank rows not counted).
        public let rows: Int
        /// The short fingerprint of the recipient the slips were sealed to (``KeyFile/fingerprint(_:)``).
        public let fingerprint: String
        /// With `shred`: what became of the slips file.
        public var shredded: Shredded?
    }

    /// What `--shred` did to the slips file: never destroy a row that was not sealed.
    public enum Shredded: Sendable, Equatable {
        /// Every row was sealed (or was waiting already): the file was overwritten with zeros and removed.
        case removed
        /// Some rows were rejected: the file now holds the header and those rows only, for the clerk to
        /// fix; the sealed rows were overwritten with zeros.
        case keptRejected(rows: Int)
    }

    /// Reads identity slips from `slips` (CSV; header: `code` and the template's identity fields), checks
    /// each code (valid, registered here, not revoked, not twice, not already waiting in the inbox), and
    /// seals the accepted rows into a new inbox file. Needs no passphrase. Audited as `key-add`.
    ///
    /// Header problems refuse the whole file (``SheetError``); row problems are returned as rejections, which
    /// name the line and column only.
    public func add(slips: URL, template templateName: String, shred: Bool = false, now: Date = Date()) throws
        -> AddSummary
    {
        let store = try workspace.openStore()
        let recipient = try verifiedRecipient(in: store)
        let template = try TemplateLibrary(workspace: workspace).template(named: templateName)
        let file = slips.lastPathComponent
        let reader: CSVReader
        do {
            reader = try CSVReader(url: slips, name: file)
        } catch {
            throw SheetError.unreadable(error)
        }
        let columns: [IdentitySlips.Column]
        let header: [String]
        do {
            guard let first = try reader.next() else { throw SheetError.noHeader(file: file) }
            header = first.fields
            columns = try IdentitySlips.map(header, template: template, file: file)
        } catch let error as CSVError {
            throw SheetError.unreadableHeader(error)
        }
        let registry = CodeRegistry(workspace: workspace, store: store)
        let addedAt = Timestamp.iso8601(now)

        var rejections: [SlipRejection] = []
        var pendingRows: [(line: Int, codeText: String, fields: [String: String])] = []
        var rows = 0
        reading: while let result = reader.nextResult() {
            let record: CSVRecord
            switch result {
            case .success(let value): record = value
            case .failure(let error):
                rows += 1
                rejections.append(
                    SlipRejection(line: error.context?.line ?? 0, column: nil, problem: .row(.malformed("\(error)"))))
                if error.isRecoverable { continue } else { break reading }
            }
            let cells = record.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if cells.allSatisfy(\.isEmpty) { continue }
            rows += 1
            var codeText = ""
            var fields: [String: String] = [:]
            for (index, column) in columns.enumerated() {
                let value = index < cells.count ? cells[index] : ""
                switch column {
                case .code: codeText = value
                case .field(let field): if !value.isEmpty { fields[field.name] = value }
                }
            }
            switch SlipRules.check(fields, template: template) {
            case .success(let checked):
                pendingRows.append((record.line, codeText, checked))
            case .failure(let failure):
                rejections.append(SlipRejection(line: record.line, column: failure.field, problem: failure.problem))
            }
        }

        let checks = try registry.check(pendingRows.map(\.codeText))
        let lock = try FileLock(lockURL, wait: lockWait)
        defer { lock.release() }
        let pending = try pendingCodes()
        var seen: [String: Int] = [:]
        var entries: [KeyEntry] = []
        var alreadyWaiting = 0
        for (row, check) in zip(pendingRows, checks) {
            func reject(_ problem: SlipProblem) {
                rejections.append(SlipRejection(line: row.line, column: IdentitySlips.codeColumn, problem: problem))
            }
            if row.codeText.isEmpty {
                reject(.row(.missingCode))
                continue
            }
            switch check.verdict {
            case .invalid(let error, let nearby):
                reject(.row(.invalidCode(error, nearby: nearby.map(\.display))))
                continue
            case .notRegistered:
                reject(.row(.unregisteredCode))
                continue
            case .registered(.revoked, _):
                reject(.row(.revokedCode))
                continue
            case .registered:
                break
            }
            let code = check.code!.canonical
            if let earlier = seen[code] {
                reject(.duplicateInFile(line: earlier))
                continue
            }
            seen[code] = row.line
            if pending.contains(code) {
                alreadyWaiting += 1
                continue
            }
            entries.append(KeyEntry(code: code, template: template.id.rawValue, fields: row.fields, addedAt: addedAt))
        }
        rejections.sort { $0.line < $1.line }

        // The audit entry first, then the sealed file, then the list of waiting codes: killed after the entry,
        // nothing is sealed and a retry seals again; killed after sealing, the file is merged (its entry is
        // in the log) and a retry's second copy is skipped at merge as the same slip.
        try AuditLog.append(
            to: store, action: .keyAdd, codes: entries.map(\.code),
            detail: [
                "added": String(entries.count), "rejected": String(rejections.count),
                "waiting": String(alreadyWaiting),
            ], now: now)
        var inboxFile: URL?
        if !entries.isEmpty {
            try FileSystem.createDirectory(inboxURL, mode: 0o700)
            inboxFile = try seal(entries, to: recipient, in: inboxURL, now: now)
            FaultInjection.point("key-add-after-seal")
            try writePendingCodes(pending.union(entries.map(\.code)))
        }
        var summary = AddSummary(
            inboxFile: inboxFile, codes: entries.map(\.code), alreadyWaiting: alreadyWaiting, rejections: rejections,
            rows: rows, fingerprint: Self.fingerprint(recipient))
        if shred { summary.shredded = try shredSlips(slips, header: header, rejected: Set(rejections.map(\.line))) }
        return summary
    }

    /// `--shred`: overwrites the slips file with zeros and removes it, unless some rows were rejected: then
    /// the file is replaced by one holding the header and the rejected rows only. The new file is written
    /// and synced beside the old one before the old one is shredded, so a crash leaves the rejected rows on
    /// disk (in the old file or the hidden new one), never only on paper.
    func shredSlips(_ slips: URL, header: [String], rejected lines: Set<Int>) throws -> Shredded {
        guard !lines.isEmpty else {
            try FileSystem.shred(slips)
            return .removed
        }
        let reader = try CSVReader(url: slips, name: slips.lastPathComponent)
        let csv = CSVWriter(options: CSVWriteOptions(separator: reader.separator, byteOrderMark: true))
        let writer = try AtomicFileWriter(slips, mode: 0o600)
        var kept = 0
        do {
            var bytes = csv.preamble
            csv.append(header, to: &bytes)
            _ = reader.nextResult()  // the header
            while let result = reader.nextResult() {
                let line: Int
                let cells: [String]
                switch result {
                case .success(let record): (line, cells) = (record.line, record.fields)
                case .failure(let error):
                    // A malformed row was rejected: keep its text as it was, in one cell.
                    (line, cells) = (error.context?.line ?? 0, [error.context?.raw ?? ""])
                }
                guard lines.contains(line) else { continue }
                csv.append(cells, to: &bytes)
                kept += 1
            }
            try writer.write(bytes)
            for index in bytes.indices { bytes[index] = 0 }
            try writer.sync()
            try FileSystem.shred(slips)
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
        return .keptRejected(rows: kept)
    }

    /// Writes `entries` as JSON lines encrypted to `recipient` into a new file `<local time>-<random>.age`.
    func seal(_ entries: [KeyEntry], to recipient: AgeX25519Recipient, in folder: URL, now: Date) throws -> URL {
        var lines = try Self.lines(of: entries)
        defer { for index in lines.indices { Self.wipe(&lines[index]) } }
        return try seal(lines: lines, to: recipient, in: folder, now: now)
    }

    /// Writes `lines` (each without its line end) encrypted to `recipient` into a new file
    /// `<local time>-<random>.age`.
    func seal(lines: [Data], to recipient: AgeX25519Recipient, in folder: URL, now: Date) throws -> URL {
        let stamp = Timestamp.fileName(now)
        let name = "\(stamp)-\(AgeStanzaCrypto.random(6).hexadecimal).age"
        let url = folder.appendingPathComponent(name)
        try FileSystem.writeAtomically(try Self.sealed(lines: lines, to: recipient), to: url, mode: 0o600)
        return url
    }

    /// Entries as `key add` writes them in inbox and held files: one JSON object a line, keys sorted.
    static func lines(of entries: [KeyEntry]) throws -> [Data] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try entries.map { try encoder.encode($0) }
    }

    /// `lines`, each ended by a line feed, age-encrypted to `recipient`; the plaintext (and `lines`'
    /// copies in it) is wiped.
    static func sealed(lines: [Data], to recipient: AgeX25519Recipient) throws -> Data {
        var plaintext = Data()
        for line in lines {
            plaintext.append(line)
            plaintext.append(0x0A)
        }
        defer { wipe(&plaintext) }
        return try AgeEncryption.encrypt(plaintext, to: [.x25519(recipient)])
    }

    /// The codes listed in `pending-codes.txt`.
    func pendingCodes() throws -> Set<String> {
        guard let data = FileManager.default.contents(atPath: pendingCodesURL.path) else { return [] }
        return Set(
            String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }

    func writePendingCodes(_ codes: Set<String>) throws {
        if codes.isEmpty {
            try? FileManager.default.removeItem(at: pendingCodesURL)
            return
        }
        let text =
            "# Codes with an identity slip waiting in keys/inbox (no identity here); emptied by 'separa key merge'.\n"
            + codes.sorted().joined(separator: "\n") + "\n"
        try FileSystem.writeAtomically(Data(text.utf8), to: pendingCodesURL, mode: 0o600)
    }

    /// With no inbox file waiting, empties `pending-codes.txt` (under the lock) and returns whether it held
    /// codes: a merge killed after removing its inbox files left the list behind, and `key add` would skip
    /// those codes for ever. Needs no passphrase: the list holds no identity.
    public func clearStalePendingCodes() throws -> Bool {
        let lock = try FileLock(lockURL, wait: lockWait)
        defer { lock.release() }
        guard inboxFiles().isEmpty, !(try pendingCodes()).isEmpty else { return false }
        try writePendingCodes([])
        return true
    }

    /// The sealed inbox files, oldest first.
    public func inboxFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: inboxURL.path)) ?? []
        return names.filter { $0.hasSuffix(".age") && !$0.hasPrefix(".") }.sorted().map {
            inboxURL.appendingPathComponent($0)
        }
    }

    // MARK: merge

    /// One inbox entry a merge did not take.
    public struct MergeRejection: Hashable, Sendable {
        /// The inbox file's name.
        public let inboxFile: String
        /// The entry's line in that file.
        public let line: Int
        /// The entry's code, canonical (pseudonymous; no identity value); empty when the entry had no valid
        /// code, whose text is then never repeated.
        public let code: String
        public let problem: SlipProblem

        /// The rejection as every row problem is shown (``RowDiagnostic``): `keys/inbox/FILE:LINE: CODE: reason`.
        public var diagnostic: RowDiagnostic {
            RowDiagnostic(
                file: "keys/inbox/\(inboxFile)", line: line, code: code.isEmpty ? nil : CodeFormat.group(code),
                reason: problem.description)
        }
    }

    /// What ``merge(passphrase:now:)`` did.
    public struct MergeSummary: Sendable {
        /// Inbox files folded in and removed.
        public let files: Int
        /// Codes newly linked, sorted.
        public let merged: [String]
        /// Entries found already in the key file, identical (a merge interrupted after saving): skipped.
        public let alreadyMerged: Int
        /// Entries held rather than merged, with their reasons: not a slip as `key add` writes it, or linked
        /// to someone else already.
        public let rejections: [MergeRejection]
        /// Where the refused entries were sealed for the key holder, if any.
        public let heldFile: URL?
    }

    /// Folds the inbox into the key file, atomically, then removes the merged inbox files.
    ///
    /// Under the lock: opens the key file (a wrong passphrase writes nothing), reads every inbox file with
    /// the key file's secret key, judges every entry as a stranger's (``InboxJudge``: the inbox is writable
    /// by every clerk), adds the good ones, and saves. An entry that is not exactly a slip as `key add`
    /// writes it, or whose code is already linked to a different person, is held: sealed to the recipient in
    /// `keys/held/` so that nothing is lost, and only its code (when it is a valid one) and reason reported. Killed at any moment, the key file
    /// holds either none or all of this merge, and a repeated merge skips entries already in.
    public func merge(passphrase: AgePassphrase, now: Date = Date()) throws -> MergeSummary {
        try requireExisting()
        let lock = try FileLock(lockURL, wait: lockWait)
        defer { lock.release() }
        var content = try Self.open(url, passphrase: passphrase, displayPath: displayPath)
        let own = content.identity.recipient
        if FileManager.default.fileExists(atPath: recipientURL.path) {
            if try recipient() != own { throw KeyFileError.recipientMismatch(path: "keys/recipient.txt") }
        } else {
            try writeRecipient(own)
        }
        let files = inboxFiles()
        var merged: [String] = []
        var alreadyMerged = 0
        var rejections: [MergeRejection] = []
        var held: [Data] = []
        let store = try workspace.openStore()
        var judge = InboxJudge(workspace: workspace, store: store, now: now)
        for file in files {
            let name = "keys/inbox/\(file.lastPathComponent)"
            guard let sealed = FileManager.default.contents(atPath: file.path) else {
                throw KeyFileError.io(path: name, detail: "cannot read the file")
            }
            var plaintext: Data
            do {
                plaintext = try AgeEncryption.decrypt(sealed, identities: [.x25519(content.identity)])
            } catch let error as AgeError {
                throw KeyFileError.damaged(path: name, failure: error)
            }
            defer { Self.wipe(&plaintext) }
            let fileTime = Timestamp.date(fileName: file.lastPathComponent)
            for (index, line) in plaintext.split(separator: 0x0A).enumerated() {
                func hold(_ problem: SlipProblem, code: String?) {
                    rejections.append(
                        MergeRejection(
                            inboxFile: file.lastPathComponent, line: index + 1, code: code ?? "", problem: problem))
                    held.append(Data(line))
                }
                let entry: KeyEntry
                switch try judge.judge(Data(line), fileTime: fileTime) {
                case .held(let problem, let code):
                    hold(problem, code: code)
                    continue
                case .entry(let checked):
                    entry = checked
                }
                if let existing = content.entry(for: entry.code) {
                    // The same slip (a merge interrupted after saving, or a key add retried after a kill):
                    // the same person, whatever its time.
                    if existing == entry
                        || (existing.template == entry.template && existing.fields == entry.fields
                            && existing.history.isEmpty)
                    {
                        alreadyMerged += 1
                        continue
                    }
                    hold(merged.contains(entry.code) ? .duplicateInInbox : .alreadyLinked, code: entry.code)
                    continue
                }
                content.add(entry)
                merged.append(entry.code)
            }
        }
        if files.isEmpty {
            // Under the lock with no inbox file, no code can be waiting: a merge killed after removing its
            // files left the list behind, and `key add` would skip those codes for ever.
            if !(try pendingCodes()).isEmpty { try writePendingCodes([]) }
            return MergeSummary(files: 0, merged: [], alreadyMerged: 0, rejections: [], heldFile: nil)
        }

        try AuditLog.append(to: store, action: .keyUnlock, detail: ["entries": String(content.entries.count)], now: now)
        if try pinnedRecipient(in: store) == nil {
            try AuditLog.append(to: store, action: .keyPin, detail: ["recipient": own.description], now: now)
        }
        let entry = try AuditLog.append(
            to: store, action: .keyMerge, codes: merged.sorted(),
            detail: [
                "files": String(files.count), "merged": String(merged.count), "rejected": String(rejections.count),
            ], now: now)
        content.auditMark = AuditMark(seq: entry.seq, hash: entry.hash)
        content.savedAt = Timestamp.iso8601(now)
        try save(content, passphrase: passphrase, workFactor: currentWorkFactor() ?? workFactor)

        var heldFile: URL?
        if !held.isEmpty {
            try FileSystem.createDirectory(heldURL, mode: 0o700)
            heldFile = try seal(lines: held, to: own, in: heldURL, now: now)
        }
        for file in files { try? FileManager.default.removeItem(at: file) }
        FaultInjection.point("key-merge-after-remove")
        FileSystem.syncDirectory(inboxURL)
        // Under the lock no `key add` ran meanwhile: every waiting code was merged or held.
        try writePendingCodes([])
        return MergeSummary(
            files: files.count, merged: merged.sorted(), alreadyMerged: alreadyMerged, rejections: rejections,
            heldFile: heldFile)
    }
}

extension KeyFile {
    /// Writes the rejects report of a `key add`: `rejected_line`, `rejected_column`, `rejected_reason` — and,
    /// unlike ingest's rejects file, none of the row's cells, which are identity. The clerk fixes the rows
    /// in the original CSV (or from the paper slips) and adds them again.
    public func writeAddRejects(_ rejections: [SlipRejection], file: String, now: Date = Date()) throws -> URL {
        let stamp = Timestamp.fileName(now)
        let url = try workspace.outputFile("key-add-rejects-\(stamp).csv")
        let csv = CSVWriter(options: CSVWriteOptions(byteOrderMark: true))
        var bytes = csv.preamble
        csv.append(["file"] + HeaderMapping.rejectsColumns, to: &bytes)
        for rejection in rejections {
            csv.append(
                [file, String(rejection.line), rejection.column ?? "", rejection.problem.description], to: &bytes)
        }
        try FileSystem.writeAtomically(Data(bytes), to: url, mode: 0o600)
        return url
    }
}
