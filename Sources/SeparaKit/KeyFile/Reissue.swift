import Foundation

/// Why a code is replaced. Closed set: the reason is kept in the key file's history and the audit log, so it
/// must never be free text that could name someone.
public enum ReissueReason: String, CaseIterable, Codable, Sendable {
    /// The person lost their code card.
    case lost
    /// Someone else learned the code (a card seen, photographed, taken).
    case exposed
    /// The person was given two codes; this one is retired.
    case duplicate
    /// Any other reason.
    case other
}

/// Why `separa key reissue` changed nothing.
public enum ReissueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The code is valid but this workspace never issued it (or it was purged).
    case notRegistered(code: String)
    /// The code was replaced already.
    case alreadyRevoked(code: String)
    /// No person is linked to the code in the key file (the slip was never added, or waits in the inbox).
    case notLinked(code: String, waitingInInbox: Bool)

    public var description: String {
        switch self {
        case .notRegistered(let code):
            return "\(code) is not registered in this workspace: check the code on the paper (separa codes check)"
        case .alreadyRevoked(let code):
            return
                "\(code) was replaced already and is revoked: look up the person's current code (separa key lookup \(code))"
        case .notLinked(let code, let waiting):
            return waiting
                ? "\(code) is waiting in keys/inbox/: merge the inbox first (separa key merge), then reissue"
                : "no person is linked to \(code) in the key file: add the identity slip first (separa key add), or check the code"
        }
    }
}

/// What to print for the person after a reissue.
public struct ReplacementPrinting: Sendable, Hashable {
    /// Write a replacement code card (one card, card-sized page).
    public var card: Bool
    /// Card languages; nil for the workspace's default card languages.
    public var cardLanguages: [String]?
    /// Also write a sheet of labels carrying the new code on its first label.
    public var labelSheet: LabelSheet?

    public init(card: Bool = true, cardLanguages: [String]? = nil, labelSheet: LabelSheet? = nil) {
        self.card = card
        self.cardLanguages = cardLanguages
        self.labelSheet = labelSheet
    }
}

/// What a reissue did.
public struct ReissueOutcome: Sendable {
    /// The code given, now revoked.
    public let old: CaseCode
    /// The person's new code.
    public let new: CaseCode
    public let reason: ReissueReason
    /// Store records moved from the old code to the new one.
    public let movedRecords: Int
    /// True when this run completed a reissue that an earlier run left half done (key file saved, store
    /// not yet changed): the new code is the one that run drew.
    public let resumed: Bool
    /// The replacement card, when one was asked for and written.
    public var card: URL?
    /// The label sheet, when one was asked for and written.
    public var labels: URL?
    /// Why the card or labels could not be written, when they could not; the reissue itself is complete.
    public var printFailure: String?
}

extension KeyFile {
    /// `separa key reissue`: gives the person linked to `code` a new code.
    ///
    /// Under the key file's lock, with the passphrase: draws a new code (registered in its own batch of kind
    /// `reissue`), links it to the same person in the key file — the old → new step is kept in the person's
    /// history there, and only there — and saves the key file; then, in one store transaction, moves every
    /// record from the old code to the new one, marks the old code `revoked` (with no pointer to the new
    /// one) and appends a `reissue` audit entry naming the old code and the reason. Finally it writes the
    /// replacement card (and labels) for the new code.
    ///
    /// Two files change, so the order matters. Killed before the key file is saved, nothing but a spare
    /// `issued` code has changed, and the next reissue removes it. Killed after the key file is saved but before the store commits, the key
    /// file already knows the new code and the store does not yet: running the same reissue again finds the
    /// old code replaced in the key file but not revoked in the store, and completes the store part with the
    /// same new code (``ReissueOutcome/resumed``). Records ingested under the old code meanwhile are moved too,
    /// and a store restored from a backup older than the key file is brought to the key file's state.
    ///
    /// Nothing changes when the code is invalid, not registered, already revoked or not linked to anyone,
    /// when the passphrase is wrong, or when the card cannot be worded (controller not set in separa.json).
    public func reissue(
        _ code: String, reason: ReissueReason, passphrase: AgePassphrase, printing: ReplacementPrinting = .init(),
        now: Date = Date()
    ) throws -> ReissueOutcome {
        var generator = SystemRandom()
        return try reissue(
            code, reason: reason, passphrase: passphrase, printing: printing, now: now, generator: &generator)
    }

