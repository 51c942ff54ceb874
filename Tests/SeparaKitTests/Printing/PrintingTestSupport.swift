import Foundation
import GRDB
import Testing

@testable import SeparaKit

/// A fresh workspace in a temporary folder, with the data controller set so cards may be printed.
struct PrintingWorkspace {
    let workspace: Workspace
    let store: Store
    let folder: URL

    init(
        controller: WorkspaceConfig.Controller? = WorkspaceConfig.Controller(
            name: "Croce Rossa Italiana", contact: "privacy@cri.example, +39 06 5510 0000")
    ) {
        folder = TestPaths.temporaryDirectory("separa-print")
        var config = WorkspaceConfig.defaults(siteName: "Test HSP")
        if let controller { config.controller = controller }
        workspace = try! Workspace.create(at: folder.appendingPathComponent("ws"), config: config)
        store = try! workspace.openStore()
    }

    var registry: CodeRegistry { CodeRegistry(workspace: workspace, store: store) }

    /// Registers a batch of `count` codes (kind `codes`) and returns its id and codes.
    func issue(_ count: Int) throws -> (BatchID, [CaseCode]) {
        var codes: [CaseCode] = []
        var random = SystemRandom()
        let issued = try registry.issue(
            count: count, prefix: workspace.config.site.prefix, sink: { code, _, _ in codes.append(code) },
            generator: &random)
        return (issued.batch.id, codes)
    }

    func status(of code: CaseCode) throws -> CodeStatus? {
        try store.database.read { db in try RegisteredCode.fetchOne(db, key: code.canonical)?.status }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// What a reader gets back from each slot (card or label) of a PDF, slot after slot and page after page:
/// the QR codes zbarimg reads in the slot cut from the page rendered at 150 dpi, and the slot's text.
///
/// Each slot is read on its own: zbarimg reliably reads one symbol per image, but misses some when a
/// whole page holds a grid of them (checked: every one of those reads when cut out), and pdftotext
/// interleaves the lines of side-by-side cards.
func readEverySlot(_ pdf: URL, slots: [PageRect], count: Int) throws -> [(qr: [String], text: String)] {
    let folder = TestPaths.temporaryDirectory("separa-slots")
    defer { try? FileManager.default.removeItem(at: folder) }
    let dpi = 150.0
    return try (0..<count).map { index in
        let page = index / slots.count + 1
        let rect = slots[index % slots.count]
        let image = folder.appendingPathComponent("slot-\(index)")
        try ExternalTool.pdftoppm.run([
            "-r", "150", "-png", "-singlefile", "-f", "\(page)", "-l", "\(page)",
            "-x", "\(Int(rect.x / 72 * dpi))", "-y", "\(Int(rect.y / 72 * dpi))",
            "-W", "\(Int(rect.width / 72 * dpi))", "-H", "\(Int(rect.height / 72 * dpi))", pdf.path, image.path,
        ])
        let qr = try ExternalTool.decodeQR(image.appendingPathExtension("png"))
        return (qr, try ExternalTool.text(of: pdf, page: page, in: rect))
    }
}

/// Whether the PDF and raster tools the end-to-end printing tests read back with are all installed.
let printingToolsInstalled =
    ExternalTool.zbarimg.isInstalled && ExternalTool.pdftoppm.isInstalled && ExternalTool.pdftotext.isInstalled
    && ExternalTool.qpdf.isInstalled && ExternalTool.pdfinfo.isInstalled
let printingToolsMissing: Comment =
    "SKIPPED: needs zbarimg (zbar-tools), pdftoppm, pdftotext, pdfinfo (poppler-utils) and qpdf"
