import Foundation

/// The report as a printable PDF: a summary page, then each period's tables with bar charts.
///
/// Made to be read printed in black and white: bars are solid grey, light grey or hatched, never told apart
/// by colour; a hidden count has no bar, only its marker (`<5`, `x`) where the bar would start.
enum ReportPDF {
    static func render(_ result: ReportResult, to url: URL, now: Date) throws {
        let canvas = try PDFCanvas(
            destination: url, pageSize: .a4, title: "Separa report \(result.fileStem) – \(result.site)")
        var flow = PageFlow(canvas: canvas, result: result)
        flow.cover(now: now)
        for period in result.periods where period.detail == .full { flow.period(period) }
        flow.finishPage()
        try canvas.finish()
    }
}

/// How a bar is filled, so that series stay apart in black and white.
enum BarFill: CaseIterable {
    case dark, hatched, light, crossHatched

    func draw(_ rect: PageRect, on canvas: PDFCanvas) {
        switch self {
        case .dark:
            canvas.fillRectangle(rect, gray: 0.3)
        case .light:
            canvas.fillRectangle(rect, gray: 0.78)
            canvas.strokeRectangle(rect, width: 0.5)
        case .hatched:
            canvas.hatchRectangle(rect, spacing: 2.6, angle: -.pi / 4, lineWidth: 0.7)
            canvas.strokeRectangle(rect, width: 0.6)
        case .crossHatched:
            canvas.hatchRectangle(rect, spacing: 3.2, angle: .pi / 4, lineWidth: 0.5)
            canvas.hatchRectangle(rect, spacing: 3.2, angle: -.pi / 4, lineWidth: 0.5)
            canvas.strokeRectangle(rect, width: 0.6)
        }
    }
}

/// Lays blocks out down the page, starting a new page when a block does not fit.
struct PageFlow {
    let canvas: PDFCanvas
    let result: ReportResult
    let page = PageSize.a4
    let margin = Length.mm(15)
    let footerHeight = Length.mm(12)
    var y: Double = 0
    var pageNumber = 0
    var open = false

    static let title = TextStyle(size: 16, weight: .bold)
    static let heading = TextStyle(size: 12.5, weight: .bold)
    static let subheading = TextStyle(size: 10, weight: .bold)
    static let body = TextStyle(size: 9)
    // Tables and charts are laid out left to right whatever the labels' script: an Arabic label still
    // shapes right to left, but sits against the same edge as the others.
    static let cell = TextStyle(size: 8.5, direction: .leftToRight)
    static let cellBold = TextStyle(size: 8.5, weight: .bold, direction: .leftToRight)
    static let marker = TextStyle(size: 8.5, italic: true, direction: .leftToRight)
    static let small = TextStyle(size: 7.5, gray: 0.3)

    init(canvas: PDFCanvas, result: ReportResult) {
        self.canvas = canvas
        self.result = result
    }

    var width: Double { page.width - 2 * margin }
    var bottom: Double { page.height - margin - footerHeight }

    mutating func newPage() {
        if open { finishPage() }
        canvas.beginPage(size: page)
        open = true
        pageNumber += 1
        y = margin
    }

    mutating func finishPage() {
        guard open else { return }
        let legend =
            "<\(result.threshold): from 1 to \(result.threshold - 1)   ·   x: hidden so that a small count cannot be worked out from the totals   ·   blank: not reported"
        let footerTop = page.height - margin - Length.mm(7)
        canvas.line(
            from: PagePoint(x: margin, y: footerTop - 3), to: PagePoint(x: page.width - margin, y: footerTop - 3),
            width: 0.4, gray: 0.5)
        canvas.drawText(legend, at: PagePoint(x: margin, y: footerTop), width: width, style: Self.small)
        canvas.drawText(
            "Separa · \(result.site) · report \(result.fileStem) · page \(pageNumber)",
            at: PagePoint(x: margin, y: footerTop + 9), width: width, style: Self.small.aligned(.end), reuse: false)
        canvas.endPage()
        open = false
    }

    /// Makes room for `height` points, on a new page if needed.
    mutating func ensure(_ height: Double) {
        if !open || y + height > bottom { newPage() }
    }

    mutating func text(_ text: String, style: TextStyle, after: Double = 4) {
        let height = canvas.measure(text, width: width, style: style).height
        ensure(height)
        canvas.drawText(text, at: PagePoint(x: margin, y: y), width: width, style: style)
        y += height + after
    }

