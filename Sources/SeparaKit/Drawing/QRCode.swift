import CQRencode

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A QR code symbol as a Swift value: `size` × `size` modules, row-major, `true` = dark.
///
/// Built by ``encode(_:correction:mode:)``; no C pointer outlives that call. The matrix holds the
/// symbol only: whoever draws it keeps at least ``quietZone`` light modules around it, and draws each
/// module at least ``minimumModuleMillimetres`` wide.
///
/// Separa's QR codes hold a case code in its printed form, `XXXX-XXXX-XXXX` (upper case, hyphens), and
/// nothing else. A USB scanner in keyboard mode types exactly that text into the code column of a
/// transcription sheet, and ``CaseCode/parse(_:expectedRandomLength:)`` accepts it (hyphens are separators).
public struct QRMatrix: Hashable, Sendable {
    /// Modules per side (21 for version 1, 4 more per version).
    public let size: Int
    /// `size * size` modules, row by row from the top left; `true` is a dark module.
    public let modules: [Bool]
    /// The QR version (1–40) the encoder chose: the smallest that holds the text.
    public let version: Int

    /// Light modules that must surround the symbol on every side (ISO/IEC 18004 asks for 4).
    public static let quietZone = 4
    /// Smallest module Separa prints, in millimetres: below this, phone cameras and cheap scanners misread.
    public static let minimumModuleMillimetres = 0.5

    /// Creates a matrix from modules (row-major, `true` = dark); `modules.count` must be `size * size`.
    public init(size: Int, modules: [Bool], version: Int) {
        precondition(size > 0 && modules.count == size * size, "a QR matrix is square")
        self.size = size
        self.modules = modules
        self.version = version
    }

    /// Whether the module at `row`, `column` (from the top left, 0-based) is dark.
    public subscript(row: Int, column: Int) -> Bool { modules[row * size + column] }

    /// Modules per side including the quiet zone on both sides: `size + 2 * quietZone`.
    public var sizeWithQuietZone: Int { size + 2 * Self.quietZone }

    /// How much of the payload can be lost and still read back. Separa never goes below medium.
    public enum ErrorCorrection: Sendable, Hashable, CaseIterable {
        /// About 15% of the symbol may be damaged (level M): the default.
        case medium
        /// About 25% (level Q).
        case quartile
        /// About 30% (level H).
        case high

        var level: QRecLevel {
            switch self {
            case .medium: return QR_ECLEVEL_M
            case .quartile: return QR_ECLEVEL_Q
            case .high: return QR_ECLEVEL_H
            }
        }
    }

    /// How the text is put into the symbol.
    public enum Mode: Sendable, Hashable, CaseIterable {
        /// QR alphanumeric mode: only `0-9 A-Z`, space and `$ % * + - . / :`; the densest mode for case codes.
        /// The encoder may still use numeric mode for runs of digits.
        case alphanumeric
        /// Every byte of the UTF-8 text in 8-bit mode.
        case eightBit
    }

