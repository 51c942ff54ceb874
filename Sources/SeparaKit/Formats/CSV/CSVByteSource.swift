import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a ``CSVReader`` takes its bytes from: a file descriptor, read in blocks, or bytes in memory.
///
/// All system calls of the CSV reader live here. The corresponding C functions are `open`, `read` and
/// `close`.
final class CSVByteSource {
    private enum Storage {
        case descriptor(Int32, closeWhenDone: Bool)
        case memory([UInt8], offset: Int)
    }

    private var storage: Storage
    /// The name used in error messages.
    let name: String
    /// Test hook: the most bytes one `read` returns, to exercise every block boundary. Nil in production.
    var maximumReadSize: Int?

    /// Opens `url` for reading.
    init(url: URL, name: String) throws(CSVError) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .cannotOpen(file: name, reason: String(cString: strerror(errno))) }
        // A folder opens, and then fails at the first read with EISDIR: say so now. (Not fstat: the members
        // of `struct stat` reach Swift through a different clang module from build to build, which
        // MemberImportVisibility cannot follow.)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            close(fd)
            throw .cannotOpen(file: name, reason: "it is a folder")
        }
        self.storage = .descriptor(fd, closeWhenDone: true)
        self.name = name
    }

    /// Reads from an open descriptor from its current offset; the descriptor is not closed.
    init(descriptor: Int32, name: String) {
        self.storage = .descriptor(descriptor, closeWhenDone: false)
        self.name = name
    }

    /// Reads from bytes in memory.
    init(bytes: [UInt8], name: String) {
        self.storage = .memory(bytes, offset: 0)
        self.name = name
    }

    /// Reads up to `count` bytes into `destination`; returns 0 only at the end of the input.
    func readBytes(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(CSVError) -> Int {
        let count = min(count, maximumReadSize ?? count)
        guard count > 0 else { return 0 }
        switch storage {
        case .descriptor(let fd, _):
            while true {
                let got = read(fd, destination, count)
                if got >= 0 { return got }
                if errno == EINTR { continue }
                throw .readFailed(file: name, reason: String(cString: strerror(errno)))
            }
        case .memory(let bytes, let offset):
            let n = min(count, bytes.count - offset)
            if n > 0 {
                bytes.withUnsafeBufferPointer { source in
                    destination.update(from: source.baseAddress! + offset, count: n)
                }
                storage = .memory(bytes, offset: offset + n)
            }
            return n
        }
    }

    /// Closes a descriptor this source opened; later reads return 0.
    func closeDescriptor() {
        if case .descriptor(let fd, true) = storage {
            _ = close(fd)
        }
        storage = .memory([], offset: 0)
    }

    deinit { closeDescriptor() }
}