    // MARK: Cover

    mutating func cover(now: Date) {
        newPage()
        text("Persons reached – \(result.site)", style: Self.title, after: 6)
        let range =
            result.from == result.to ? result.from.description : "\(result.from) to \(result.to)"
        text(
            "\(range), by \(result.periodLength). Persons are described by their latest \(result.template) record as of each period. Made \(CalendarDay(now)) by Separa.",
            style: Self.body, after: 8)
        let notes = [
            "Counts from 1 to \(result.threshold - 1) are shown as <\(result.threshold), never as a number or as 0. Cells marked x are hidden as well, so that no small count can be worked out from the totals; they are never 0.",
            "A period with fewer than \(result.minimumPersons) persons shows its total only. Nationalities with fewer than \(result.threshold) persons in a period are counted in “Other”. Unaccompanied or separated children are given as a total only.",
            "Disability follows the Washington Group short set: at least one domain answered “a lot of difficulty” or “cannot do at all”. The questions are asked of adults; “not asked or incomplete” holds the others.",
            "Persons are counted once per period (distinct case codes), however often they came; visits and services count every visit.",
        ]
        let noteStyle = TextStyle(size: 8.5)
        let noteHeight =
            notes.reduce(0) { $0 + canvas.measure($1, width: width - 16, style: noteStyle).height + 3 } + 10
        ensure(noteHeight)
        canvas.fillRectangle(PageRect(x: margin, y: y, width: width, height: noteHeight), gray: 0.93)
        var noteY = y + 6
        for note in notes {
            canvas.drawText("•", at: PagePoint(x: margin + 5, y: noteY), style: noteStyle)
            noteY +=
                canvas.drawText(note, at: PagePoint(x: margin + 13, y: noteY), width: width - 18, style: noteStyle)
                .height + 3
        }
        y += noteHeight + 12

        text("Summary", style: Self.heading)
        var header = ["Period", "Persons reached"]
        if result.hasUnaccompanied { header.append("Unaccompanied or separated children") }
        header += ["Visits", "Reported"]
        let rows = result.periods.map { period -> [ReportFigureCell] in
            var row: [ReportFigureCell] = [
                .label(period.period.label + (period.period.isPartial ? " *" : "")), .figure(period.persons),
            ]
            if result.hasUnaccompanied { row.append(.figure(period.unaccompaniedChildren)) }
            row.append(.figure(period.visits))
            switch period.detail {
            case .full: row.append(.label("all tables"))
            case .tooFewPersons: row.append(.label("total only (< \(result.minimumPersons) persons)"))
            case .unprotectable: row.append(.label("total only (not protectable)"))
            }
            return row
        }
        table(header: header, rows: rows, totalRow: false, firstColumn: 90, lastColumn: 150)
        if result.periods.contains(where: { $0.period.isPartial }) {
            text("* part of the period only (--from or --to falls inside it).", style: Self.small, after: 6)
        }
        y += 6
        text("Persons reached and visits per period", style: Self.subheading)
        let groups = result.periods.map { period in
            (label: period.period.label, figures: [period.persons, period.visits])
        }
        groupedBars(groups, series: ["Persons reached", "Visits"])
    }

    // MARK: A period

    mutating func period(_ period: PeriodReport) {
        newPage()
        let partial = period.period.isPartial ? " (\(period.period.start) to \(period.period.end) only)" : ""
        text("\(period.period.label)\(partial) – \(period.persons.text) persons reached", style: Self.heading, after: 3)
        var facts: [String] = []
        if result.hasUnaccompanied {
            facts.append("Unaccompanied or separated children: \(period.unaccompaniedChildren.text)")
        }
        facts.append("Visits: \(period.visits.text)")
        text(facts.joined(separator: "   ·   "), style: Self.body, after: 10)
        for table in period.tables where table.columnDimension == nil {
            let items = table.rows.indices.map { (label: table.rows[$0].label, figure: table.rowTotals[$0]) }
            oneWay(
                title: "Persons by \(table.rowDimension.title.lowercased())", items: items,
                total: ("Total", table.total), valueHeader: "Persons")
        }
        for table in period.tables where table.columnDimension != nil { twoWay(table) }
        if !result.services.isEmpty {
            let items = result.services.indices.map { (label: result.services[$0].label, figure: period.services[$0]) }
            oneWay(
                title: "Services given (visits that gave each service)", items: items, total: nil, valueHeader: "Visits"
            )
        }
    }