    /// The characters alphanumeric mode can hold.
    public static let alphanumericCharacters = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)

    /// Encodes `text` into the smallest QR symbol that holds it at `correction`.
    ///
    /// The corresponding C function is `QRcode_encodeString` (for ``Mode/alphanumeric``, which lets the
    /// encoder pick numeric and alphanumeric segments, case-sensitively) or `QRcode_encodeString8bit`
    /// (for ``Mode/eightBit``).
    ///
    /// - Throws: ``QRCodeError``; its messages never repeat the text.
    public static func encode(
        _ text: String, correction: ErrorCorrection = .medium, mode: Mode = .alphanumeric
    ) throws(QRCodeError) -> QRMatrix {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { throw .empty }
        if let zero = bytes.firstIndex(of: 0) { throw .invalidCharacter(position: zero + 1, mode: mode) }
        if mode == .alphanumeric, let bad = bytes.firstIndex(where: { !alphanumericCharacters.contains($0) }) {
            throw .invalidCharacter(position: bad + 1, mode: mode)
        }
        errno = 0
        let symbol: UnsafeMutablePointer<QRcode>? = text.withCString { string in
            switch mode {
            case .alphanumeric:
                // QR_MODE_8 as the hint lets the splitter use 8-bit for anything outside the alphanumeric
                // set; the check above guarantees there is nothing such, so the symbol is numeric/alphanumeric.
                return QRcode_encodeString(string, 0, correction.level, QR_MODE_8, 1)
            case .eightBit:
                return QRcode_encodeString8bit(string, 0, correction.level)
            }
        }
        guard let symbol else {
            switch errno {
            case ERANGE: throw .tooLong(bytes: bytes.count)
            case ENOMEM: throw .outOfMemory
            default: throw .encoderFailed(errno: errno)
            }
        }
        defer { QRcode_free(symbol) }
        let size = Int(symbol.pointee.width)
        let data = UnsafeBufferPointer(start: symbol.pointee.data, count: size * size)
        // Bit 0 of each byte is the module's colour (1 = dark); the other bits describe its role.
        let modules = data.map { $0 & 1 == 1 }
        return QRMatrix(size: size, modules: modules, version: Int(symbol.pointee.version))
    }

    /// A rectangle of dark modules, in modules from the symbol's top left (quiet zone not included).
    public struct Block: Hashable, Sendable {
        public var column: Int
        public var row: Int
        public var width: Int
        public var height: Int
    }

    /// The dark modules as few rectangles: each row's adjacent dark modules merged into runs, and a run
    /// repeated exactly in the rows below merged into one taller rectangle.
    ///
    /// Together they cover every dark module exactly once, so they can be filled as one path.
    public var blocks: [Block] {
        var blocks: [Block] = []
        var open: [Int: Block] = [:]  // by column * (size + 1) + width: runs still growing downwards
        for row in 0..<size {
            var continued = Set<Int>()
            for run in darkRuns(inRow: row) {
                let key = run.column * (size + 1) + run.length
                if var block = open[key], block.row + block.height == row {
                    block.height += 1
                    open[key] = block
                } else {
                    if let finished = open[key] { blocks.append(finished) }
                    open[key] = Block(column: run.column, row: row, width: run.length, height: 1)
                }
                continued.insert(key)
            }
            for (key, block) in open where !continued.contains(key) {
                blocks.append(block)
                open[key] = nil
            }
        }
        blocks.append(contentsOf: open.values)
        return blocks.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
    }

    /// A straight line of adjacent dark modules, along a row or down a column.
    public struct Segment: Hashable, Sendable {
        /// Along a row (true) or down a column.
        public var horizontal: Bool
        /// The row of a horizontal segment, the column of a vertical one.
        public var line: Int
        /// The first module of the segment along its row or column.
        public var start: Int
        public var length: Int
    }

    /// The dark modules as few straight segments, for drawing the symbol as one stroked path: the runs of
    /// two or more dark modules along the rows, and for each module left alone in its row, the whole run of
    /// dark modules down its column (or the same with rows and columns swapped, whichever gives fewer).
    ///
    /// Every dark module is covered, some twice (a crossing), no light module ever. About 30% fewer segments
    /// than the runs of one direction alone, and fewer segments are what makes a form page quicker to write.
    public var strokeSegments: [Segment] {
        let alongRows = segments(rowsFirst: true)
        let alongColumns = segments(rowsFirst: false)
        return alongColumns.count < alongRows.count ? alongColumns : alongRows
    }

    private func segments(rowsFirst: Bool) -> [Segment] {
        // `line` counts along the first direction (rows when rowsFirst), `index` along it.
        func dark(_ line: Int, _ index: Int) -> Bool {
            rowsFirst ? modules[line * size + index] : modules[index * size + line]
        }
        var segments: [Segment] = []
        segments.reserveCapacity(size * 4)
        var alone = [Bool](repeating: false, count: size * size)
        for line in 0..<size {
            var start = -1
            for index in 0...size {
                let isDark = index < size && dark(line, index)
                if isDark && start < 0 { start = index }
                if !isDark && start >= 0 {
                    if index - start >= 2 {
                        segments.append(Segment(horizontal: rowsFirst, line: line, start: start, length: index - start))
                    } else {
                        alone[line * size + start] = true
                    }
                    start = -1
                }
            }
        }
        var covered = [Bool](repeating: false, count: size * size)
        for index in 0..<size {
            for line in 0..<size where alone[line * size + index] && !covered[line * size + index] {
                var first = line
                while first > 0 && dark(first - 1, index) { first -= 1 }
                var last = line
                while last + 1 < size && dark(last + 1, index) { last += 1 }
                for crossed in first...last { covered[crossed * size + index] = true }
                segments.append(Segment(horizontal: !rowsFirst, line: index, start: first, length: last - first + 1))
            }
        }
        return segments
    }

    /// Runs of dark modules in `row`: `(start column, length)` pairs, left to right.
    ///
    /// Drawing one rectangle per run (and all of them in one path) keeps PDFs small and leaves no
    /// hairline seams between modules when a viewer anti-aliases.
    public func darkRuns(inRow row: Int) -> [(column: Int, length: Int)] {
        var runs: [(column: Int, length: Int)] = []
        var column = 0
        let base = row * size
        while column < size {
            if modules[base + column] {
                let start = column
                while column < size && modules[base + column] { column += 1 }
                runs.append((start, column - start))
            } else {
                column += 1
            }
        }
        return runs
    }
}

/// Why a QR code could not be made. Messages never repeat the text being encoded.
public enum QRCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// There was nothing to encode.
    case empty
    /// The byte at this 1-based position cannot be encoded in this mode (or is a NUL byte).
    case invalidCharacter(position: Int, mode: QRMatrix.Mode)
    /// The text does not fit in the largest QR symbol (version 40) at the chosen error correction.
    case tooLong(bytes: Int)
    /// libqrencode could not allocate memory.
    case outOfMemory
    /// libqrencode failed for another reason (the C `errno` it set).
    case encoderFailed(errno: Int32)

    public var description: String {
        switch self {
        case .empty:
            return "QR code: nothing to encode"
        case .invalidCharacter(let position, .alphanumeric):
            return
                "QR code: character \(position) is not in the QR alphanumeric set (0-9, A-Z, space, $ % * + - . / :); use 8-bit mode"
        case .invalidCharacter(let position, .eightBit):
            return "QR code: byte \(position) is a NUL byte, which cannot be encoded"
        case .tooLong(let bytes):
            return
                "QR code: \(bytes) bytes do not fit in the largest QR symbol at this error correction; shorten the text"
        case .outOfMemory:
            return "QR code: out of memory"
        case .encoderFailed(let code):
            return "QR code: libqrencode failed (\(String(cString: strerror(code))))"
        }
    }
}
