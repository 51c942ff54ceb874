// zlib's own module as ZIPFoundation (a SeparaKit dependency) declares it: the test target needs inflate
// for the compressed testkit vectors, and this keeps Package.swift free of a second zlib module.
import CZlib
import Foundation

/// Inflates zlib (RFC 1950) data, as some age testkit vectors are stored.
enum Zlib {
    struct Failure: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "zlib inflate failed (\(code))" }
    }

    /// The corresponding C functions are `inflateInit_`, `inflate` and `inflateEnd`.
    static func inflate(_ compressed: Data) throws -> Data {
        var stream = z_stream()
        var status = inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(code: status) }
        defer { inflateEnd(&stream) }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var input = [UInt8](compressed)
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            repeat {
                try buffer.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else { throw Failure(code: status) }
                    output.append(target.baseAddress!, count: target.count - Int(stream.avail_out))
                }
            } while status != Z_STREAM_END
        }
        return output
    }
}
