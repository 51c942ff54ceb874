import ArgumentParser
import Foundation
import SeparaKit

extension PeriodLength: ExpressibleByArgument {}

extension Separa {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Persons reached by sex, age, disability and nationality, with small counts protected.",
            discussion: """
                Counts persons (distinct case codes) reached in each period, as described by their latest
                record of the template (intake) as of the period; visits and services given from every
                record. Writes output/report-PERIOD.csv (one row per period, an HXL hashtag row under the
                header) and output/report-PERIOD.pdf (tables and bar charts for printing in black and white).

                Disclosure control (separa.json "reports": threshold, ageBands, minimumPersons): counts
                from 1 to threshold-1 are shown as <threshold (<5 by default), never as a number or 0; more
                cells are hidden (x) so that none of them can be worked out from the totals, in any table of
                the report. Only one- and two-way tables; nationalities with fewer persons than the threshold
                are counted in "other"; a period with fewer than minimumPersons persons reports its total
                only; unaccompanied or separated children appear as a total only. The audit log records what
                was published (table shapes, threshold), never a count.
                """)

        @OptionGroup var options: WorkspaceOptions

        @Option(help: "The template whose records describe persons.")
        var template = "intake"

        @Option(help: ArgumentHelp("The length of each period.", valueName: "week|month|quarter"))
        var period: PeriodLength = .month

        @Option(
            help: ArgumentHelp("First day (default: the start of the period holding --to).", valueName: "YYYY-MM-DD"))
        var from: String?

        @Option(help: ArgumentHelp("Last day (default: today).", valueName: "YYYY-MM-DD"))
        var to: String?

        @Option(
            help: ArgumentHelp(
                "What to break persons down by: one table each, and one for each pair.",
                valueName: "sex,age_band,disability,nationality"))
        var by = ReportDimension.allCases.map(\.rawValue).joined(separator: ",")

        @Option(help: "Language of the choice labels (default: English when the template has it).")
        var language: String?

        func validate() throws {
            if let from, CalendarDay(iso: from) == nil { throw ValidationError("--from must be a date YYYY-MM-DD") }
            if let to, CalendarDay(iso: to) == nil { throw ValidationError("--to must be a date YYYY-MM-DD") }
            if let from = from.flatMap({ CalendarDay(iso: $0) }), let to = to.flatMap({ CalendarDay(iso: $0) }),
                from > to
            {
                throw ValidationError("--from must be on or before --to")
            }
            if ReportDimension.list(by) == nil {
                throw ValidationError(
                    "--by takes one or more of sex, age_band, disability, nationality, separated by commas, each once")
            }
        }

        func run() throws {
            let workspace = try options.locate()
            let store = try workspace.openStore()
            let reportOptions = SeparaKit.Report.Options(
                template: template, period: period, from: from.flatMap { CalendarDay(iso: $0) },
                to: to.flatMap { CalendarDay(iso: $0) }, dimensions: ReportDimension.list(by)!, language: language)
            let output = try SeparaKit.Report.run(workspace: workspace, store: store, options: reportOptions)
            print(Self.summary(output))
        }

        static func summary(_ output: SeparaKit.Report.Output) -> String {
            let result = output.result
            var lines = [
                "Report \(result.from) to \(result.to) by \(result.periodLength), persons from template \(result.template), threshold \(result.threshold)"
            ]
            for period in result.periods {
                var line = "  \(period.period.label): \(period.persons.text) persons"
                switch period.detail {
                case .full:
                    if result.hasUnaccompanied {
                        line += ", \(period.unaccompaniedChildren.text) unaccompanied or separated children"
                    }
                    line += ", \(period.visits.text) visits"
                case .tooFewPersons:
                    line += " (fewer than \(result.minimumPersons): total only)"
                case .unprotectable:
                    line += " (small counts could not be protected: total only)"
                }
                lines.append(line)
            }
            lines.append(
                "  cells: \(result.published) published, \(result.belowThreshold) shown as <\(result.threshold), \(result.complementary) hidden (x) to protect them"
            )
            lines.append("  audit log entry \(output.auditEntry.seq)")
            lines.append(Terminal.relative(output.csvURL))
            lines.append(Terminal.relative(output.pdfURL))
            return lines.joined(separator: "\n")
        }
    }
}
