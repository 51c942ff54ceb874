import GRDB

extension CodeRegistry {
    /// Marks `codes` as printed, in one transaction, and returns how many changed.
    ///
    /// Only codes whose status is `issued` change (to `printed`); codes already printed, used or revoked,
    /// and codes not in the registry, are left as they are. When `template` is given, it is recorded on the
    /// codes that change (a form's template id; nil for code cards and labels).
    @discardableResult
    public func markPrinted(codes: [CaseCode], template: String? = nil) throws(StoreError) -> Int {
        do {
            return try store.database.write { db in
                let update = try db.makeStatement(
                    sql:
                        "UPDATE code SET status = 'printed', template = coalesce(?, template) WHERE code = ? AND status = 'issued'"
                )
                var changed = 0
                for code in codes {
                    update.setUncheckedArguments([template, code.canonical])
                    try update.execute()
                    changed += db.changesCount
                }
                return changed
            }
        } catch {
            throw StoreError.wrap("marking codes as printed", error)
        }
    }
}