    /// ``reissue(_:reason:passphrase:printing:now:)`` with a chosen random source, for tests.
    func reissue(
        _ code: String, reason: ReissueReason, passphrase: AgePassphrase, printing: ReplacementPrinting,
        now: Date, generator: inout some RandomNumberGenerator
    ) throws -> ReissueOutcome {
        let old = try CaseCode.parse(code, expectedRandomLength: workspace.config.codes.randomLength)
        try requireExisting()
        // Checked before anything changes: a reissue whose card cannot be worded is refused whole.
        let wording =
            printing.card
            ? try CodeCards.wording(
                for: printing.cardLanguages ?? CodeCards.defaultLanguages(for: workspace.config),
                config: workspace.config, configPath: workspace.configURL.path) : nil
        let store = try workspace.openStore()
        let registry = CodeRegistry(workspace: workspace, store: store)
        let lock = try FileLock(lockURL, wait: lockWait)
        defer { lock.release() }
        var content = try Self.open(url, passphrase: passphrase, displayPath: displayPath)
        let registered = try registry.current(old)
        guard let registered else { throw ReissueError.notRegistered(code: old.display) }
        guard registered.status != .revoked else { throw ReissueError.alreadyRevoked(code: old.display) }

        let new: CaseCode
        let effectiveReason: ReissueReason
        let resumed: Bool
        if let current = content.currentCode(replacing: old.canonical) {
            // An earlier run saved the key file and was stopped before the store changed.
            new = try CaseCode.parse(current, expectedRandomLength: workspace.config.codes.randomLength)
            let event = content.entries[current]?.history.last { $0.from == old.canonical }
            effectiveReason = event.flatMap { ReissueReason(rawValue: $0.reason) } ?? reason
            resumed = true
            // A store restored from a backup older than the key file may not know the new code yet.
            try registry.register(
                new, kind: "reissue", prefix: workspace.config.site.prefix, template: registered.template, now: now)
        } else {
            guard content.entries[old.canonical] != nil else {
                throw ReissueError.notLinked(
                    code: old.display, waitingInInbox: (try? pendingCodes().contains(old.canonical)) ?? false)
            }
            // A run stopped after drawing its code and before saving the key file left that code registered
            // and linked to no one: it goes before a new one is drawn.
            try registry.discardUnlinkedReissueCodes(linked: Set(content.entries.keys))
            var drawn: CaseCode?
            _ = try registry.issue(
                count: 1, kind: "reissue", prefix: workspace.config.site.prefix, now: now, status: .issued,
                template: registered.template, sink: { code, _, _ in drawn = code }, generator: &generator)
            guard let drawn else { throw StoreError.failed(operation: "issuing a code", reason: "no code was drawn") }
            new = drawn
            content.reissue(
                old.canonical, to: new.canonical, reason: reason.rawValue, at: Timestamp.iso8601(now))
            let entry = try AuditLog.append(
                to: store, action: .keyUnlock, detail: ["entries": String(content.entries.count)], now: now)
            content.auditMark = AuditMark(seq: entry.seq, hash: entry.hash)
            content.savedAt = Timestamp.iso8601(now)
            try save(content, passphrase: passphrase, workFactor: currentWorkFactor() ?? workFactor)
            effectiveReason = reason
            resumed = false
        }

        let moved = try registry.revoke(
            old, movingRecordsTo: new, template: registered.template, reason: effectiveReason.rawValue, now: now)

        var outcome = ReissueOutcome(
            old: old, new: new, reason: effectiveReason, movedRecords: moved, resumed: resumed)
        do {
            if let wording {
                let url = try workspace.outputFile("card-\(new.display).pdf")
                try store.recordOutput(url.lastPathComponent, codes: [new.canonical], now: now)
                _ = try CodeCards.write(
                    codes: [new], wording: wording, controller: workspace.config.controller, layout: .single, to: url)
                outcome.card = url
            }
            if let sheet = printing.labelSheet {
                let url = try workspace.outputFile("label-\(new.display)-\(sheet.rawValue).pdf")
                try store.recordOutput(url.lastPathComponent, codes: [new.canonical], now: now)
                _ = try LabelSheets.write(codes: [new], sheet: sheet, to: url)
                outcome.labels = url
            }
            if outcome.card != nil || outcome.labels != nil {
                try registry.markPrinted(codes: [new])
            }
        } catch {
            outcome.printFailure = "\(error)"
        }
        return outcome
    }
}
