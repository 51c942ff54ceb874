import CPNGWriter
import Foundation

/// 1-bit PNG files for thermal label printers: the one file over libpng (through the small C target
/// `CPNGWriter`, which keeps libpng's `setjmp`/`longjmp` error handling out of Swift).
public enum PNGWriter {
    /// Encodes `image` as a 1-bit greyscale PNG whose pHYs chunk states `dotsPerInch` exactly.
    ///
    /// pHYs is stored in dots per metre, rounded to the nearest whole number; converting it back
    /// (× 0.0254, rounded) gives `dotsPerInch` again, which is how printer drivers read it.
    /// The corresponding C function is `separa_png_encode_1bit` (libpng's `png_write_row` and friends).
    public static func encode(_ image: BitMatrix, dotsPerInch: Int) throws(PNGWriterError) -> Data {
        guard (1...9_999).contains(dotsPerInch) else { throw .invalidResolution(dotsPerInch) }
        var output: UnsafeMutablePointer<UInt8>?
        var outputSize = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = image.bytes.withUnsafeBufferPointer { rows in
            separa_png_encode_1bit(
                rows.baseAddress, UInt32(image.width), UInt32(image.height), image.rowBytes, UInt32(dotsPerInch),
                &output, &outputSize, &message, message.count)
        }
        guard status == 0, let output else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .encoderFailed(reason: text.isEmpty ? "libpng: unknown error" : text)
        }
        defer { separa_png_free(output) }
        return Data(bytes: output, count: outputSize)
    }

    /// Encodes `image` (see ``encode(_:dotsPerInch:)``) and writes it to `url` atomically with `mode`.
    public static func write(_ image: BitMatrix, dotsPerInch: Int, to url: URL, mode: mode_t = 0o600) throws {
        let data = try encode(image, dotsPerInch: dotsPerInch)
        try FileSystem.writeAtomically(data, to: url, mode: mode)
    }
}

/// Why a PNG could not be made.
public enum PNGWriterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The resolution is not a whole number of dots per inch between 1 and 9,999.
    case invalidResolution(Int)
    /// libpng refused the image; `reason` is libpng's message (never image content).
    case encoderFailed(reason: String)

    public var description: String {
        switch self {
        case .invalidResolution(let dpi):
            return "PNG: \(dpi) dots per inch is not a printer resolution (1 to 9,999)"
        case .encoderFailed(let reason):
            return "PNG: \(reason)"
        }
    }
}
