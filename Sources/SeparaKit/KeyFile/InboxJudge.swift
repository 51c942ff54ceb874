import Foundation

/// Judges each inbox entry as if a stranger wrote it (every clerk can write to `keys/inbox/`, and the
/// recipient it is sealed to is public): an entry is merged only when it is exactly what `key add` writes —
/// the keys `code`, `template`, `fields`, `added_at` and nothing else; a canonical code that is registered
/// here and not revoked; a template this workspace has; exactly that template's identity fields, as
/// ``SlipRules`` allows them (consent given); no history (only `key reissue` writes a person's earlier
/// codes); an `added_at` within ``SlipRules/addedAtWindow`` of its inbox file's time, never after the
/// merge; and a `key-add` entry in the audit log that names the code at that very time (`key add` writes
/// both from one clock reading), so that a slip sealed by hand rather than by `key add` is not merged.
/// Anything else is held with its reason.
struct InboxJudge {
    let workspace: Workspace
    let store: Store
    let now: Date
    private let library: TemplateLibrary?
    private var templates: [String: Template?] = [:]
    private let registry: CodeRegistry
    /// For each code a `key add` sealed, the times it did (from the audit log); read at the first entry
    /// that gets that far.
    private var sealedAt: [String: Set<String>]?

    enum Verdict {
        case entry(KeyEntry)
        /// `code` is the entry's code when it is a valid canonical one (safe to show), else nil.
        case held(SlipProblem, code: String?)
    }

    init(workspace: Workspace, store: Store, now: Date) {
        self.workspace = workspace
        self.store = store
        self.now = now
        library = try? TemplateLibrary(workspace: workspace)
        registry = CodeRegistry(workspace: workspace, store: store)
    }

    mutating func judge(_ line: Data, fileTime: Date?) throws -> Verdict {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
            Set(object.keys).isSubset(of: ["code", "template", "fields", "added_at", "history"]),
            let entry = try? JSONDecoder().decode(KeyEntry.self, from: line)
        else { return .held(.notAnEntry, code: nil) }
        guard let parsed = try? CaseCode.parse(entry.code, expectedRandomLength: workspace.config.codes.randomLength),
            parsed.canonical == entry.code
        else { return .held(.notCanonical, code: nil) }
        let code = entry.code
        guard let registered = try registry.current(parsed) else { return .held(.row(.unregisteredCode), code: code) }
        if registered.status == .revoked { return .held(.row(.revokedCode), code: code) }
        if !entry.history.isEmpty { return .held(.carriesHistory, code: code) }
        guard let template = template(named: entry.template) else { return .held(.unknownTemplate, code: code) }
        let fields: [String: String]
        switch SlipRules.check(entry.fields, template: template) {
        case .success(let checked): fields = checked
        case .failure(let failure): return .held(failure.problem, code: code)
        }
        // `key add` seals fields exactly as the rules give them back (consent as `yes`).
        guard fields == entry.fields else { return .held(.notAnEntry, code: code) }
        guard let added = Timestamp.date(iso8601: entry.addedAt), added <= now.addingTimeInterval(300),
            let fileTime, abs(added.timeIntervalSince(fileTime)) <= SlipRules.addedAtWindow
        else { return .held(.addedAtOutOfWindow, code: code) }
        if sealedAt == nil {
            var times: [String: Set<String>] = [:]
            for audit in try AuditLog.entries(in: store, actions: [.keyAdd]) {
                for sealed in audit.codes.split(separator: ",") { times[String(sealed), default: []].insert(audit.at) }
            }
            sealedAt = times
        }
        guard sealedAt?[code]?.contains(entry.addedAt) == true else { return .held(.notSealedByKeyAdd, code: code) }
        return .entry(entry)
    }

    private mutating func template(named name: String) -> Template? {
        if let known = templates[name] { return known }
        let found = try? library?.template(named: name)
        templates[name] = found
        return found
    }
}
