import Foundation

/// Bytes written as lower-case hexadecimal, two digits a byte (hashes, MACs, random file-name parts).
extension Sequence<UInt8> {
    public var hexadecimal: String { map { String(format: "%02x", $0) }.joined() }
}
