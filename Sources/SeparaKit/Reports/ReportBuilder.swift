import Foundation

/// Turns one scan's counts into disclosure-controlled tables, period by period.
///
/// Each period is its own set of linked tables (grand total, one-way tables, two-way tables; every one-way
/// table is a margin of the two-way tables it appears in): its cells are suppressed together, so that a
/// cell is hidden the same way in every table that shows it. Periods are not tied to each other: the report
/// publishes no total over periods, since one person can be reached in several periods.
struct ReportBuilder {
    let schema: ReportSchema
    let dimensions: [ReportDimension]
    let threshold: Int
    let minimumPersons: Int

    /// Counts of hidden and published cells.
    struct CellCounts {
        var published = 0
        var belowThreshold = 0
        var complementary = 0
    }

    func build(_ tally: ReportTally, periods: [ReportPeriod], counts: inout CellCounts) -> [PeriodReport] {
        periods.indices.map { build(tally, period: $0, of: periods[$0], counts: &counts) }
    }

    /// The figure of a count alone (primary suppression only).
    func alone(_ value: Int) -> ReportFigure {
        (1..<threshold).contains(value) ? .belowThreshold(threshold) : .count(value)
    }

    func totalOnly(_ tally: ReportTally, _ index: Int, _ period: ReportPeriod, _ detail: PeriodReport.Detail)
        -> PeriodReport
    {
        PeriodReport(
            period: period, persons: alone(tally.persons[index]), detail: detail, tables: [],
            unaccompaniedChildren: .notReported, visits: .notReported,
            services: schema.services.map { _ in .notReported })
    }

    /// The categories a period shows for `dimension`, and where each recorded category goes (nil: nowhere,
    /// it is zero).
    func shown(_ dimension: ReportDimension, counts: [Int]) -> (categories: [ReportCategory], map: [Int?]) {
        let recorded = schema.categories(dimension)
        let unknown = recorded.count - 1
        var categories: [ReportCategory] = []
        var map = [Int?](repeating: nil, count: recorded.count)
        switch dimension {
        case .sex, .ageBand, .disability:
            // Every category always, "not recorded" only when someone is in it.
            for index in recorded.indices where index != unknown || counts[index] > 0 {
                map[index] = categories.count
                categories.append(recorded[index])
            }
        case .nationality:
            // Nationalities with at least `threshold` persons; the others (and a small "not recorded") in
            // "other".
            let other = schema.nationalityOther
            for index in recorded.indices where index != other && index != unknown && counts[index] >= threshold {
                map[index] = categories.count
                categories.append(recorded[index])
            }
            let otherIndex = categories.count
            categories.append(
                ReportCategory(
                    name: ReportSchema.otherName,
                    label: other.map { recorded[$0].label } ?? "Other", hxl: ["nationality_other"]))
            for index in recorded.indices where map[index] == nil && index != unknown {
                map[index] = otherIndex
            }
            if counts[unknown] >= threshold {
                map[unknown] = categories.count
                categories.append(recorded[unknown])
            } else {
                map[unknown] = otherIndex
            }
        }
        return (categories, map)
    }

