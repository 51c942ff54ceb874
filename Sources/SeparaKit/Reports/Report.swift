import Foundation

/// `separa report`: persons reached by sex, age band, disability and nationality, unaccompanied or
/// separated children, visits and services, per period, with disclosure control.
///
/// What is counted: see ``RecordScan`` (persons are distinct codes, described by their latest record of the
/// report's template as of each period). What is published: see ``DisclosureControl`` (primary and
/// secondary suppression, checked by linear programming) and ``ReportBuilder`` (only one- and two-way
/// tables; nationalities under the threshold in "other"; a period under `reports.minimumPersons` reports its
/// total only; unaccompanied or separated children as a total only). Writes `output/report-PERIOD.csv` (HXL
/// hashtag row under the header) and `output/report-PERIOD.pdf`, and records in the audit log what was
/// published — table shapes and threshold, never a count.
public enum Report {
    /// What to report.
    public struct Options: Sendable {
        /// The template whose records describe persons (default `intake`).
        public var template: String
        public var period: PeriodLength
        /// First day (default: the start of the period holding `to`).
        public var from: CalendarDay?
        /// Last day (default: today).
        public var to: CalendarDay?
        /// What to break persons down by; one table each and one per pair.
        public var dimensions: [ReportDimension]
        /// Language of choice labels (default: English when the template has it, else its first language).
        public var language: String?
        /// When the report is made (for the default range and the audit log).
        public var now: Date

        public init(
            template: String = "intake", period: PeriodLength = .month, from: CalendarDay? = nil,
            to: CalendarDay? = nil, dimensions: [ReportDimension] = ReportDimension.allCases, language: String? = nil,
            now: Date = Date()
        ) {
            self.template = template
            self.period = period
            self.from = from
            self.to = to
            self.dimensions = dimensions
            self.language = language
            self.now = now
        }
    }

    /// A published report.
    public struct Output: Sendable {
        public let result: ReportResult
        public let csvURL: URL
        public let pdfURL: URL
        /// The audit log entry that records it.
        public let auditEntry: AuditEntry
    }

    /// The most periods one report may hold (e.g. two years of weeks).
    public static let maximumPeriods = 120

    /// The days reported: `options.from`/`options.to`, with their defaults.
    public static func range(_ options: Options) throws(ReportError) -> (from: CalendarDay, to: CalendarDay) {
        let to = options.to ?? CalendarDay(options.now)
        let from = options.from ?? options.period.period(containing: to).start
        guard from <= to else { throw .emptyRange(from: from.description, to: to.description) }
        return (from, to)
    }

    /// Counts and protects, without writing anything.
    public static func compute(workspace: Workspace, store: Store, options: Options) throws(ReportError)
        -> ReportResult
    {
        let (from, to) = try range(options)
        let periods = options.period.periods(from: from, to: to)
        guard periods.count <= maximumPeriods else {
            throw .tooManyPeriods(count: periods.count, maximum: maximumPeriods)
        }
        let library: TemplateLibrary
        let template: Template
        do {
            library = try TemplateLibrary(workspace: workspace)
            template = try library.template(named: options.template)
        } catch {
            throw .template(error)
        }
        let settings = workspace.config.reports
        let problems = settings.problems()
        guard problems.isEmpty, let ageBands = try? ReportAgeBands(settings.ageBands) else {
            throw .invalidSettings(problems)
        }
        let language =
            options.language
            ?? (template.languages.contains("en") ? "en" : template.languages.first ?? "en")
        let schema = try ReportSchema(
            template: template, library: library.entries.compactMap(\.template), dimensions: options.dimensions,
            ageBands: ageBands, language: language)
        let tally: ReportTally
        do {
            tally = try RecordScan(schema: schema, periods: periods).run(store)
        } catch {
            throw .store(StoreError.wrap("reading records for the report", error))
        }
        let builder = ReportBuilder(
            schema: schema, dimensions: options.dimensions, threshold: settings.threshold,
            minimumPersons: settings.minimumPersons)
        var counts = ReportBuilder.CellCounts()
        let reports = builder.build(tally, periods: periods, counts: &counts)
        var categories: [ReportDimension: [ReportCategory]] = [:]
        for dimension in options.dimensions {
            var list = schema.categories(dimension)
            if dimension == .nationality {
                // Shown order: nationalities, "other", "not recorded".
                let unknown = list.removeLast()
                list.removeAll { $0.name == ReportSchema.otherName }
                list.append(
                    ReportCategory(
                        name: ReportSchema.otherName,
                        label: schema.nationalityOther.map { schema.nationality[$0].label } ?? "Other",
                        hxl: ["nationality_other"]))
                list.append(unknown)
            }
            categories[dimension] = list
        }
        return ReportResult(
            site: workspace.config.site.name, template: template.id, periodLength: options.period, from: from, to: to,
            threshold: settings.threshold, minimumPersons: settings.minimumPersons, dimensions: options.dimensions,
            categories: categories, services: schema.services, hasUnaccompanied: schema.hasUnaccompanied,
            periods: reports, recordsRead: tally.recordsRead, published: counts.published,
            belowThreshold: counts.belowThreshold, complementary: counts.complementary)
    }

