import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// File operations with the guarantees Separa promises: private modes, and atomic replacement
/// (temp file in the same folder, fsync, rename, fsync of the folder), so that a crash leaves either
/// the old file or the new one.
///
/// All system calls for files live here.
public enum FileSystem {
    /// Creates `url` and missing parents; sets `mode` on the folder when this call creates it.
    /// The corresponding C functions are `mkdir` and `chmod`.
    public static func createDirectory(_ url: URL, mode: mode_t) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw FileSystemError.cannotWrite(path: url.path, reason: "a file of that name is in the way")
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw FileSystemError.cannotWrite(path: url.path, reason: "cannot create the folder")
        }
        if chmod(url.path, mode) != 0 { throw posixError(url, "chmod") }
    }

    /// Creates an empty file with `mode` if it does not exist yet (so that a library opening it later
    /// cannot create it world-readable). The corresponding C function is `open(O_CREAT|O_EXCL)`.
    public static func createPrivateFile(_ url: URL, mode: mode_t = 0o600) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd < 0 {
            if errno == EEXIST { return }
            throw posixError(url, "create")
        }
        _ = fchmod(fd, mode)  // the umask may have narrowed it further; never wider
        close(fd)
    }

    /// Replaces `url` with `data` atomically: writes `.name.tmp-XXXXXX` beside it with `mode`, fsyncs it,
    /// renames it over `url`, and fsyncs the folder. The corresponding C functions are `mkstemp`, `write`,
    /// `fsync`, `rename`.
    public static func writeAtomically(_ data: Data, to url: URL, mode: mode_t) throws {
        let writer = try AtomicFileWriter(url, mode: mode)
        do {
            try writer.write(data)
            try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// fsyncs a folder so that a rename inside it survives a power cut.
    public static func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and interruptions. The corresponding C function
    /// is `write`.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, url: URL) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw posixError(url, "write")
            }
            offset += written
        }
    }

    /// Overwrites a file's bytes with zeros, fsyncs it, and removes it (`separa key add --shred`).
    ///
    /// On SSDs (wear levelling), copy-on-write and journaling filesystems, and with backups or snapshots,
    /// the old bytes may survive elsewhere: this narrows the exposure, it is no guarantee.
    /// The corresponding C functions are `open`, `lseek`, `write`, `fsync` and `unlink`.
    public static func shred(_ url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CLOEXEC)
        if fd < 0 { throw posixError(url, "open") }
        defer { close(fd) }
        // The size from lseek rather than fstat: the members of `struct stat` reach Swift through a different
        // clang module from build to build, which MemberImportVisibility cannot follow.
        let size = lseek(fd, 0, SEEK_END)
        if size < 0 || lseek(fd, 0, SEEK_SET) != 0 { throw posixError(url, "seek") }
        let zeros = [UInt8](repeating: 0, count: 1 << 16)
        var remaining = Int(size)
        while remaining > 0 {
            let chunk = min(remaining, zeros.count)
            try zeros.withUnsafeBytes { try writeAll(UnsafeRawBufferPointer(rebasing: $0[..<chunk]), to: fd, url: url) }
            remaining -= chunk
        }
        if fsync(fd) != 0 { throw posixError(url, "fsync") }
        if unlink(url.path) != 0 { throw posixError(url, "remove") }
        syncDirectory(url.deletingLastPathComponent())
    }

    /// Whether no process holds `url`'s advisory lock: an ``AtomicFileWriter`` or ``AtomicDirectoryWriter``
    /// holds one on its temporary file or folder while it runs, and a kill releases it. The corresponding C
    /// function is `flock(LOCK_EX | LOCK_NB)`.
    public static func isUnheld(_ url: URL) -> Bool {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) == 0
    }

    /// Whether `name` is a temporary file or folder of ``AtomicFileWriter`` or ``AtomicDirectoryWriter``
    /// (`.NAME.tmp-XXXXXX`): not yet in place, or left by a command that was killed.
    public static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".tmp-")
    }

    /// Renames `url` to `destination` in the same folder and fsyncs the folder.
    public static func moveIntoPlace(_ url: URL, as destination: URL) throws {
        if rename(url.path, destination.path) != 0 { throw posixError(destination, "rename") }
        syncDirectory(destination.deletingLastPathComponent())
    }

    static func posixError(_ url: URL, _ operation: String) -> FileSystemError {
        .cannotWrite(path: url.path, reason: "\(operation): \(String(cString: strerror(errno)))")
    }
}