    /// A one-way table on the left, its bar chart on the right.
    mutating func oneWay(
        title: String, items: [(label: String, figure: ReportFigure)], total: (String, ReportFigure)?,
        valueHeader: String
    ) {
        let tableWidth = width * 0.46
        var rows = items.map { [ReportFigureCell.label($0.label), .figure($0.figure)] }
        if let total { rows.append([.label(total.0), .figure(total.1)]) }
        let layout = TableLayout(
            canvas: canvas, header: ["", valueHeader], rows: rows, widths: [tableWidth - 60, 60], totalRow: total != nil
        )
        let chartHeight = barChartHeight(count: items.count, series: 1)
        let titleHeight = canvas.measure(title, width: width, style: Self.subheading).height + 4
        let groups = items.map { (label: $0.label, figures: [$0.figure]) }
        guard titleHeight + max(layout.height, chartHeight) + 12 <= bottom - margin else {
            // Longer than a page: the table over as many pages as it needs, then the chart.
            ensure(titleHeight + layout.headerHeight + layout.rowHeights[0])
            canvas.drawText(title, at: PagePoint(x: margin, y: y), width: width, style: Self.subheading)
            y += titleHeight
            paginate(layout)
            groupedBars(groups, series: [])
            y += 6
            return
        }
        ensure(titleHeight + max(layout.height, chartHeight) + 12)
        canvas.drawText(title, at: PagePoint(x: margin, y: y), width: width, style: Self.subheading)
        y += titleHeight
        layout.draw(at: PagePoint(x: margin, y: y))
        drawBars(
            groups, series: [],
            in: PageRect(x: margin + tableWidth + 14, y: y, width: width - tableWidth - 14, height: chartHeight))
        y += max(layout.height, chartHeight) + 12
    }

    /// A two-way table with row and column totals, and grouped bars when it has at most four columns.
    mutating func twoWay(_ table: ReportTable) {
        // Show the dimension with more categories down the page.
        let transpose = table.columns.count > table.rows.count
        let rowCategories = transpose ? table.columns : table.rows
        let columnCategories = transpose ? table.rows : table.columns
        let rowDimension = transpose ? table.columnDimension! : table.rowDimension
        let columnDimension = transpose ? table.rowDimension : table.columnDimension!
        func cell(_ r: Int, _ c: Int) -> ReportFigure { transpose ? table.cells[c][r] : table.cells[r][c] }
        let rowTotals = transpose ? table.columnTotals : table.rowTotals
        let columnTotals = transpose ? table.rowTotals : table.columnTotals
        var rows: [[ReportFigureCell]] = rowCategories.indices.map { r in
            [.label(rowCategories[r].label)] + columnCategories.indices.map { .figure(cell(r, $0)) }
                + [.figure(rowTotals[r])]
        }
        rows.append([.label("Total")] + columnTotals.map { .figure($0) } + [.figure(table.total)])
        let header = [rowDimension.title] + columnCategories.map(\.label) + ["Total"]
        let numeric = min(62, (width - 120) / Double(columnCategories.count + 1))
        let first = min(width - numeric * Double(columnCategories.count + 1), 170)
        let layout = TableLayout(
            canvas: canvas, header: header, rows: rows,
            widths: [first] + Array(repeating: numeric, count: columnCategories.count + 1), totalRow: true)
        let title = "Persons by \(rowDimension.title.lowercased()) and \(columnDimension.title.lowercased())"
        let titleHeight = canvas.measure(title, width: width, style: Self.subheading).height + 4
        // Whole on one page when it fits on one, else over as many as it needs.
        let fits = titleHeight + layout.height + 10 <= bottom - margin
        ensure(fits ? titleHeight + layout.height + 10 : titleHeight + layout.headerHeight + layout.rowHeights[0])
        canvas.drawText(title, at: PagePoint(x: margin, y: y), width: width, style: Self.subheading)
        y += titleHeight
        if fits {
            layout.draw(at: PagePoint(x: margin, y: y))
            y += layout.height + 8
        } else {
            paginate(layout)
        }
        // Grouped bars only where they stay readable (at most four series and eight groups) and show
        // something (a published count above zero).
        let anyBar = table.cells.contains { $0.contains { ($0.count ?? 0) > 0 } }
        if columnCategories.count <= BarFill.allCases.count && rowCategories.count <= 8 && anyBar {
            let groups = rowCategories.indices.map { r in
                (label: rowCategories[r].label, figures: columnCategories.indices.map { cell(r, $0) })
            }
            groupedBars(groups, series: columnCategories.map(\.label))
        }
        y += 6
    }