    func build(_ tally: ReportTally, period index: Int, of period: ReportPeriod, counts: inout CellCounts)
        -> PeriodReport
    {
        let persons = tally.persons[index]
        guard persons >= minimumPersons else {
            counts.published += persons == 0 || persons >= threshold ? 1 : 0
            counts.belowThreshold += (1..<threshold).contains(persons) ? 1 : 0
            return totalOnly(tally, index, period, .tooFewPersons)
        }
        let joint = tally.joint[index]
        let sizes = [schema.sex.count, schema.age.count, schema.disability.count, schema.nationality.count]
        let all: [ReportDimension] = [.sex, .ageBand, .disability, .nationality]
        // Recorded category of each dimension for every joint cell, and one-way counts as recorded.
        var recordedCounts = sizes.map { [Int](repeating: 0, count: $0) }
        var combinations: [(categories: [Int], count: Int)] = []
        for s in 0..<sizes[0] {
            for a in 0..<sizes[1] {
                for d in 0..<sizes[2] {
                    for n in 0..<sizes[3] {
                        let count = Int(joint[schema.jointIndex(sex: s, age: a, disability: d, nationality: n)])
                        guard count > 0 else { continue }
                        let categories = [s, a, d, n]
                        for dim in 0..<4 { recordedCounts[dim][categories[dim]] += count }
                        combinations.append((categories, count))
                    }
                }
            }
        }
        // The categories shown, per selected dimension.
        var shownCategories: [[ReportCategory]] = []
        var maps: [[Int?]] = []
        for dimension in dimensions {
            let (categories, map) = shown(dimension, counts: recordedCounts[all.firstIndex(of: dimension)!])
            shownCategories.append(categories)
            maps.append(map)
        }
        let slot = dimensions.map { all.firstIndex(of: $0)! }
        func category(_ combination: [Int], _ d: Int) -> Int { maps[d][combination[slot[d]]]! }

        // Counts of every table.
        var oneWay = shownCategories.map { [Int](repeating: 0, count: $0.count) }
        var pairs: [(Int, Int)] = []
        for first in dimensions.indices {
            for second in dimensions.indices where second > first { pairs.append((first, second)) }
        }
        var twoWay = pairs.map { pair in
            [[Int]](
                repeating: [Int](repeating: 0, count: shownCategories[pair.1].count),
                count: shownCategories[pair.0].count)
        }
        for (combination, count) in combinations {
            for d in dimensions.indices { oneWay[d][category(combination, d)] += count }
            for (p, pair) in pairs.enumerated() {
                twoWay[p][category(combination, pair.0)][category(combination, pair.1)] += count
            }
        }

        // One set of linked cells for the period.
        var linked = LinkedCounts()
        let grand = linked.add(persons)
        let margins = oneWay.map { row in row.map { linked.add($0) } }
        for margin in margins { linked.addSum(total: grand, parts: margin) }
        var interiors: [[[Int]]] = []
        for (p, pair) in pairs.enumerated() {
            let cells = twoWay[p].map { row in row.map { linked.add($0) } }
            for (r, row) in cells.enumerated() { linked.addSum(total: margins[pair.0][r], parts: row) }
            for c in shownCategories[pair.1].indices {
                linked.addSum(total: margins[pair.1][c], parts: cells.map { $0[c] })
            }
            interiors.append(cells)
        }
        let unaccompanied = schema.hasUnaccompanied ? linked.add(tally.unaccompanied[index]) : nil
        let visits = linked.add(tally.visits[index])
        let services = tally.services[index].map { linked.add($0) }

        let outcome = DisclosureControl.protect(
            linked, threshold: threshold, keepPublished: [grand], preferPublished: Set(margins.flatMap { $0 }))
        guard outcome.isProtected else {
            counts.published += 1
            return totalOnly(tally, index, period, .unprotectable)
        }
        for protection in outcome.protections {
            switch protection {
            case .published: counts.published += 1
            case .belowThreshold: counts.belowThreshold += 1
            case .complementary: counts.complementary += 1
            }
        }
        func figure(_ cell: Int) -> ReportFigure {
            switch outcome.protections[cell] {
            case .published: return .count(linked.values[cell])
            case .belowThreshold: return .belowThreshold(threshold)
            case .complementary: return .suppressed
            }
        }
        var tables: [ReportTable] = []
        for (d, dimension) in dimensions.enumerated() {
            tables.append(
                ReportTable(
                    id: dimension.rawValue, rowDimension: dimension, columnDimension: nil, rows: shownCategories[d],
                    columns: [], cells: shownCategories[d].map { _ in [] }, rowTotals: margins[d].map(figure),
                    columnTotals: [], total: figure(grand)))
        }
        for (p, pair) in pairs.enumerated() {
            tables.append(
                ReportTable(
                    id: "\(dimensions[pair.0].rawValue)*\(dimensions[pair.1].rawValue)",
                    rowDimension: dimensions[pair.0], columnDimension: dimensions[pair.1],
                    rows: shownCategories[pair.0], columns: shownCategories[pair.1],
                    cells: interiors[p].map { $0.map(figure) }, rowTotals: margins[pair.0].map(figure),
                    columnTotals: margins[pair.1].map(figure), total: figure(grand)))
        }
        return PeriodReport(
            period: period, persons: figure(grand), detail: .full, tables: tables,
            unaccompaniedChildren: unaccompanied.map(figure) ?? .notReported, visits: figure(visits),
            services: services.map(figure))
    }
}
