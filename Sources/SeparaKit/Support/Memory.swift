import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How the process's memory allocator behaves.
public enum Memory {
    /// Asks glibc to keep freed memory in the process rather than hand it back to the kernel at once, for
    /// work that allocates and frees the same large buffers over and over: cairo's zlib state and page
    /// buffers for every PDF page, swift-crypto's buffers for every 64 KiB chunk of an age stream. By default
    /// glibc trims the heap above 128 KiB of free memory and serves blocks over 128 KiB with `mmap`, so each
    /// page or chunk faulted the same memory in again (about a tenth of a long print run, about 5,000 page
    /// faults per 10 MB of age stream: bench/README.md). Keeps up to 256 MB free and takes blocks under
    /// 32 MB from the heap. Process-wide and set once; harmless for a command-line process.
    ///
    /// The corresponding C function is `mallopt` (looked up at run time: `<malloc.h>` is not part of Swift's
    /// Glibc module, and it is absent outside glibc).
    public static func keepFreedMemory() { _ = applied }

    private static let applied: Void = {
        #if canImport(Glibc)
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(-1, 256 << 20)  // M_TRIM_THRESHOLD
            _ = mallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD
        #endif
    }()
}
