import CPangoCairo
import Foundation

// PDF pages over cairo and pango. Every cairo_* and pango_* call of Separa lives in Drawing/ (here, in
// TextRasterizer.swift for 1-bit label images and in Fonts.swift); no C pointer leaves the room. Coordinates are PDF points (1/72 inch) with the origin at the top left of the page.

/// Why a PDF could not be written.
public enum PDFCanvasError: Error, Equatable, Sendable, CustomStringConvertible {
    /// cairo reported an error; `reason` is cairo's message. Nothing was written at the destination.
    case renderingFailed(path: String, reason: String)
    /// Writing the PDF failed (disk full, permissions); nothing was written at the destination.
    case cannotWrite(path: String, reason: String)
    /// Font families Separa prints with are not installed.
    case missingFonts([String])

    public var description: String {
        switch self {
        case .renderingFailed(let path, let reason):
            return "\(path): cannot render the PDF (cairo: \(reason)); nothing was written"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write the PDF (\(reason)); nothing was written"
        case .missingFonts(let families):
            return
                "fonts not installed: \(families.joined(separator: ", ")); install them (Debian/Ubuntu: apt-get install fonts-noto-core) so that every script prints correctly"
        }
    }
}

/// A PDF document being drawn: pages, text shaped by pango, lines, boxes, QR codes, cut marks.
///
/// Owns a cairo PDF surface and context and a pango font map and context, created once and freed in
/// `deinit`. The PDF streams into a hidden temporary file beside `destination` and replaces it only on
/// ``finish()``: a failure or a crash leaves the destination as it was.
///
/// Made for long runs (thousands of pages): laid-out texts are cached and reused across pages (pass
/// `reuse: false` for text that differs on every page, such as a code), and content repeated on every
/// page can be drawn once as a ``Stamp`` and placed on each page by reference. Fonts are subset and
/// embedded once per document by cairo.
///
/// Not thread-safe: use one canvas from one thread at a time.
public final class PDFCanvas {
    /// Content drawn once and placed on many pages, such as the fixed parts of a form or card sheet.
    ///
    /// Stored in the PDF once, as a form XObject, however many pages show it.
    public final class Stamp {
        let surface: OpaquePointer
        /// The size the stamp was drawn at.
        public let size: PageSize

        init(surface: OpaquePointer, size: PageSize) {
            self.surface = surface
            self.size = size
        }

        deinit { cairo_surface_destroy(surface) }
    }

    /// Where the finished PDF goes.
    public private(set) var destination: URL
    /// Pages finished so far.
    public private(set) var pageCount = 0
    /// The size of the current (or next) page.
    public private(set) var pageSize: PageSize

    private let sink: StreamSink
    private let surface: OpaquePointer
    private let pageContext: OpaquePointer
    /// Where drawing goes now: the page, or a stamp being recorded.
    private var context: OpaquePointer
    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    private var pangoContexts: [TextStyle.Direction: OpaquePointer] = [:]
    private var layoutCache: [LayoutKey: OpaquePointer] = [:]
    private var scratchLayouts: [ScratchKey: OpaquePointer] = [:]
    private var fontDescriptions: [FontKey: OpaquePointer] = [:]
    private var pageOpen = false
    private var finished = false
    /// Stamps placed on the current page (or in the stamp being recorded).
    private var stampsPlaced: Set<ObjectIdentifier> = []

    /// Laid-out texts kept for reuse; past this many the cache starts over.
    static let layoutCacheLimit = 2_048

