import Foundation

/// How a piece of text looks and where its lines sit in their box.
public struct TextStyle: Hashable, Sendable {
    /// Font families. Each falls back through Noto Sans Arabic and Noto Sans Ethiopic, so Latin, Arabic,
    /// Farsi, Tigrinya and Amharic text is shaped correctly whatever the first family is.
    public enum Family: Hashable, Sendable {
        /// Noto Sans.
        case sans
        /// Noto Sans Mono: one width for every character, for codes.
        case monospace
        /// A fontconfig family list, e.g. `"Noto Serif,Noto Naskh Arabic"`.
        case named(String)

        var fontconfigList: String {
            let fallbacks = "Noto Sans Arabic,Noto Sans Ethiopic,Noto Sans,Noto Sans Symbols2"
            switch self {
            case .sans: return "Noto Sans,\(fallbacks)"
            case .monospace: return "Noto Sans Mono,\(fallbacks)"
            case .named(let list): return "\(list),\(fallbacks)"
            }
        }
    }

    public enum Weight: Hashable, Sendable {
        case regular, bold
    }

    /// Horizontal alignment relative to the writing direction of each paragraph: `start` is the left for
    /// Latin text and the right for Arabic.
    public enum Alignment: Hashable, Sendable {
        case start, center, end
    }

    /// Writing direction. `auto` takes each paragraph's direction from its first strong character
    /// (Unicode bidi rules), which is what mixed-language forms want.
    public enum Direction: Hashable, Sendable {
        case auto, leftToRight, rightToLeft
    }

    public var family: Family
    /// Font size in points.
    public var size: Double
    public var weight: Weight
    public var italic: Bool
    public var alignment: Alignment
    public var direction: Direction
    /// BCP 47 language of the text (`ar`, `fa`, `ti`…), which picks language-specific glyph forms; nil: from the script.
    public var language: String?
    /// Line height as a multiple of the font's own line height; 0 keeps the font's.
    public var lineSpacing: Double
    /// Grey level of the ink: 0 is black, 1 white.
    public var gray: Double

    public init(
        size: Double = 10, weight: Weight = .regular, family: Family = .sans, italic: Bool = false,
        alignment: Alignment = .start, direction: Direction = .auto, language: String? = nil,
        lineSpacing: Double = 0, gray: Double = 0
    ) {
        self.family = family
        self.size = size
        self.weight = weight
        self.italic = italic
        self.alignment = alignment
        self.direction = direction
        self.language = language
        self.lineSpacing = lineSpacing
        self.gray = gray
    }

    /// The same style at another size.
    public func sized(_ size: Double) -> TextStyle {
        var copy = self
        copy.size = size
        return copy
    }

    /// The same style with another alignment.
    public func aligned(_ alignment: Alignment) -> TextStyle {
        var copy = self
        copy.alignment = alignment
        return copy
    }
}

/// The measured box of a laid-out text, in points.
public struct TextMetrics: Hashable, Sendable {
    /// Width of the widest line.
    public var width: Double
    /// Height of all lines.
    public var height: Double
    /// Distance from the top of the box to the baseline of the first line.
    public var baseline: Double
    /// Number of lines after wrapping.
    public var lineCount: Int
}
