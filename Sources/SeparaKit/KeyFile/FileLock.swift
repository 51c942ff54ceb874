import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on a file (`keys/.lock`), held until ``release()`` or deinit: two writers of
/// the key file never overlap. The kernel drops the lock when the process dies, so a killed writer never
/// leaves it stuck. The corresponding C functions are `open` and `flock`.
public final class FileLock {
    private var fd: Int32
    /// The lock file.
    public let url: URL

    /// Takes the lock, retrying for up to `wait` seconds; throws ``KeyFileError/busy(path:)`` after that.
    public init(_ url: URL, wait: TimeInterval = 10) throws(KeyFileError) {
        self.url = url
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .io(path: url.path, detail: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(fd)
                throw .busy(path: url.path)
            }
            usleep(50_000)
        }
        self.fd = fd
    }

    /// Releases the lock (also done on deinit).
    public func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
