import Foundation

/// A length on paper: millimetres and inches to PDF points.
public enum Length {
    /// Points in one millimetre (72 / 25.4).
    public static let pointsPerMillimetre = 72.0 / 25.4

    /// `value` millimetres in points.
    public static func mm(_ value: Double) -> Double { value * pointsPerMillimetre }
    /// `value` inches in points.
    public static func inches(_ value: Double) -> Double { value * 72 }
    /// `points` in millimetres.
    public static func millimetres(fromPoints points: Double) -> Double { points / pointsPerMillimetre }
}

/// A point on a page, in points from the top left.
public struct PagePoint: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A rectangle on a page, in points from the top left.
public struct PageRect: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
    public var origin: PagePoint { PagePoint(x: x, y: y) }

    /// The rectangle shrunk by `dx` on the left and right and `dy` at the top and bottom.
    public func insetBy(dx: Double, dy: Double) -> PageRect {
        PageRect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
    }
}

/// A page size in points, portrait.
public struct PageSize: Hashable, Sendable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// ISO A4, 210 × 297 mm.
    public static let a4 = PageSize(width: Length.mm(210), height: Length.mm(297))
    /// US Letter, 8.5 × 11 in.
    public static let letter = PageSize(width: Length.inches(8.5), height: Length.inches(11))

    /// The whole page as a rectangle.
    public var bounds: PageRect { PageRect(x: 0, y: 0, width: width, height: height) }
}
