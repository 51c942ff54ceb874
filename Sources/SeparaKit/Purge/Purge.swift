import Foundation

/// What a purge removed (or, in a dry run, would remove): counts only, plus, for an erasure, the codes
/// erased and the files in `output/` that mention them.
public struct PurgeSummary: Equatable, Sendable {
    /// Why the purge ran.
    public enum Mode: String, Sendable {
        /// `separa purge`: everything older than its retention period.
        case retention
        /// `separa purge --code`: one person, on request.
        case erasure
    }

    public var mode: Mode
    /// Nothing was changed: these are the counts a real run would remove.
    public var dryRun: Bool
    /// Whether the workspace has a key file (false: only the store was purged).
    public var keyFile: Bool
    /// Store records removed.
    public var records = 0
    /// Registry rows removed (current, earlier and never-used codes).
    public var codes = 0
    /// Of ``codes``: issued or printed codes that never carried a record.
    public var unusedCodes = 0
    /// Key-file entries (people) removed.
    public var keyEntries = 0
    /// Identity slips removed from `keys/inbox/` and `keys/held/` (sealed, waiting for a merge).
    public var sealedEntries = 0
    /// Batches whose every code was removed, removed with them.
    public var batches = 0
    /// Erasure: the person's codes (canonical; current and earlier), sorted. Empty for a retention purge.
    public var erasedCodes: [String] = []
    /// Erasure: files under `output/` (paths relative to the workspace) that mention one of the codes, or
    /// are a printed batch that held one; the coordinator deletes them. Contents are never read out.
    public var outputFiles: [String] = []
    /// Erasure with `deleteOutputs`: the files of ``outputFiles`` that were overwritten with zeros and
    /// removed (paths relative to the workspace).
    public var deletedOutputs: [String] = []
    /// Erasure: the audit entries of re-identified exports (`separa rejoin`) that held the person: those
    /// files are outside Separa's reach (encrypted to someone, handed over), so the coordinator must have
    /// them deleted. Oldest first.
    public var exports: [AuditEntry] = []
    /// Templates named by records or codes that are no longer in `templates/`: their data was judged by
    /// `separa.json`'s retention.
    public var unknownTemplates: [String] = []
    /// The audit entry written (nil in a dry run).
    public var auditSeq: Int64?

    /// Whether nothing at all was (or would be) removed.
    public var isEmpty: Bool { records + codes + keyEntries + sealedEntries + batches == 0 }
}

/// `separa purge`: retention and erasure over the store, the key file and its sealed inbox.
///
/// **Retention** (``retention(passphrase:dryRun:now:)``). Days are `YYYY-MM-DD`; "today" is the local day
/// of `now`. A template's `retentionMonths` overrides `separa.json`'s. A period of N months has elapsed on
/// a day D when D is on or before today minus N calendar months (clamped to a shorter month's end).
/// - A record is due when the retention of its template has elapsed since its **visit date** (the consent
///   on the slip promises deletion "N months after your last visit"; the import date could be months
///   later, and would keep data longer than promised).
/// - A person is their key-file entry with every earlier code in its history (and any identity slip still
///   sealed in the inbox for those codes); a registry code linked to no one is a person of its own. A
///   person is due when no record of theirs remains after the records above are removed, and the retention
///   of their template (the key entry's, else the sealed slip's, else the code's, else `separa.json`'s)
///   has elapsed since their last activity: the latest of the codes' issue days, the visit dates of their
///   records (including those removed in the same run), the key entry's `added_at` and its reissues' days.
///   A due person loses every registry row (current, revoked earlier, never used), their key-file entry
///   and any sealed slip in `keys/inbox/` or `keys/held/`. A batch whose every code is removed goes too.
///
/// **Erasure** (``erase(code:passphrase:dryRun:now:)``) removes one person the same way, whatever the dates.
///
/// **Order and crash safety.** The store and the key file are two files, each replaced whole (SQLite's
/// rollback journal; the key file's temp file and rename), so the only question is which goes first. The
/// store goes first, in one transaction with the audit entry; then `VACUUM`; then the key file; then the
/// sealed files. Killed between the two, the store has lost the person's records and codes and the key file
/// still holds the entry with every code the person had: a rerun of the same purge finds the person there
/// (by any of their codes, and, for retention, still due, since removing data only makes a last activity
/// older) and finishes. The reverse order would leave pseudonymous records whose earlier codes no one can
/// link any more: `purge --code OLD` rerun would find only the revoked row and leave the records behind.
/// The key-file lock is held throughout, so no `key merge` runs in between.
public struct Purge: Sendable {
    /// The key file (present or not) of the workspace to purge; its work factor and lock wait are used.
    public let keyFile: KeyFile

    public init(keyFile: KeyFile) {
        self.keyFile = keyFile
    }

    public var workspace: Workspace { keyFile.workspace }

