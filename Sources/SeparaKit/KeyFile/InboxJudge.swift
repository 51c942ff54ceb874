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
    let now: Date
    private let library: TemplateLibrary?
    private var templates: [String: Template?] = [:]
    private var registry: CodeRegistry?
    /// For each code a `key add` sealed, the times it did (from the audit log).
    private var sealedAt: [String: Set<String>]?

    enum Verdict {
        case entry(KeyEntry)
        /// `code` is the entry's code when it is a valid canonical one (safe to show), else nil.
        case held(SlipProblem, code: String?)
    }

    init(workspace: Workspace, now: Date) {
        self.workspace = workspace
        self.now = now
        library = try? TemplateLibrary(workspace: workspace)
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
        if registry == nil { registry = CodeRegistry(workspace: workspace, store: try workspace.openStore()) }
        guard let registered = try registry!.current(parsed) else { return .held(.row(.unregisteredCode), code: code) }
        if registered.status == .revoked { return .held(.row(.revokedCode), code: code) }
        if !entry.history.isEmpty { return .held(.carriesHistory, code: code) }
        guard let template = template(named: entry.template) else { return .held(.unknownTemplate, code: code) }
        let fields: [String: String]
        switch SlipRules.check(entry.fields, template: template) {
        case .success(let checked): fields = checked
        case .failure(let failure): return .held(failure.problem, code: code)
        }
        guard fields == entry.fields, let added = Self.parseTimestamp(entry.addedAt),
            added <= now.addingTimeInterval(300),
            let fileTime, abs(added.timeIntervalSince(fileTime)) <= SlipRules.addedAtWindow
        else {
            return .held(fields == entry.fields ? .addedAtOutOfWindow : .notAnEntry, code: code)
        }
        if sealedAt == nil {
            var times: [String: Set<String>] = [:]
            for audit in try AuditLog.entries(in: try workspace.openStore()) where audit.action == .keyAdd {
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

    /// The time in an inbox file's name: `YYYYMMDD-HHMMSS-…` (local time, as `key add` writes it) or the
    /// older `YYYYMMDDTHHMMSSZ-…` (UTC); nil for any other name.
    static func time(ofInboxFile name: String) -> Date? {
        let bytes = Array(name.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard bytes.count >= 16, let year = digits(0..<4), let month = digits(4..<6), let day = digits(6..<8),
            let hour = digits(9..<11), let minute = digits(11..<13), let second = digits(13..<15)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        switch (bytes[8], bytes[15]) {
        case (UInt8(ascii: "-"), UInt8(ascii: "-")): calendar.timeZone = .current
        case (UInt8(ascii: "T"), UInt8(ascii: "Z")): calendar.timeZone = TimeZone(identifier: "UTC")!
        default: return nil
        }
        return calendar.date(
            from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }

    /// An ISO 8601 UTC time as Separa writes it (`2026-11-27T14:30:12Z`).
    static func parseTimestamp(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }
}
