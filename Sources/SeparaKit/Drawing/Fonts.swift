import CPangoCairo
import Foundation

// The font families Separa needs, looked up in pango's font map; see PDFCanvas.swift.

/// The fonts Separa draws with, and whether fontconfig has them.
public enum Fonts {
    /// The font families every PDF relies on (Debian's fonts-noto-core and fonts-noto-mono; scripts/check-packages.sh checks that scripts/deps.sh installs them): without them fontconfig
    /// would silently print another font, or boxes for Ethiopic.
    public static let requiredFontFamilies = ["Noto Sans", "Noto Sans Mono", "Noto Sans Arabic", "Noto Sans Ethiopic"]

    /// The families of ``requiredFontFamilies`` fontconfig does not know. Looked up once per process.
    ///
    /// The corresponding C function is `pango_font_map_list_families`.
    public static func missingFontFamilies() -> [String] { missingFamilies }

    private static let missingFamilies: [String] = {
        let map = pango_cairo_font_map_new()!
        defer { g_object_unref(map) }
        var families: UnsafeMutablePointer<UnsafeMutablePointer<PangoFontFamily>?>?
        var count: Int32 = 0
        pango_font_map_list_families(map, &families, &count)
        defer { g_free(families) }
        var installed = Set<String>()
        for index in 0..<Int(count) {
            if let family = families?[index], let name = pango_font_family_get_name(family) {
                installed.insert(String(cString: name).lowercased())
            }
        }
        return requiredFontFamilies.filter { !installed.contains($0.lowercased()) }
    }()
}
