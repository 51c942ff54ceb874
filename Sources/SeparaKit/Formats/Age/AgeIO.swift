import Foundation

/// Where age reads bytes from: a `FileHandle` (a file, a pipe, standard input) or ``AgeDataInput``.
public protocol AgeInput {
    /// Returns up to `count` bytes, fewer only at the end of the input, and empty data at the end.
    mutating func read(upTo count: Int) throws -> Data
}

/// Where age writes bytes: called with each piece of output in order.
public typealias AgeOutput = (Data) throws -> Void

extension FileHandle: AgeInput {
    public func read(upTo count: Int) throws -> Data {
        var result = Data()
        while result.count < count {
            let piece: Data?
            do {
                piece = try self.read(upToCount: count - result.count)
            } catch {
                throw AgeError.io(operation: "read the input", detail: "\(error.localizedDescription)")
            }
            guard let piece, !piece.isEmpty else { break }
            if result.isEmpty && piece.count == count { return piece }
            result.append(piece)
        }
        return result
    }
}

/// Bytes in memory read as an ``AgeInput``.
public struct AgeDataInput: AgeInput, Sendable {
    private let data: Data
    private var offset: Int

    public init(_ data: Data) {
        self.data = data
        self.offset = data.startIndex
    }

    public mutating func read(upTo count: Int) throws -> Data {
        let end = min(offset + count, data.endIndex)
        defer { offset = end }
        return data[offset..<end]
    }
}

/// A buffered reader over a pull function, with the few operations the age parsers need: lines, exact
/// counts, a look at the next byte.
final class AgeByteReader {
    private let pull: (Int) throws -> Data
    private var buffer: [UInt8] = []
    private var position = 0
    private var ended = false
    /// How many bytes have been consumed so far.
    private(set) var consumed = 0

    static let pullSize = 1 << 16

    init(pull: @escaping (Int) throws -> Data) { self.pull = pull }

    convenience init(_ input: some AgeInput) {
        var input = input
        self.init(pull: { try input.read(upTo: $0) })
    }

    private var available: Int { buffer.count - position }

    /// Makes at least `count` bytes available unless the input ends first; returns whether it could.
    @discardableResult
    func fill(_ count: Int) throws -> Bool {
        while available < count && !ended {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            let piece = try pull(max(Self.pullSize, count - available))
            if piece.isEmpty { ended = true } else { buffer.append(contentsOf: piece) }
        }
        return available >= count
    }

    /// Whether all input has been consumed.
    func atEnd() throws -> Bool { try !fill(1) }

    /// The next byte without consuming it, or nil at the end.
    func peek() throws -> UInt8? { try fill(1) ? buffer[position] : nil }

    /// The byte at `offset` from the current position without consuming it, or nil past the end.
    func peek(at offset: Int) throws -> UInt8? { try fill(offset + 1) ? buffer[position + offset] : nil }

    /// Reads through the next LF (included). Returns what remains (no LF) if the input ends first, nil if
    /// nothing remains, and `.tooLong` when no LF comes within `limit` bytes.
    func readLine(limit: Int) throws -> Line? {
        var searched = 0
        while true {
            if let index = buffer[(position + searched)...].firstIndex(of: 0x0A) {
                let length = index - position + 1
                if length > limit { return .tooLong }
                return .complete(take(length))
            }
            searched = available
            if searched > limit { return .tooLong }
            if try !fill(available + 1) {
                return available == 0 ? nil : .unterminated(take(available))
            }
        }
    }

    enum Line {
        case complete([UInt8])
        case unterminated([UInt8])
        case tooLong
    }

    /// Reads `count` bytes, fewer only at the end of the input.
    func read(_ count: Int) throws -> [UInt8] {
        try fill(count)
        return take(min(count, available))
    }

    /// Reads whatever is left, up to `limit` bytes; `nil` when more than `limit` bytes remain.
    func readRest(limit: Int) throws -> [UInt8]? {
        if try fill(limit + 1) { return nil }
        return take(available)
    }

    private func take(_ count: Int) -> [UInt8] {
        let slice = Array(buffer[position..<(position + count)])
        position += count
        consumed += count
        return slice
    }
}
