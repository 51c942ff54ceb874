import Foundation

/// The report as one CSV table a data officer can open in a spreadsheet or feed to HXL tools: one row per
/// period, one column per published figure, a human header row and an HXL hashtag row under it.
///
/// Cells: a count; `<5` for 1 to 4 (threshold 5); `x` for a count hidden to protect a small one; empty when
/// not reported (a period with too few persons reports its total only; a nationality with fewer persons
/// than the threshold is counted in "other" that period). Every cell that could start a spreadsheet formula
/// is neutralised.
public enum ReportCSV {
    /// One column: its header, its HXL hashtag, and where its figures come from.
    struct Column {
        let header: String
        let hxl: String
        let figure: (PeriodReport) -> String
    }

    /// The CSV file's bytes (UTF-8 with a byte-order mark, so that Excel reads the labels right; CRLF).
    public static func render(_ result: ReportResult) -> [UInt8] {
        let writer = CSVWriter(options: CSVWriteOptions(neutralizesFormulas: true, byteOrderMark: true))
        var output = writer.preamble
        let columns = columns(result)
        writer.append(columns.map(\.header), to: &output)
        writer.append(columns.map(\.hxl), to: &output)
        for period in result.periods {
            writer.append(columns.map { $0.figure(period) }, to: &output)
        }
        return output
    }

    /// The HXL hashtag row, column by column.
    public static func hashtags(_ result: ReportResult) -> [String] { columns(result).map(\.hxl) }

    static func columns(_ result: ReportResult) -> [Column] {
        let person = ["ind"]
        var columns: [Column] = [
            Column(header: "Site", hxl: HXL.tag("loc", ["name"]), figure: { _ in result.site }),
            Column(header: "Period", hxl: HXL.tag("date", ["period"]), figure: { $0.period.label }),
            Column(header: "From", hxl: HXL.tag("date", ["start"]), figure: { $0.period.start.description }),
            Column(header: "To", hxl: HXL.tag("date", ["end"]), figure: { $0.period.end.description }),
            Column(
                header: "Reported", hxl: HXL.tag("meta", ["status"]),
                figure: { period in
                    switch period.detail {
                    case .full: return "all tables"
                    case .tooFewPersons: return "total only: fewer than \(result.minimumPersons) persons"
                    case .unprotectable: return "total only: small counts could not be protected"
                    }
                }),
            Column(
                header: "Persons reached", hxl: HXL.tag("reached", person + ["total"]), figure: { $0.persons.text }),
        ]
        // Figures of every period's tables by table id and category names.
        var lookup: [String: [String: ReportFigure]] = [:]
        for period in result.periods {
            var figures: [String: ReportFigure] = [:]
            for table in period.tables {
                for (r, row) in table.rows.enumerated() {
                    figures["\(table.id)|\(row.name)"] = table.rowTotals[r]
                    for (c, column) in table.columns.enumerated() {
                        figures["\(table.id)|\(row.name)|\(column.name)"] = table.cells[r][c]
                    }
                }
                for (c, column) in table.columns.enumerated() {
                    figures["\(table.id)|*|\(column.name)"] = table.columnTotals[c]
                }
            }
            lookup[period.period.label] = figures
        }
        func used(_ key: String) -> Bool { lookup.values.contains { $0[key] != nil } }
        func figure(_ key: String) -> (PeriodReport) -> String {
            { period in lookup[period.period.label]?[key]?.text ?? "" }
        }
        let dimensions = result.dimensions
        for dimension in dimensions {
            for category in result.categories[dimension] ?? [] where used("\(dimension.rawValue)|\(category.name)") {
                columns.append(
                    Column(
                        header: "Persons reached – \(dimension.title): \(category.label)",
                        hxl: HXL.tag("reached", person + category.hxl),
                        figure: figure("\(dimension.rawValue)|\(category.name)")))
            }
        }
        for first in dimensions.indices {
            for second in dimensions.indices where second > first {
                let (rowDimension, columnDimension) = (dimensions[first], dimensions[second])
                let id = "\(rowDimension.rawValue)*\(columnDimension.rawValue)"
                for row in result.categories[rowDimension] ?? [] {
                    for column in result.categories[columnDimension] ?? [] {
                        let key = "\(id)|\(row.name)|\(column.name)"
                        guard used(key) else { continue }
                        columns.append(
                            Column(
                                header:
                                    "Persons reached – \(rowDimension.title) × \(columnDimension.title): \(row.label), \(column.label)",
                                hxl: HXL.tag("reached", person + row.hxl + column.hxl), figure: figure(key)))
                    }
                }
            }
        }
        if result.hasUnaccompanied {
            columns.append(
                Column(
                    header: "Unaccompanied or separated children",
                    hxl: HXL.tag("reached", person + ["children", "unaccompanied_separated"]),
                    figure: { $0.unaccompaniedChildren.text }))
        }
        columns.append(
            Column(header: "Visits", hxl: HXL.tag("indicator", ["num", "visits"]), figure: { $0.visits.text }))
        for (index, service) in result.services.enumerated() {
            columns.append(
                Column(
                    header: "Services given: \(service.label)", hxl: HXL.tag("indicator", ["num"] + service.hxl),
                    figure: { $0.services[index].text }))
        }
        return columns
    }
}
