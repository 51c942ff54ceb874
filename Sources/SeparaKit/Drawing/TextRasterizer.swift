import CPangoCairo
import Foundation

// Text drawn into 1-bit images (thermal labels) with cairo and pango; see PDFCanvas.swift.

/// Renders text into a 1-bit raster at a printer's resolution, for thermal label images.
///
/// Shares ``TextStyle`` with ``PDFCanvas``; glyphs are drawn without anti-aliasing, so every dot is
/// either printed or not. Owns a pango font map created once; not thread-safe.
public final class TextRasterizer {
    /// The printer resolution the text is rendered for.
    public let dotsPerInch: Int
    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    private let context: OpaquePointer
    private var descriptions: [TextStyle: OpaquePointer] = [:]

    public init(dotsPerInch: Int) {
        precondition(dotsPerInch > 0)
        self.dotsPerInch = dotsPerInch
        fontMap = pango_cairo_font_map_new()
        context = pango_font_map_create_context(fontMap)!
        pango_cairo_context_set_resolution(context, Double(dotsPerInch))
        let options = cairo_font_options_create()
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_NONE)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_FULL)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_context_set_base_dir(context, PANGO_DIRECTION_WEAK_LTR)
    }

    deinit {
        for description in descriptions.values { pango_font_description_free(description) }
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(fontMap)
    }

    /// The size in dots of `text` in `style` (sizes in points), without wrapping.
    public func measure(_ text: String, style: TextStyle) -> (width: Int, height: Int) {
        let layout = makeLayout(text, style: style, width: nil)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var logical = PangoRectangle()
        pango_layout_get_pixel_extents(layout, nil, &logical)
        return (Int(logical.width), Int(logical.height))
    }

    /// `text` in `style`, aligned within `width` dots, as a raster as tall as the text.
    ///
    /// The corresponding C functions are `cairo_image_surface_create` and `pango_cairo_show_layout`.
    public func render(_ text: String, style: TextStyle, width: Int) -> BitMatrix {
        let layout = makeLayout(text, style: style, width: width)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var logical = PangoRectangle()
        pango_layout_get_pixel_extents(layout, nil, &logical)
        let height = max(1, Int(logical.height))
        let surface = cairo_image_surface_create(CAIRO_FORMAT_A8, Int32(width), Int32(height))!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        cairo_set_source_rgba(cr, 0, 0, 0, 1)
        cairo_move_to(cr, 0, 0)
        pango_cairo_show_layout(cr, layout)
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        var raster = BitMatrix(width: width, height: height)
        let stride = Int(cairo_image_surface_get_stride(surface))
        if let data = cairo_image_surface_get_data(surface) {
            for y in 0..<height {
                for x in 0..<width where data[y * stride + x] >= 128 { raster[x, y] = true }
            }
        }
        return raster
    }

    private func makeLayout(_ text: String, style: TextStyle, width: Int?) -> OpaquePointer {
        let layout = pango_layout_new(context)!
        let description: OpaquePointer
        if let cached = descriptions[style] {
            description = cached
        } else {
            description = pango_font_description_new()!
            pango_font_description_set_family(description, style.family.fontconfigList)
            pango_font_description_set_size(description, Int32(style.size * Double(PANGO_SCALE)))
            pango_font_description_set_weight(
                description, style.weight == .bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
            descriptions[style] = description
        }
        pango_layout_set_font_description(layout, description)
        if let width { pango_layout_set_width(layout, Int32(width) * PANGO_SCALE) }
        switch style.alignment {
        case .start: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .end: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        pango_layout_set_text(layout, text, -1)
        return layout
    }
}

@available(*, unavailable, message: "a TextRasterizer owns pango state: use it from one thread")
extension TextRasterizer: Sendable {}