    /// Starts a PDF that will replace `destination` on ``finish()``.
    ///
    /// - Parameters:
    ///   - title: the PDF's document title (metadata). It must never name or describe a person: use the
    ///     form, batch or sheet name.
    ///   - mode: permissions of the file.
    public init(destination: URL, pageSize: PageSize, title: String, mode: mode_t = 0o600) throws {
        let missing = Fonts.missingFontFamilies()
        if !missing.isEmpty { throw PDFCanvasError.missingFonts(missing) }
        Memory.keepFreedMemory()
        let writer = try AtomicFileWriter(destination, mode: mode)
        self.destination = destination
        self.pageSize = pageSize
        self.sink = StreamSink(writer: writer)
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        guard
            let surface = cairo_pdf_surface_create_for_stream(
                { closure, data, length in
                    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
                    let sink = Unmanaged<StreamSink>.fromOpaque(closure).takeUnretainedValue()
                    return sink.write(UnsafeBufferPointer(start: data, count: Int(length)))
                }, closure, pageSize.width, pageSize.height)
        else {
            writer.abandon()
            throw PDFCanvasError.renderingFailed(path: destination.path, reason: "no PDF surface")
        }
        self.surface = surface
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            writer.abandon()
            throw PDFCanvasError.renderingFailed(path: destination.path, reason: Self.message(status))
        }
        self.pageContext = context
        self.context = context
        self.fontMap = pango_cairo_font_map_new()
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Separa \(SeparaVersion.current)")
    }

    deinit {
        for layout in layoutCache.values { g_object_unref(UnsafeMutableRawPointer(layout)) }
        for layout in scratchLayouts.values { g_object_unref(UnsafeMutableRawPointer(layout)) }
        for description in fontDescriptions.values { pango_font_description_free(description) }
        for context in pangoContexts.values { g_object_unref(UnsafeMutableRawPointer(context)) }
        g_object_unref(fontMap)
        if !finished { sink.discard() }
        cairo_destroy(pageContext)
        cairo_surface_destroy(surface)
        if !finished { sink.writer.abandon() }
    }

    // MARK: Pages and the document

    /// Starts a new page, of `size` or the size of the previous page.
    public func beginPage(size: PageSize? = nil) {
        precondition(!pageOpen && !finished, "beginPage: end the previous page first")
        if let size, size != pageSize {
            pageSize = size
            cairo_pdf_surface_set_size(surface, size.width, size.height)
        }
        pageOpen = true
        stampsPlaced.removeAll(keepingCapacity: true)
    }

    /// Ends the current page.
    public func endPage() {
        precondition(pageOpen, "endPage: no page is open")
        cairo_show_page(pageContext)
        pageOpen = false
        pageCount += 1
    }

    /// Finishes the PDF and moves it to ``destination`` (or to `finalName` in the same folder).
    ///
    /// - Throws: ``PDFCanvasError`` when cairo or the disk failed; the destination is then untouched.
    public func finish(as finalName: String? = nil) throws {
        if !finished { try close() }
        try commit(as: finalName)
    }

    /// Finishes the PDF into its hidden temporary file and syncs it to disk, without moving it to the
    /// destination yet: for callers that commit something else (the code registry) only once the whole
    /// PDF is written, and then call ``commit(as:)``.
    ///
    /// - Throws: ``PDFCanvasError`` when cairo or the disk failed; the temporary file is then removed.
    public func close() throws {
        precondition(!finished, "close: the PDF is already finished")
        if pageOpen { endPage() }
        finished = true
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        if let failure = sink.failure {
            sink.writer.abandon()
            throw PDFCanvasError.cannotWrite(path: destination.path, reason: failure)
        }
        if status != CAIRO_STATUS_SUCCESS {
            sink.writer.abandon()
            throw PDFCanvasError.renderingFailed(path: destination.path, reason: Self.message(status))
        }
        do {
            try sink.writer.sync()
        } catch {
            sink.writer.abandon()
            throw PDFCanvasError.cannotWrite(path: destination.path, reason: "\(error)")
        }
    }

    /// Moves a PDF finished by ``close()`` to ``destination`` (or to `finalName` in the same folder).
    public func commit(as finalName: String? = nil) throws {
        precondition(finished, "commit: close the PDF first")
        do {
            try sink.writer.commit(as: finalName)
        } catch {
            throw PDFCanvasError.cannotWrite(path: destination.path, reason: "\(error)")
        }
        destination = sink.writer.destination
    }

    /// The hidden temporary file the PDF is written to until ``commit(as:)``, beside the destination.
    public var temporaryName: String { sink.writer.temporaryName }

    /// Drops a PDF finished by ``close()`` without moving it to the destination.
    public func abandon() {
        if !finished {
            finished = true
            sink.discard()
        }
        sink.writer.abandon()
    }

    // MARK: Stamps

    /// Records `draw` once as a ``Stamp`` of `size`, to be placed on many pages with ``drawStamp(_:at:)``.
    ///
    /// Inside `draw`, every drawing call of this canvas goes into the stamp, with the stamp's top left as
    /// the origin.
    public func makeStamp(size: PageSize, _ draw: (PDFCanvas) throws -> Void) rethrows -> Stamp {
        var extents = cairo_rectangle_t(x: 0, y: 0, width: size.width, height: size.height)
        let recording = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents)!
        let recorder = cairo_create(recording)!
        let previous = context
        let previousStamps = stampsPlaced
        context = recorder
        stampsPlaced = []
        defer {
            context = previous
            stampsPlaced = previousStamps
            cairo_destroy(recorder)
        }
        try draw(self)
        cairo_surface_flush(recording)
        return Stamp(surface: recording, size: size)
    }

    /// Places `stamp` with its top left at `origin`.
    ///
    /// - Precondition: `stamp` is not on this page yet. cairo 1.16 lists a stamp placed twice on one page
    ///   twice in the page's resources, which `qpdf --check` reports; draw repeated content into one
    ///   page-sized stamp instead.
    public func drawStamp(_ stamp: Stamp, at origin: PagePoint) {
        precondition(
            stampsPlaced.insert(ObjectIdentifier(stamp)).inserted,
            "drawStamp: a stamp may be placed once per page; draw repeated content into one larger stamp")
        cairo_save(context)
        cairo_set_source_surface(context, stamp.surface, origin.x, origin.y)
        cairo_rectangle(context, origin.x, origin.y, stamp.size.width, stamp.size.height)
        cairo_fill(context)
        cairo_restore(context)
    }

    // MARK: Text

    /// Measures `text` laid out in `style`, wrapped at `width` points (nil: no wrapping).
    ///
    /// Cheap when the same text is drawn afterwards: the layout is cached (unless `reuse` is false).
    public func measure(_ text: String, width: Double? = nil, style: TextStyle, reuse: Bool = true) -> TextMetrics {
        metrics(of: layout(text, width: width, style: style, reuse: reuse))
    }

    /// Draws `text` with the top left of its box at `origin`, wrapped at `width` points (nil: no wrapping),
    /// and returns its metrics.
    ///
    /// Alignment works within `width`; for right-to-left paragraphs `start` is the right edge. Line breaks in
    /// `text` start new paragraphs, each with its own direction. Pass `reuse: false` for text that changes on
    /// every page (codes, numbers), so that it does not push reusable layouts out of the cache.
    @discardableResult
    public func drawText(
        _ text: String, at origin: PagePoint, width: Double? = nil, style: TextStyle, reuse: Bool = true
    ) -> TextMetrics {
        let layout = layout(text, width: width, style: style, reuse: reuse)
        cairo_save(context)
        cairo_set_source_rgb(context, style.gray, style.gray, style.gray)
        cairo_move_to(context, origin.x, origin.y)
        pango_cairo_show_layout(context, layout)
        cairo_restore(context)
        return metrics(of: layout)
    }

    /// The largest size, at most `style.size` and at least `minimumSize`, at which `text` wrapped at
    /// `box.width` fits in `box.height`; nil when it does not fit even at `minimumSize`.
    public func sizeToFit(
        _ text: String, in box: PageSize, style: TextStyle, minimumSize: Double, step: Double = 0.25
    ) -> Double? {
        var size = style.size
        while size >= minimumSize - 1e-9 {
            let metrics = measure(text, width: box.width, style: style.sized(size), reuse: false)
            if metrics.height <= box.height && metrics.width <= box.width + 0.01 { return size }
            size -= step
        }
        return nil
    }

    private struct LayoutKey: Hashable {
        var text: String
        var width: Double?
        var style: TextStyle
    }

    private struct ScratchKey: Hashable {
        var width: Double?
        var style: TextStyle
    }

    private struct FontKey: Hashable {
        var family: TextStyle.Family
        var size: Double
        var weight: TextStyle.Weight
        var italic: Bool
    }

    private func layout(_ text: String, width: Double?, style: TextStyle, reuse: Bool) -> OpaquePointer {
        if reuse {
            let key = LayoutKey(text: text, width: width, style: style)
            if let cached = layoutCache[key] { return cached }
            if layoutCache.count >= Self.layoutCacheLimit {
                for layout in layoutCache.values { g_object_unref(UnsafeMutableRawPointer(layout)) }
                layoutCache.removeAll(keepingCapacity: true)
            }
            let layout = makeLayout(width: width, style: style)
            pango_layout_set_text(layout, text, -1)
            layoutCache[key] = layout
            return layout
        }
        let key = ScratchKey(width: width, style: style)
        let layout: OpaquePointer
        if let scratch = scratchLayouts[key] {
            layout = scratch
        } else {
            layout = makeLayout(width: width, style: style)
            scratchLayouts[key] = layout
        }
        pango_layout_set_text(layout, text, -1)
        return layout
    }

    private func makeLayout(width: Double?, style: TextStyle) -> OpaquePointer {
        let layout = pango_layout_new(pangoContext(style.direction))!
        pango_layout_set_font_description(layout, fontDescription(style))
        if let width {
            pango_layout_set_width(layout, Int32((width * Double(PANGO_SCALE)).rounded(.down)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        let rightToLeft = style.direction == .rightToLeft
        switch style.alignment {
        case .start: pango_layout_set_alignment(layout, rightToLeft ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .end: pango_layout_set_alignment(layout, rightToLeft ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT)
        }
        // With automatic direction pango swaps left and right for paragraphs that run against the
        // context's base direction, so `start` lands on the right of an Arabic paragraph.
        pango_layout_set_auto_dir(layout, style.direction == .auto ? 1 : 0)
        if style.lineSpacing > 0 { pango_layout_set_line_spacing(layout, Float(style.lineSpacing)) }
        if let language = style.language {
            let attributes = pango_attr_list_new()
            pango_attr_list_insert(attributes, pango_attr_language_new(pango_language_from_string(language)))
            pango_layout_set_attributes(layout, attributes)
            pango_attr_list_unref(attributes)
        }
        return layout
    }

    private func pangoContext(_ direction: TextStyle.Direction) -> OpaquePointer {
        if let context = pangoContexts[direction] { return context }
        let context = pango_font_map_create_context(fontMap)!
        // One PDF point per device unit, unhinted metrics, unrounded positions: the page looks the same at
        // every zoom and on every printer.
        pango_cairo_context_set_resolution(context, 72)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_context_set_round_glyph_positions(context, 0)
        switch direction {
        case .auto: pango_context_set_base_dir(context, PANGO_DIRECTION_WEAK_LTR)
        case .leftToRight: pango_context_set_base_dir(context, PANGO_DIRECTION_LTR)
        case .rightToLeft: pango_context_set_base_dir(context, PANGO_DIRECTION_RTL)
        }
        pangoContexts[direction] = context
        return context
    }

    private func fontDescription(_ style: TextStyle) -> OpaquePointer {
        let key = FontKey(family: style.family, size: style.size, weight: style.weight, italic: style.italic)
        if let description = fontDescriptions[key] { return description }
        let description = pango_font_description_new()!
        pango_font_description_set_family(description, style.family.fontconfigList)
        pango_font_description_set_absolute_size(description, style.size * Double(PANGO_SCALE))
        pango_font_description_set_weight(description, style.weight == .bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_style(description, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        fontDescriptions[key] = description
        return description
    }

    private func metrics(of layout: OpaquePointer) -> TextMetrics {
        var ink = PangoRectangle()
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, &ink, &logical)
        let scale = Double(PANGO_SCALE)
        return TextMetrics(
            width: Double(logical.width) / scale, height: Double(logical.height) / scale,
            baseline: Double(pango_layout_get_baseline(layout)) / scale,
            lineCount: Int(pango_layout_get_line_count(layout)))
    }

    // MARK: Lines and boxes

    /// Strokes a straight line `width` points wide; `dash` gives on/off lengths in points (nil: solid).
    public func line(
        from start: PagePoint, to end: PagePoint, width: Double = 0.5, dash: [Double]? = nil, gray: Double = 0
    ) {
        cairo_move_to(context, start.x, start.y)
        cairo_line_to(context, end.x, end.y)
        stroke(width: width, dash: dash, gray: gray)
    }

    /// Strokes the outline of `rect`; the line is centred on the rectangle's edges.
    public func strokeRectangle(_ rect: PageRect, width: Double = 0.5, dash: [Double]? = nil, gray: Double = 0) {
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        stroke(width: width, dash: dash, gray: gray)
    }

    /// Fills `rect` with grey level `gray` (0 black, 1 white).
    public func fillRectangle(_ rect: PageRect, gray: Double = 0) {
        cairo_set_source_rgb(context, gray, gray, gray)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(context)
    }

    /// Fills `rect` with parallel lines `spacing` points apart, at `angle` radians from the horizontal,
    /// clipped to the rectangle: a fill that stays distinct from solid grey when printed or photocopied in
    /// black and white (bar charts).
    public func hatchRectangle(
        _ rect: PageRect, spacing: Double = 3, angle: Double = .pi / 4, lineWidth: Double = 0.6, gray: Double = 0
    ) {
        guard rect.width > 0, rect.height > 0, spacing > 0 else { return }
        cairo_save(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
        // Lines through the rectangle's centre, shifted along their normal until they clear its corners.
        let direction = (x: cos(angle), y: sin(angle))
        let normal = (x: -direction.y, y: direction.x)
        let reach = (rect.width * rect.width + rect.height * rect.height).squareRoot() / 2 + spacing
        var offset = -reach
        while offset <= reach {
            let cx = rect.midX + normal.x * offset
            let cy = rect.midY + normal.y * offset
            cairo_move_to(context, cx - direction.x * reach, cy - direction.y * reach)
            cairo_line_to(context, cx + direction.x * reach, cy + direction.y * reach)
            offset += spacing
        }
        stroke(width: lineWidth, dash: nil, gray: gray)
        cairo_restore(context)
    }

    /// A square tick box with its top left at `origin`.
    public func tickBox(at origin: PagePoint, side: Double = Length.mm(4), lineWidth: Double = 0.75) {
        strokeRectangle(PageRect(x: origin.x, y: origin.y, width: side, height: side), width: lineWidth)
    }

    /// A row of `count` adjacent boxes for one digit or letter each (a comb), top left at `origin`.
    ///
    /// Drawn as one outline plus the inner dividers, so shared edges are not doubled.
    public func digitBoxes(
        at origin: PagePoint, count: Int, boxWidth: Double = Length.mm(5), boxHeight: Double = Length.mm(6.5),
        lineWidth: Double = 0.75
    ) {
        precondition(count >= 1)
        cairo_rectangle(context, origin.x, origin.y, boxWidth * Double(count), boxHeight)
        for index in 1..<max(count, 1) where count > 1 {
            let x = origin.x + boxWidth * Double(index)
            cairo_move_to(context, x, origin.y)
            cairo_line_to(context, x, origin.y + boxHeight)
        }
        stroke(width: lineWidth, dash: nil, gray: 0)
    }

    private func stroke(width: Double, dash: [Double]?, gray: Double) {
        cairo_set_source_rgb(context, gray, gray, gray)
        cairo_set_line_width(context, width)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_MITER)
        if let dash, !dash.isEmpty {
            cairo_set_dash(context, dash, Int32(dash.count), 0)
        } else {
            cairo_set_dash(context, nil, 0, 0)
        }
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    // MARK: QR codes

    /// Draws `matrix` with the top left of its quiet zone at `origin`, `moduleSize` points per module, and
    /// returns the side of the whole square (quiet zone included).
    ///
    /// The whole symbol is one path stroked once: each straight segment of dark modules
    /// (``QRMatrix/strokeSegments``) is a line one module wide with square-cut ends, so it covers exactly
    /// its modules. Small PDFs, no seams between modules in any viewer, and less than half the work for cairo
    /// of filling the same modules as rectangles (the QR dominates the time of a form page: bench/README.md). `origin` is rounded to whole points (at most 0.18 mm away): with a module size from
    /// ``qrModuleSize(fitting:modules:)`` every coordinate is then a multiple of ⅛ pt, which keeps the PDF
    /// small and quick to write. The quiet zone is left unpainted (the paper's white); keep other ink out of it.
    ///
    /// Drawing the same symbol on several pages, pass `segments` (``QRMatrix/strokeSegments``, computed once).
    ///
    /// - Precondition: `moduleSize` is at least ``QRMatrix/minimumModuleMillimetres``.
    @discardableResult
    public func qrCode(
        _ matrix: QRMatrix, at origin: PagePoint, moduleSize: Double, segments: [QRMatrix.Segment]? = nil
    ) -> Double {
        precondition(
            moduleSize >= Length.mm(QRMatrix.minimumModuleMillimetres) - 1e-9,
            "QR modules must be at least \(QRMatrix.minimumModuleMillimetres) mm")
        let left = origin.x.rounded() + Double(QRMatrix.quietZone) * moduleSize
        let top = origin.y.rounded() + Double(QRMatrix.quietZone) * moduleSize
        for segment in segments ?? matrix.strokeSegments {
            let across = (Double(segment.line) + 0.5) * moduleSize
            let from = Double(segment.start) * moduleSize
            let to = Double(segment.start + segment.length) * moduleSize
            if segment.horizontal {
                cairo_move_to(context, left + from, top + across)
                cairo_line_to(context, left + to, top + across)
            } else {
                cairo_move_to(context, left + across, top + from)
                cairo_line_to(context, left + across, top + to)
            }
        }
        cairo_set_source_rgb(context, 0, 0, 0)
        cairo_set_line_width(context, moduleSize)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        cairo_set_dash(context, nil, 0, 0)
        cairo_stroke(context)
        return Double(matrix.sizeWithQuietZone) * moduleSize
    }

    /// The largest QR module, a multiple of ¼ pt, with which `modules` modules (quiet zone included) fit in
    /// `side` points; never below ``QRMatrix/minimumModuleMillimetres`` (the symbol then overflows `side`).
    public static func qrModuleSize(fitting side: Double, modules: Int) -> Double {
        let minimum = (Length.mm(QRMatrix.minimumModuleMillimetres) * 4).rounded(.up) / 4
        // The tolerance keeps a side that is exactly a whole number of quarter points from rounding down.
        return max(minimum, (side / Double(modules) * 4 + 1e-6).rounded(.down) / 4)
    }

    // MARK: Cut marks

    /// Draws a pair of scissors `size` points long centred at `center`, blades pointing along `angle`
    /// (radians; 0 points right, π/2 down).
    ///
    /// Drawn as a path rather than the ✂ character, so it does not depend on a symbol font.
    public func scissors(at center: PagePoint, size: Double = Length.mm(4), angle: Double = 0, gray: Double = 0) {
        cairo_save(context)
        cairo_translate(context, center.x, center.y)
        cairo_rotate(context, angle)
        cairo_scale(context, size, size)
        cairo_set_source_rgb(context, gray, gray, gray)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        cairo_set_dash(context, nil, 0, 0)
        // Two finger rings on the left.
        cairo_new_sub_path(context)
        cairo_arc(context, -0.32, -0.2, 0.14, 0, 2 * .pi)
        cairo_new_sub_path(context)
        cairo_arc(context, -0.32, 0.2, 0.14, 0, 2 * .pi)
        cairo_set_line_width(context, 0.07)
        cairo_stroke(context)
        // Two blades crossing at the pivot and ending in points on the right.
        for side in [-1.0, 1.0] {
            cairo_move_to(context, -0.2, side * 0.13)
            cairo_line_to(context, 0.5, -side * 0.07)
            cairo_line_to(context, 0.46, -side * 0.015)
            cairo_line_to(context, -0.17, side * 0.19)
            cairo_close_path(context)
        }
        cairo_fill(context)
        cairo_arc(context, 0.02, 0, 0.035, 0, 2 * .pi)
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_fill(context)
        cairo_restore(context)
    }

    /// A dashed cut line from `start` to `end` with scissors at its start, pointing along the line.
    public func cutLine(from start: PagePoint, to end: PagePoint, gray: Double = 0.35) {
        let angle = atan2(end.y - start.y, end.x - start.x)
        let scissorsLength = Length.mm(4)
        let offset = scissorsLength * 0.6
        let lineStart = PagePoint(x: start.x + cos(angle) * offset * 1.6, y: start.y + sin(angle) * offset * 1.6)
        line(from: lineStart, to: end, width: 0.5, dash: [Length.mm(1.5), Length.mm(1)], gray: gray)
        scissors(
            at: PagePoint(x: start.x + cos(angle) * offset, y: start.y + sin(angle) * offset),
            size: scissorsLength, angle: angle, gray: gray)
    }

    // MARK: Helpers

    static func message(_ status: cairo_status_t) -> String {
        String(cString: cairo_status_to_string(status))
    }

}

@available(*, unavailable, message: "a PDFCanvas owns cairo and pango state: use it from one thread")
extension PDFCanvas: Sendable {}

/// Receives cairo's PDF stream and passes it to an ``AtomicFileWriter``.
private final class StreamSink {
    let writer: AtomicFileWriter
    private(set) var failure: String?
    private var discarding = false

    init(writer: AtomicFileWriter) { self.writer = writer }

    func write(_ bytes: UnsafeBufferPointer<UInt8>) -> cairo_status_t {
        if discarding { return CAIRO_STATUS_SUCCESS }
        if failure != nil { return CAIRO_STATUS_WRITE_ERROR }
        do {
            try writer.write(bytes)
            return CAIRO_STATUS_SUCCESS
        } catch {
            failure = "\(error)"
            return CAIRO_STATUS_WRITE_ERROR
        }
    }

    /// Drops whatever cairo still writes (an abandoned document).
    func discard() { discarding = true }
}
