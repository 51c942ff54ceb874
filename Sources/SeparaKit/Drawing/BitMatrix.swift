/// A black-and-white raster, one bit per printer dot, for thermal label printers.
///
/// Rows are packed most significant bit first, `rowBytes` bytes per row; a set bit is a black dot.
/// Written to PNG by ``PNGWriter``.
public struct BitMatrix: Hashable, Sendable {
    /// Dots per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Bytes per packed row: `(width + 7) / 8`.
    public let rowBytes: Int
    /// The packed rows, `rowBytes * height` bytes.
    public private(set) var bytes: [UInt8]

    /// A white raster of `width` × `height` dots.
    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "a raster has at least one dot")
        self.width = width
        self.height = height
        self.rowBytes = (width + 7) / 8
        self.bytes = [UInt8](repeating: 0, count: rowBytes * height)
    }

    /// Whether the dot at `x`, `y` (from the top left, 0-based) is black.
    public subscript(x: Int, y: Int) -> Bool {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height)
            return bytes[y * rowBytes + x / 8] & (0x80 >> UInt8(x % 8)) != 0
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height)
            let mask: UInt8 = 0x80 >> UInt8(x % 8)
            if newValue { bytes[y * rowBytes + x / 8] |= mask } else { bytes[y * rowBytes + x / 8] &= ~mask }
        }
    }

    /// Blackens the rectangle of dots `x..<x+width`, `y..<y+height` (clipped to the raster).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int) {
        let x0 = max(0, x)
        let x1 = min(width, x + w)
        let y0 = max(0, y)
        let y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            for column in x0..<x1 { self[column, row] = true }
        }
    }

    /// Copies `other` into this raster with its top left at `x`, `y` (black dots only; clipped).
    public mutating func draw(_ other: BitMatrix, x: Int, y: Int) {
        for row in 0..<other.height where y + row >= 0 && y + row < height {
            for column in 0..<other.width where other[column, row] {
                let target = x + column
                if target >= 0 && target < width { self[target, y + row] = true }
            }
        }
    }

    /// The QR symbol with its quiet zone, each module `dotsPerModule` × `dotsPerModule` dots: a square of
    /// `(matrix.size + 2 * quietZone) * dotsPerModule` dots, so every module covers whole printer dots.
    public init(qr matrix: QRMatrix, dotsPerModule: Int, quietZone: Int = QRMatrix.quietZone) {
        precondition(dotsPerModule >= 1 && quietZone >= 0)
        let side = (matrix.size + 2 * quietZone) * dotsPerModule
        self.init(width: side, height: side)
        for block in matrix.blocks {
            fill(
                x: (quietZone + block.column) * dotsPerModule, y: (quietZone + block.row) * dotsPerModule,
                width: block.width * dotsPerModule, height: block.height * dotsPerModule)
        }
    }
}