/// Writes a file in pieces and replaces the destination atomically on ``commit()``.
///
/// Until `commit`, the destination is untouched; ``abandon()`` (or a crash) leaves only a hidden temp file
/// beside it, which the next successful write of the same name does not depend on.
public final class AtomicFileWriter {
    public private(set) var destination: URL
    let tempPath: String

    /// The hidden temporary file's name, beside the destination.
    public var temporaryName: String { URL(fileURLWithPath: tempPath).lastPathComponent }
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let mode: mode_t

    public init(_ destination: URL, mode: mode_t) throws {
        self.destination = destination
        self.mode = mode
        let folder = destination.deletingLastPathComponent()
        var template = Array(
            folder.appendingPathComponent(".\(destination.lastPathComponent).tmp-XXXXXX").path.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw FileSystem.posixError(destination, "create temporary file") }
        self.fd = fd
        self.tempPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        _ = fchmod(fd, mode)
        // Held until the file is renamed or dropped: a command finishing what a killed one left
        // (``FileSystem/isUnheld(_:)``) leaves a temporary file alone while its writer runs.
        _ = flock(fd, LOCK_EX)
        buffer.reserveCapacity(1 << 16)
    }

    /// Appends bytes (buffered).
    public func write(_ data: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: data)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends a string as UTF-8.
    public func write(_ string: String) throws {
        var string = string
        string.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { try FileSystem.writeAll($0, to: fd, url: destination) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and fsyncs the temporary file: its content is then on disk, but not yet at the destination.
    ///
    /// Lets a caller make sure the file is complete before committing something else (a database
    /// transaction), and only then ``commit(as:)``.
    public func sync() throws {
        try flush()
        if fsync(fd) != 0 { throw FileSystem.posixError(destination, "fsync") }
    }

    /// Flushes, fsyncs, renames over the destination (or over `finalName` in the same folder, for a name
    /// known only once the content is) and fsyncs the folder.
    public func commit(as finalName: String? = nil) throws {
        if let finalName { destination = destination.deletingLastPathComponent().appendingPathComponent(finalName) }
        try sync()
        // Renamed while still open (and locked), then closed.
        if rename(tempPath, destination.path) != 0 {
            let error = FileSystem.posixError(destination, "rename")
            unlink(tempPath)
            close(fd)
            fd = -1
            throw error
        }
        close(fd)
        fd = -1
        FileSystem.syncDirectory(destination.deletingLastPathComponent())
    }

    /// Drops the temp file; the destination stays as it was.
    public func abandon() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        unlink(tempPath)
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(tempPath)
        }
    }
}

#if os(Linux)
    /// `syncfs(2)` (glibc ≥ 2.14); declared by <unistd.h> only under _GNU_SOURCE, which Swift's Glibc module
    /// does not set.
    @_silgen_name("syncfs")
    private func systemSyncfs(_ fd: Int32) -> Int32
#endif

/// Writes many files into a hidden staging folder beside `destination` and puts the folder in place on
/// ``commit()``: readers see the old folder or the complete new one, never a half-written one.
///
/// Made for hundreds or thousands of small files (label images): the files are written without a sync
/// each, and made durable together at commit (one `syncfs` on Linux; one `fsync` per file elsewhere)
/// before the rename.
public final class AtomicDirectoryWriter {
    /// The folder that ``commit()`` creates or replaces.
    public let destination: URL
    let staging: URL
    private var names: [String] = []
    private var finished = false