    /// Removes everything older than its retention period (see the type's documentation).
    ///
    /// - Parameters:
    ///   - passphrase: the key file's; required when the workspace has one (else ``PurgeError/passphraseRequired(path:)``).
    ///   - dryRun: count only; no file is written (not even an audit entry).
    ///   - now: the moment the retention is measured from.
    public func retention(passphrase: AgePassphrase?, dryRun: Bool = false, now: Date = Date()) throws -> PurgeSummary {
        try run(.retention, code: nil, passphrase: passphrase, dryRun: dryRun, now: now)
    }

    /// Erases the person `code` belongs to (any spelling `CaseCode.parse` accepts; a revoked earlier code
    /// finds the person too): records, registry rows, key-file entry with every earlier code, sealed slips.
    ///
    /// Throws ``PurgeError/notFound(code:)`` (nothing changed) when nothing anywhere carries the code.
    ///
    /// The files in `output/` that held the person are listed (``PurgeSummary/outputFiles``): those the output
    /// manifest names (forms, cards, labels, thermal PNGs, code lists, reissue cards: by code or by batch)
    /// and those whose bytes mention a code. With `deleteOutputs` each is overwritten with zeros and removed,
    /// as `key add --shred` removes a CSV — a batch file takes everyone of its batch with it.
    public func erase(
        code: String, passphrase: AgePassphrase?, dryRun: Bool = false, deleteOutputs: Bool = false,
        now: Date = Date()
    ) throws -> PurgeSummary {
        let parsed = try CaseCode.parse(code, expectedRandomLength: workspace.config.codes.randomLength)
        return try run(
            .erasure, code: parsed, passphrase: passphrase, dryRun: dryRun, deleteOutputs: deleteOutputs, now: now)
    }

    // MARK: The run

    private func run(
        _ mode: PurgeSummary.Mode, code: CaseCode?, passphrase: AgePassphrase?, dryRun: Bool,
        deleteOutputs: Bool = false, now: Date
    ) throws -> PurgeSummary {
        let hasKeyFile = keyFile.exists
        var lock: FileLock?
        if hasKeyFile || FileManager.default.fileExists(atPath: workspace.keysURL.path) {
            lock = try FileLock(keyFile.lockURL, wait: keyFile.lockWait)
        }
        defer { lock?.release() }

        var content: KeyFileContent?
        var sealed: [SealedFile] = []
        if hasKeyFile {
            guard let passphrase else { throw PurgeError.passphraseRequired(path: keyFile.displayPath) }
            let opened = try KeyFile.open(keyFile.url, passphrase: passphrase, displayPath: keyFile.displayPath)
            sealed = try SealedFile.readAll(keyFile, identity: opened.identity)
            content = opened
        }
        let retention = try RetentionPolicy(workspace: workspace)
        let store = try workspace.openStore()
        let today = Timestamp.localDay(now)

        // The plan is made from the store as it stands inside the transaction that carries it out, so that
        // an ingest running meanwhile cannot slip a record in between.
        func makePlan(_ snapshot: StoreSnapshot) throws -> PurgePlan {
            var plan = PurgePlan(
                snapshot: snapshot, people: snapshot.people(keyEntries: content?.sortedEntries ?? [], sealed: sealed))
            switch mode {
            case .retention:
                plan.selectDue(today: today, retention: retention)
            case .erasure:
                guard let code, plan.selectPerson(with: code.canonical) else {
                    throw PurgeError.notFound(code: code?.display ?? "")
                }
            }
            return plan
        }

        var summary = PurgeSummary(mode: mode, dryRun: dryRun, keyFile: hasKeyFile)
        // Read before the erasure, which removes the person's codes from these entries.
        let exports = mode == .erasure ? try AuditLog.entries(in: store, actions: [.rejoin, .export]) : []
        let (plan, entry) = try store.erase(dryRun: dryRun, now: now) { snapshot in
            let plan = try makePlan(snapshot)
            var detail = plan.counts(keyFile: hasKeyFile).auditDetail
            detail["mode"] = mode.rawValue
            var audit: [AuditDraft] = []
            if hasKeyFile {
                audit.append(AuditDraft(.keyUnlock, detail: ["entries": String(content?.entries.count ?? 0)]))
            }
            // The purge entry names no code: after it, no byte of the store may hold the person's codes. It
            // erases them, and the free text of the entries naming them, from the rest of the log.
            audit.append(AuditDraft(.purge, detail: detail, erasesFromLog: true, sealKey: content?.auditSealKey))
            return (plan, plan.erasure(audit: audit))
        }
        if let entry {
            summary.auditSeq = entry.seq
            content?.auditMark = AuditMark(seq: entry.seq, hash: entry.hash)
        }
        let counts = plan.counts(keyFile: hasKeyFile)
        summary.records = counts.records
        summary.codes = counts.codes
        summary.unusedCodes = counts.unusedCodes
        summary.keyEntries = counts.keyEntries
        summary.sealedEntries = counts.sealedEntries
        summary.batches = counts.batches
        summary.unknownTemplates = retention.unknown.sorted()
        if mode == .erasure {
            summary.erasedCodes = plan.selectedCodes
            summary.outputFiles = Set(
                OutputScan.files(mentioning: plan.selectedCodes, batches: plan.selectedBatchIDs, in: workspace)
                    + plan.recordedOutputs.map { "output/" + $0 }
            ).sorted()
            let erased = Set(plan.selectedCodes)
            summary.exports = exports.filter { entry in
                entry.codes.split(separator: ",").contains { erased.contains(String($0)) }
            }
        }
        if dryRun { return summary }

        // The manifest forgot the person's codes in the erasure's transaction; with `deleteOutputs` their
        // files go too (and the manifest forgets them, before the VACUUM below).
        if mode == .erasure && deleteOutputs {
            for file in summary.outputFiles {
                try Self.shredOutput(workspace.root.appendingPathComponent(file))
                summary.deletedOutputs.append(file)
            }
            try store.forgetOutputs(names: summary.deletedOutputs.map { String($0.dropFirst("output/".count)) })
        }

        // Freed pages are overwritten (secure_delete); VACUUM rebuilds the file so no page, free list or
        // slack keeps what was removed. It cannot run inside a transaction.
        try store.compact()

        if var content {
            for entry in plan.keyEntryCodes { content.remove(code: entry) }
            content.savedAt = Timestamp.iso8601(now)
            try keyFile.save(
                content, passphrase: passphrase!, workFactor: keyFile.currentWorkFactor() ?? keyFile.workFactor)
            let drop = plan.sealedEntryCodes
            if !drop.isEmpty {
                for file in sealed { try file.reseal(dropping: drop, to: content.identity.recipient) }
                let pending = try keyFile.pendingCodes()
                if !pending.isDisjoint(with: drop) { try keyFile.writePendingCodes(pending.subtracting(drop)) }
            }
        }
        return summary
    }
}

