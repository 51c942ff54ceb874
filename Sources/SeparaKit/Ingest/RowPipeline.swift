import Foundation

/// Reads and checks a file's rows on a thread of its own, a few chunks ahead of the store.
///
/// The store inserts one chunk while the next is read and checked, so that on two cores the import takes
/// about as long as the slower of the two halves rather than their sum. At most ``depth`` chunks wait:
/// memory stays bounded whatever the size of the file. Only the producing thread touches the reader and
/// the parser until ``stopAndWait()`` returns (or ``nextChunk()`` has returned nil).
final class RowPipeline: @unchecked Sendable {
    static let depth = 2

    private let reader: CSVReader
    private var parser: RowParser
    private let randomLength: Int
    private let condition = NSCondition()
    private var ready: [PendingChunk] = []
    private var spare: [PendingChunk] = []
    private var started = false
    private var stopping = false
    private var finished = false
    /// Data rows read; final once the producer has finished.
    private(set) var read = 0

    init(reader: CSVReader, parser: RowParser, randomLength: Int) {
        self.reader = reader
        self.parser = parser
        self.randomLength = randomLength
    }

    func start() {
        started = true
        let thread = Thread { [self] in produce() }
        thread.name = "separa.ingest.rows"
        thread.start()
    }

    /// The next chunk in file order, or nil after the last one.
    func nextChunk() -> PendingChunk? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        if ready.isEmpty { return nil }
        let chunk = ready.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Gives a chunk's buffers back for reuse (the producer empties them, off the store's thread).
    func recycle(_ chunk: PendingChunk) {
        condition.lock()
        if spare.count < Self.depth + 1 { spare.append(chunk) }
        condition.unlock()
    }

    /// Stops the producer (if it is still reading) and waits until it no longer touches the reader.
    func stopAndWait() {
        guard started else { return }
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func produce() {
        var chunk = takeSpare()
        var going = true
        while going, let result = reader.nextResult() {
            read += 1
            switch result {
            case .success(let record):
                chunk.rows.append(parser.parse(record, json: &chunk.json))
            case .failure(let error):
                // After an error it cannot recover from (an unclosed quote), the reader returns nil.
                chunk.rows.append(parser.malformed(error))
            }
            if chunk.count >= FileImport.chunkSize {
                going = hand(&chunk)
                if going { chunk = takeSpare() }
            }
        }
        if going, chunk.count > 0 { _ = hand(&chunk) }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Queues a full chunk, waiting while ``depth`` are waiting; false when the import stopped.
    private func hand(_ chunk: inout PendingChunk) -> Bool {
        chunk.prepare(randomLength: randomLength)
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= Self.depth && !stopping { condition.wait() }
        if stopping { return false }
        ready.append(chunk)
        condition.broadcast()
        return true
    }

    private func takeSpare() -> PendingChunk {
        condition.lock()
        let chunk = spare.popLast()
        condition.unlock()
        guard var chunk else { return PendingChunk() }
        chunk.removeAll()
        return chunk
    }
}