    /// Counts, protects, writes `output/report-PERIOD.csv` and `.pdf`, and records the report in the audit
    /// log. When the audit log cannot be written, the files are removed: nothing is published unrecorded.
    public static func run(workspace: Workspace, store: Store, options: Options) throws -> Output {
        let result = try compute(workspace: workspace, store: store, options: options)
        let csvURL = try workspace.outputFile("report-\(result.fileStem).csv")
        let pdfURL = try workspace.outputFile("report-\(result.fileStem).pdf")
        do {
            let writer = try AtomicFileWriter(csvURL, mode: 0o600)
            do {
                try writer.write(ReportCSV.render(result))
                try writer.commit()
            } catch {
                writer.abandon()
                throw error
            }
        } catch {
            throw ReportError.cannotWrite(path: csvURL.path, reason: "\(error)")
        }
        do {
            try ReportPDF.render(result, to: pdfURL, now: options.now)
        } catch {
            try? FileManager.default.removeItem(at: csvURL)
            throw error
        }
        do {
            let entry = try AuditLog.append(
                to: store, action: .report, detail: auditDetail(result, files: [csvURL, pdfURL]), now: options.now)
            return Output(result: result, csvURL: csvURL, pdfURL: pdfURL, auditEntry: entry)
        } catch {
            try? FileManager.default.removeItem(at: csvURL)
            try? FileManager.default.removeItem(at: pdfURL)
            throw error
        }
    }

    /// What the audit log records: settings, files and the shape of every table, never a count.
    public static func auditDetail(_ result: ReportResult, files: [URL]) -> [String: String] {
        let shapes = result.periods.map { period -> String in
            switch period.detail {
            case .full:
                let tables = period.tables.map { "\($0.id) \($0.shape)" }
                let extra =
                    (result.hasUnaccompanied ? ["unaccompanied 1"] : [])
                    + ["visits 1", "services \(result.services.count)"]
                return "\(period.period.label): " + (tables + extra).joined(separator: ", ")
            case .tooFewPersons: return "\(period.period.label): total only (under minimum persons)"
            case .unprotectable: return "\(period.period.label): total only (could not be protected)"
            }
        }
        return [
            "template": result.template.rawValue,
            "period": result.periodLength.rawValue,
            "from": result.from.description,
            "to": result.to.description,
            "by": result.dimensions.map(\.rawValue).joined(separator: ","),
            "threshold": String(result.threshold),
            "minimumPersons": String(result.minimumPersons),
            "tables": shapes.joined(separator: " | "),
            "cells":
                "published \(result.published), below threshold \(result.belowThreshold), hidden as complements \(result.complementary)",
            "files": files.map(\.lastPathComponent).joined(separator: ","),
        ]
    }
}