/// Retention months per template, with `separa.json`'s as the fallback.
final class RetentionPolicy {
    let workspaceMonths: Int
    private let library: TemplateLibrary
    private(set) var unknown: Set<String> = []
    private var cache: [String: Int?] = [:]

    init(workspace: Workspace) throws {
        workspaceMonths = workspace.config.retentionMonths
        library = try TemplateLibrary(workspace: workspace)
    }

    /// The retention of `template` (nil: the workspace's). A template no longer readable in `templates/`
    /// counts with the workspace's and is remembered in ``unknown``.
    func months(_ template: String?) -> Int {
        guard let template else { return workspaceMonths }
        if let cached = cache[template] { return cached ?? workspaceMonths }
        let found = library.entry(named: template)?.template
        if found == nil { unknown.insert(template) }
        let months = found?.settings.retentionMonths
        cache[template] = .some(months)
        return months ?? workspaceMonths
    }
}

/// Lists the files in `output/` that mention codes, by name only.
extension Purge {
    /// Overwrites a file with zeros and removes it, or every file of a folder (thermal labels) and then the
    /// folder. A file already gone is no error.
    static func shredOutput(_ url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return }
        if isFolder.boolValue {
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
                try shredOutput(url.appendingPathComponent(name))
            }
            try FileManager.default.removeItem(at: url)
        } else {
            try FileSystem.shred(url)
        }
    }
}

enum OutputScan {
    /// Files under `output/` (workspace-relative paths, sorted) whose bytes hold one of `codes` (canonical or
    /// grouped in fours, UTF-8 or UTF-16), or whose name holds one of `batches` (a printed batch PDF holds
    /// its codes in drawn glyphs and a QR, which a byte search cannot see).
    static func files(mentioning codes: [String], batches: [String], in workspace: Workspace) -> [String] {
        var patterns: [Data] = []
        for code in codes {
            for text in [code, CodeFormat.group(code)] {
                patterns.append(Data(text.utf8))
                if let utf16 = text.data(using: .utf16LittleEndian) { patterns.append(utf16) }
                if let utf16 = text.data(using: .utf16BigEndian) { patterns.append(utf16) }
            }
        }
        let root = workspace.outputURL
        guard
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var found: [String] = []
        let rootPath = root.standardizedFileURL.path
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            var relative = url.standardizedFileURL.path
            if relative.hasPrefix(rootPath) { relative = String(relative.dropFirst(rootPath.count)) }
            relative = "output" + (relative.hasPrefix("/") ? "" : "/") + relative
            let name = url.lastPathComponent
            if batches.contains(where: { names(name, batch: $0) }) {
                found.append(relative)
                continue
            }
            guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else { continue }
            if patterns.contains(where: { data.range(of: $0) != nil }) { found.append(relative) }
        }
        return found.sorted()
    }

    /// Whether a file name holds the batch id as a whole (`X-20261127-1` is not in `X-20261127-12.pdf`).
    static func names(_ name: String, batch: String) -> Bool {
        var rest = Substring(name)
        while let range = rest.range(of: batch) {
            let next = rest[range.upperBound...].first
            if next.map({ !$0.isNumber }) ?? true { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }
}
