import GRDB

extension CodeRegistry {
    /// Marks `codes` as printed, in one transaction, and returns how many changed.
    ///
    /// Only codes whose status is `issued` change (to `printed`); codes already printed, used or revoked,
    /// and codes not in the registry, are left as they are. When `template` is given, it is recorded on the
    /// codes that change (a form's template id; nil for code cards and labels), and on printed codes that
    /// have no template yet (a code printed on a card or label first, on a form later); a template already
    /// recorded is kept.
    @discardableResult
    public func markPrinted(codes: [CaseCode], template: TemplateID? = nil) throws(StoreError) -> Int {
        try store.write("marking codes as printed") { db in
            // The status as `code_state` reads it: a code that a record carries is used, whatever is stored.
            let current = "(SELECT status FROM code_state WHERE code_state.code = ?2)"
            let update = try db.makeStatement(
                sql: """
                    UPDATE code SET status = 'printed', template = coalesce(?1, template)
                    WHERE code = ?2 AND \(current) = 'issued'
                    """)
            let fill = try db.makeStatement(
                sql: "UPDATE code SET template = ?1 WHERE code = ?2 AND template IS NULL AND \(current) = 'printed'")
            var changed = 0
            for code in codes {
                update.setUncheckedArguments([template, code.canonical])
                try update.execute()
                changed += db.changesCount
                if let template, db.changesCount == 0 {
                    fill.setUncheckedArguments([template, code.canonical])
                    try fill.execute()
                }
            }
            return changed
        }
    }
}