    // MARK: Tables

    mutating func table(
        header: [String], rows: [[ReportFigureCell]], totalRow: Bool, firstColumn: Double, lastColumn: Double
    ) {
        let middle = header.count - 2
        let numeric = (width - firstColumn - lastColumn) / Double(max(middle, 1))
        let widths = [firstColumn] + Array(repeating: numeric, count: middle) + [lastColumn]
        paginate(TableLayout(canvas: canvas, header: header, rows: rows, widths: widths, totalRow: totalRow))
    }

    /// Draws `layout` from the current position, continuing on new pages with the header repeated.
    mutating func paginate(_ layout: TableLayout) {
        var start = 0
        while start < layout.rows.count {
            ensure(layout.headerHeight + layout.rowHeights[start] + 4)
            var end = start
            var height = layout.headerHeight
            while end < layout.rows.count && y + height + layout.rowHeights[end] <= bottom {
                height += layout.rowHeights[end]
                end += 1
            }
            layout.draw(at: PagePoint(x: margin, y: y), rows: start..<end)
            y += height + 4
            start = end
            if start < layout.rows.count { newPage() }
        }
    }

    // MARK: Charts

    func barChartHeight(count: Int, series: Int) -> Double {
        let bar = series > 1 ? 7.0 : 9.0
        let legend = series > 1 ? 16.0 : 0
        return Double(count) * (bar * Double(max(series, 1)) + 5) + legend + 4
    }

    /// Horizontal bars, one group per item, one bar per series, with a legend when there are several series.
    mutating func groupedBars(_ groups: [(label: String, figures: [ReportFigure])], series: [String]) {
        var start = 0
        while start < groups.count {
            let perGroup = barChartHeight(count: 1, series: series.count) - (series.count > 1 ? 20 : 4)
            let room = Int((bottom - y - (series.count > 1 ? 20 : 4)) / perGroup)
            if room < 1 {
                newPage()
                continue
            }
            let slice = Array(groups[start..<min(groups.count, start + room)])
            let height = barChartHeight(count: slice.count, series: series.count)
            drawBars(slice, series: series, in: PageRect(x: margin, y: y, width: width, height: height))
            y += height + 6
            start += slice.count
            if start < groups.count { newPage() }
        }
    }

    func drawBars(_ groups: [(label: String, figures: [ReportFigure])], series: [String], in rect: PageRect) {
        let seriesCount = max(series.count, groups.first?.figures.count ?? 1)
        let bar = seriesCount > 1 ? 7.0 : 9.0
        let labelWidth = min(rect.width * 0.32, 130)
        let valueWidth = 30.0
        let x0 = rect.x + labelWidth + 4
        let barSpace = rect.width - labelWidth - 4 - valueWidth
        let maximum = max(1, groups.flatMap { $0.figures.compactMap(\.count) }.max() ?? 1)
        let fills = seriesCount > 1 ? BarFill.allCases : [.dark]
        var top = rect.y
        if series.count > 1 {
            var x = x0
            for (index, name) in series.enumerated() {
                fills[index % fills.count].draw(PageRect(x: x, y: top + 1, width: 14, height: 8), on: canvas)
                let metrics = canvas.drawText(name, at: PagePoint(x: x + 18, y: top), style: Self.small)
                x += 18 + metrics.width + 14
            }
            top += 16
        }
        let labelStyle = TextStyle(size: 7.5, direction: .leftToRight)
        for group in groups {
            let groupHeight = bar * Double(seriesCount)
            let label = canvas.measure(group.label, width: labelWidth, style: labelStyle)
            canvas.drawText(
                group.label, at: PagePoint(x: rect.x, y: top + max(0, (groupHeight - label.height) / 2)),
                width: labelWidth, style: labelStyle.aligned(.end))
            for (index, figure) in group.figures.enumerated() {
                let barTop = top + bar * Double(index)
                let valueStyle = TextStyle(size: 7)
                if let count = figure.count {
                    let length = barSpace * Double(count) / Double(maximum)
                    if length > 0 {
                        fills[index % fills.count].draw(
                            PageRect(x: x0, y: barTop + 0.75, width: length, height: bar - 1.5), on: canvas)
                    }
                    canvas.drawText(
                        figure.text, at: PagePoint(x: x0 + length + 2, y: barTop + (bar - 9) / 2), style: valueStyle,
                        reuse: false)
                } else if figure != .notReported {
                    canvas.drawText(
                        figure.text, at: PagePoint(x: x0 + 2, y: barTop + (bar - 9) / 2),
                        style: TextStyle(size: 7, italic: true))
                }
            }
            top += groupHeight + 5
        }
        canvas.line(
            from: PagePoint(x: x0, y: rect.y + (series.count > 1 ? 14 : 0)), to: PagePoint(x: x0, y: top - 3),
            width: 0.6)
    }
}

