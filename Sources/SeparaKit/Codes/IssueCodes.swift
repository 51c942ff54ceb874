import Foundation

/// `separa codes issue`: a new batch of codes in the registry and its list in `output/codes-BATCH.csv`.
public enum IssueCodes {
    /// What was issued and where its list was written.
    public struct Result: Sendable {
        public let batch: Batch
        public let redraws: Int
        /// `output/codes-BATCH.csv`: code (printed form), batch, issued date.
        public let listURL: URL
    }

    /// Registers `count` new codes drawn from the system's CSPRNG and writes their list.
    ///
    /// Atomic: either the batch is registered and its list written, or neither (a crash between the two
    /// leaves the batch registered; `separa codes list --batch` gives its codes).
    public static func run(
        workspace: Workspace, store: Store, count: Int, note: String?, now: Date = Date()
    ) throws -> Result {
        var random = SystemRandom()
        return try run(workspace: workspace, store: store, count: count, note: note, now: now, generator: &random)
    }

    /// As ``run(workspace:store:count:note:now:)`` with a given generator (tests pass a seeded one).
    public static func run(
        workspace: Workspace, store: Store, count: Int, note: String?, now: Date = Date(),
        generator: inout some RandomNumberGenerator
    ) throws -> Result {
        // The note is typed by a coordinator and kept in the store: it goes through the identity detector.
        if let note, let what = IdentityLookalike.detect(note) {
            throw CodeRegistryError.noteLooksLikeIdentity(what: what)
        }
        let registry = CodeRegistry(workspace: workspace, store: store)
        let writer = try AtomicFileWriter(try workspace.outputFile("codes-pending.csv"), mode: 0o600)
        do {
            try writer.write("code,batch,issued\r\n")
            let issued = try registry.issue(
                count: count, note: note, prefix: workspace.config.site.prefix, now: now,
                sink: { code, batch, day in
                    try writer.write("\(code.display),\(batch.rawValue),\(day)\r\n")
                }, generator: &generator)
            try writer.commit(as: "codes-\(issued.batch.id.rawValue).csv")
            try store.recordOutput(writer.destination.lastPathComponent, batches: [issued.batch.id], now: now)
            return Result(batch: issued.batch, redraws: issued.redraws, listURL: writer.destination)
        } catch {
            writer.abandon()
            throw error
        }
    }
}