    /// Creates the staging folder `.NAME.tmp-XXXXXX` beside `destination` with `mode`.
    /// The corresponding C function is `mkdtemp`.
    public init(_ destination: URL, mode: mode_t = 0o700) throws {
        self.destination = destination.standardizedFileURL
        let parent = self.destination.deletingLastPathComponent()
        var template = Array(
            parent.appendingPathComponent(".\(self.destination.lastPathComponent).tmp-XXXXXX").path.utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        if made == nil { throw FileSystem.posixError(destination, "create temporary folder") }
        staging = URL(
            fileURLWithPath: String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
            isDirectory: true)
        if chmod(staging.path, mode) != 0 { throw FileSystem.posixError(destination, "chmod") }
        // Held while this writer runs (see ``FileSystem/isUnheld(_:)``).
        lockDescriptor = open(staging.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if lockDescriptor >= 0 { _ = flock(lockDescriptor, LOCK_EX) }
    }

    private var lockDescriptor: Int32 = -1

    private func releaseLock() {
        if lockDescriptor >= 0 {
            close(lockDescriptor)
            lockDescriptor = -1
        }
    }

    /// Writes a new file `name` (a plain file name) into the staging folder with `mode`.
    /// The corresponding C functions are `open(O_CREAT|O_EXCL)` and `write`.
    public func write(_ data: Data, name: String, mode: mode_t = 0o600) throws {
        precondition(!finished && !name.contains("/") && name != "." && name != "..")
        let url = staging.appendingPathComponent(name)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd < 0 { throw FileSystem.posixError(url, "create") }
        defer { close(fd) }
        _ = fchmod(fd, mode)
        try data.withUnsafeBytes { try FileSystem.writeAll($0, to: fd, url: url) }
        names.append(name)
    }

    /// Makes the files durable, then renames the staging folder to ``destination``. An existing folder of
    /// that name is first renamed aside and removed afterwards (a crash in between leaves it as a hidden
    /// `.NAME.old-…` folder beside the new one).
    public func commit() throws {
        precondition(!finished)
        finished = true
        do {
            try syncStagedFiles()
            let parent = destination.deletingLastPathComponent()
            var aside: URL?
            if FileManager.default.fileExists(atPath: destination.path) {
                let old = parent.appendingPathComponent(
                    ".\(destination.lastPathComponent).old-\(UUID().uuidString.prefix(8))")
                if rename(destination.path, old.path) != 0 { throw FileSystem.posixError(destination, "rename") }
                aside = old
            }
            if rename(staging.path, destination.path) != 0 {
                let error = FileSystem.posixError(destination, "rename")
                if let aside { _ = rename(aside.path, destination.path) }
                throw error
            }
            FileSystem.syncDirectory(parent)
            releaseLock()
            if let aside { try? FileManager.default.removeItem(at: aside) }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            releaseLock()
            throw error
        }
    }

    private func syncStagedFiles() throws {
        #if os(Linux)
            let fd = open(staging.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd < 0 { throw FileSystem.posixError(staging, "open") }
            defer { close(fd) }
            if systemSyncfs(fd) != 0 { throw FileSystem.posixError(staging, "syncfs") }
        #else
            for name in names {
                let fd = open(staging.appendingPathComponent(name).path, O_RDONLY | O_CLOEXEC)
                if fd < 0 { throw FileSystem.posixError(staging, "open") }
                defer { close(fd) }
                if fsync(fd) != 0 { throw FileSystem.posixError(staging, "fsync") }
            }
            FileSystem.syncDirectory(staging)
        #endif
    }

    /// Removes the staging folder; the destination stays as it was.
    public func abandon() {
        guard !finished else {
            releaseLock()
            return
        }
        finished = true
        try? FileManager.default.removeItem(at: staging)
        releaseLock()
    }

    deinit { abandon() }
}
