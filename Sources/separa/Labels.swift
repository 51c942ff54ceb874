import ArgumentParser
import Foundation
import SeparaKit

extension Separa {
    struct Labels: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print codes on sticker sheets, or as PNG images for a thermal label printer.",
            discussion: """
                Each label carries the code as a QR and in large text. Sheets: \
                \(LabelSheet.allCases.map(\.rawValue).joined(separator: ", ")) (exact Avery geometry; print at \
                100% scale, not "fit to page"). Writes output/labels-BATCH-SHEET.pdf.

                With --png, writes one 1-bit PNG per code to output/labels-BATCH/CODE.png at the printer's exact \
                resolution: QR modules are whole printer dots and the file states its DPI.

                Issued codes are marked as printed. With --count, the new codes are registered first; if \
                printing then fails they stay registered, and --batch prints them.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Option(help: "Issue this many new codes and print a label for each.")
        var count: Int?

        @Option(help: "Print labels for every code of this batch (revoked codes are left out).")
        var batch: String?

        @Option(help: "The label sheet (default: avery-l7160).")
        var sheet: LabelSheet?

        @Option(
            help: "The first free label on the first sheet, counted row by row from 1 (to use up a partly used sheet).")
        var firstLabel: Int?

        @Flag(help: "Draw the label outlines (print on plain paper to check alignment).")
        var outline = false

        @Flag(help: "Write PNG images for a thermal label printer instead of a PDF.")
        var png = false

        @Option(help: "The thermal printer's resolution with --png: 203 or 300 (default 203).")
        var dpi: Int?

        func validate() throws {
            if (count == nil) == (batch == nil) {
                throw ValidationError("choose exactly one of --count N or --batch B")
            }
            if let count, !(1...CodeRegistry.maximumBatch).contains(count) {
                throw ValidationError("--count must be between 1 and \(CodeRegistry.maximumBatch.formatted())")
            }
            if png {
                if sheet != nil || firstLabel != nil || outline {
                    throw ValidationError(
                        "--sheet, --first-label and --outline are for sheets; --png writes one image per code")
                }
                if let dpi, !ThermalLabels.supportedDotsPerInch.contains(dpi) {
                    throw ValidationError("--dpi must be 203 or 300 (the printer's resolution)")
                }
            } else {
                if dpi != nil { throw ValidationError("--dpi goes with --png") }
                let perSheet = (sheet ?? .averyL7160).geometry.perSheet
                if let firstLabel, !(1...perSheet).contains(firstLabel) {
                    throw ValidationError("--first-label must be between 1 and \(perSheet) on this sheet")
                }
            }
        }

        func run() throws {
            let workspace = try options.locate()
            let store = try workspace.openStore()
            let selection: CodeSelection = count.map { .new(count: $0) } ?? .batch(BatchID(rawValue: batch!))
            let bar = ProgressBar("labels")
            if png {
                let outcome = try ThermalLabels.run(
                    workspace: workspace, store: store, selection: selection, dotsPerInch: dpi ?? 203,
                    progress: bar.update)
                PrintReport.show(
                    outcome,
                    headline: "Wrote \(PrintReport.count(outcome.codeCount, "label image")) at \(dpi ?? 203) dpi")
            } else {
                let outcome = try LabelSheets.run(
                    workspace: workspace, store: store, selection: selection, sheet: sheet ?? .averyL7160,
                    firstPosition: firstLabel ?? 1, outlines: outline, progress: bar.update)
                PrintReport.show(
                    outcome,
                    headline:
                        "Printed \(PrintReport.count(outcome.codeCount, "label")) on \(PrintReport.count(outcome.pageCount, "sheet"))"
                )
            }
        }
    }
}

extension LabelSheet: ExpressibleByArgument {}