/// A cell of a drawn table: a label or a figure.
enum ReportFigureCell {
    case label(String)
    case figure(ReportFigure)
}

/// A table measured once and drawn: header row, body rows, optional bold totals row.
struct TableLayout {
    let canvas: PDFCanvas
    let header: [String]
    let rows: [[ReportFigureCell]]
    let widths: [Double]
    let totalRow: Bool
    let headerHeight: Double
    let rowHeights: [Double]
    static let padding = 2.5

    init(canvas: PDFCanvas, header: [String], rows: [[ReportFigureCell]], widths: [Double], totalRow: Bool) {
        self.canvas = canvas
        self.header = header
        self.rows = rows
        self.widths = widths
        self.totalRow = totalRow
        let inner = widths.map { $0 - 2 * Self.padding }
        headerHeight =
            (header.indices.map { canvas.measure(header[$0], width: inner[$0], style: PageFlow.cellBold).height }.max()
                ?? 10) + 2 * Self.padding
        rowHeights = rows.map { row in
            (row.indices.map { column -> Double in
                if case .label(let text) = row[column] {
                    return canvas.measure(text, width: inner[column], style: PageFlow.cell).height
                }
                return canvas.measure("0", style: PageFlow.cell).height
            }.max() ?? 10) + 2 * Self.padding
        }
    }

    var height: Double { headerHeight + rowHeights.reduce(0, +) }

    func draw(at origin: PagePoint) { draw(at: origin, rows: 0..<rows.count) }

    func draw(at origin: PagePoint, rows range: Range<Int>) {
        let total = widths.reduce(0, +)
        var x = origin.x
        // Header: bold, wrapped, on a light band, numbers' headers right-aligned.
        canvas.fillRectangle(PageRect(x: origin.x, y: origin.y, width: total, height: headerHeight), gray: 0.88)
        for (index, text) in header.enumerated() {
            var isLabel = index == 0
            if let first = rows.first, index < first.count, case .label = first[index] { isLabel = true }
            let style = isLabel ? PageFlow.cellBold : PageFlow.cellBold.aligned(.end)
            canvas.drawText(
                text, at: PagePoint(x: x + Self.padding, y: origin.y + Self.padding),
                width: widths[index] - 2 * Self.padding, style: style)
            x += widths[index]
        }
        var y = origin.y + headerHeight
        canvas.line(from: PagePoint(x: origin.x, y: y), to: PagePoint(x: origin.x + total, y: y), width: 0.8)
        for index in range {
            let isTotal = totalRow && index == rows.count - 1
            if isTotal {
                canvas.line(from: PagePoint(x: origin.x, y: y), to: PagePoint(x: origin.x + total, y: y), width: 0.8)
            }
            x = origin.x
            for (column, cell) in rows[index].enumerated() {
                let inner = widths[column] - 2 * Self.padding
                let point = PagePoint(x: x + Self.padding, y: y + Self.padding)
                switch cell {
                case .label(let text):
                    canvas.drawText(text, at: point, width: inner, style: isTotal ? PageFlow.cellBold : PageFlow.cell)
                case .figure(let figure):
                    let style: TextStyle
                    switch figure {
                    case .count: style = isTotal ? PageFlow.cellBold : PageFlow.cell
                    default: style = PageFlow.marker
                    }
                    canvas.drawText(figure.text, at: point, width: inner, style: style.aligned(.end), reuse: false)
                }
                x += widths[column]
            }
            y += rowHeights[index]
            if !isTotal && index < range.upperBound - 1 {
                canvas.line(
                    from: PagePoint(x: origin.x, y: y), to: PagePoint(x: origin.x + total, y: y), width: 0.25,
                    gray: 0.6)
            }
        }
        canvas.line(from: PagePoint(x: origin.x, y: y), to: PagePoint(x: origin.x + total, y: y), width: 0.8)
    }
}
