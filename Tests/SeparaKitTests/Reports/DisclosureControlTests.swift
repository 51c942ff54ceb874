import Foundation
import Testing

@testable import SeparaKit

/// Builds linked tables cell by cell, as the report does.
struct TableBuilder {
    var counts = LinkedCounts()

    /// A one-way table: its categories and their total.
    mutating func oneWay(_ values: [Int]) -> (total: Int, cells: [Int]) {
        let total = counts.add(values.reduce(0, +))
        let cells = values.map { counts.add($0) }
        counts.addSum(total: total, parts: cells)
        return (total, cells)
    }

    /// A two-way table over existing margins (`rows`, `columns`), with its interior.
    mutating func twoWay(_ interior: [[Int]], rows: [Int], columns: [Int]) -> [[Int]] {
        let cells = interior.map { row in row.map { counts.add($0) } }
        for (r, row) in cells.enumerated() { counts.addSum(total: rows[r], parts: row) }
        for c in interior[0].indices { counts.addSum(total: columns[c], parts: cells.map { $0[c] }) }
        return cells
    }

    /// A two-way table with its own margins and grand total.
    mutating func table(_ interior: [[Int]]) -> (grand: Int, rows: [Int], columns: [Int], cells: [[Int]]) {
        let grand = counts.add(interior.flatMap { $0 }.reduce(0, +))
        let rows = interior.map { counts.add($0.reduce(0, +)) }
        let columns = interior[0].indices.map { c in counts.add(interior.reduce(0) { $0 + $1[c] }) }
        counts.addSum(total: grand, parts: rows)
        counts.addSum(total: grand, parts: columns)
        return (grand, rows, columns, twoWay(interior, rows: rows, columns: columns))
    }
}

/// The reader's view of `counts` under a set of hidden cells.
func view(
    _ counts: LinkedCounts, hidden: Set<Int>, threshold: Int,
    complements: PublishedView.ComplementKnowledge = .atLeastThreshold
) -> PublishedView {
    PublishedView(
        cells: counts.values.indices.map { cell in
            guard hidden.contains(cell) else { return .published(counts.values[cell]) }
            return (1..<threshold).contains(counts.values[cell]) ? .belowThreshold : .hidden
        },
        sums: counts.sums.map { ($0.total, $0.parts) }, threshold: threshold, complements: complements,
        cap: counts.values.max() ?? 0)
}

func hiddenCells(_ outcome: DisclosureControl.Outcome) -> Set<Int> {
    Set(outcome.protections.indices.filter { outcome.protections[$0].isHidden })
}

/// Strawman: primary suppression only.
func primaryOnly(_ counts: LinkedCounts, threshold: Int) -> Set<Int> {
    Set(counts.values.indices.filter { (1..<threshold).contains(counts.values[$0]) })
}

/// Strawman: primary suppression, then for every sum with a single hidden member, the smallest other member
/// (zeros included) — the textbook rule applied without thinking about bounds.
func smallestComplement(_ counts: LinkedCounts, threshold: Int) -> Set<Int> {
    var hidden = primaryOnly(counts, threshold: threshold)
    var changed = true
    while changed {
        changed = false
        for sum in counts.sums where sum.members.filter(hidden.contains).count == 1 {
            let candidate = sum.members.filter { !hidden.contains($0) }.min {
                (counts.values[$0], $0) < (counts.values[$1], $1)
            }!
            hidden.insert(candidate)
            changed = true
        }
    }
    return hidden
}

@Suite("Disclosure control: primary and secondary suppression")
struct DisclosureControlTests {
    let k = 5

    @Test func aRowWithOneSmallCellLeaksBySubtractionUntilAComplementIsHidden() throws {
        var builder = TableBuilder()
        let table = builder.oneWay([12, 3, 20])
        let counts = builder.counts
        // Primary suppression alone: 35 − 12 − 20 = 3.
        let naive = view(counts, hidden: primaryOnly(counts, threshold: k), threshold: k)
        #expect(naive.determinedByLinearAlgebra() == [table.cells[1]])
        #expect(naive.determinedByEnumeration() == [table.cells[1]])

        let outcome = DisclosureControl.protect(counts, threshold: k, keepPublished: [table.total])
        #expect(outcome.isProtected)
        #expect(outcome.protections[table.cells[1]] == .belowThreshold)
        // The smallest non-zero complement: 12, not 20 and not the total.
        #expect(outcome.protections[table.cells[0]] == .complementary)
        #expect(outcome.protections[table.cells[2]] == .published)
        let safe = view(counts, hidden: hiddenCells(outcome), threshold: k)
        #expect(safe.determinedByLinearAlgebra().isEmpty)
        #expect(safe.determinedByEnumeration().isEmpty)
        #expect(safe.feasibleValues(exhaustive: true)[table.cells[1]] == [1, 2, 3, 4])
        if let lp = try safe.determinedByLinearProgramming() { #expect(lp.isEmpty) }
    }

    @Test func aOneHiddenNextToAZeroIsGivenAwayByTheBounds() throws {
        var builder = TableBuilder()
        let table = builder.table([[1, 0, 9], [6, 7, 8], [7, 8, 6]])
        let counts = builder.counts
        let one = table.cells[0][0]
        let zero = table.cells[0][1]
        // The textbook rule hides the 0 beside the 1 (the smallest complement), then a 2×2 block.
        let naiveHidden = smallestComplement(counts, threshold: k)
        #expect(naiveHidden == [one, zero, table.cells[1][0], table.cells[1][1]])
        let naive = view(counts, hidden: naiveHidden, threshold: k, complements: .zeroOrAtLeastThreshold)
        // Subtraction alone does not find it (four unknowns, rank three)…
        #expect(naive.determinedByLinearAlgebra().isEmpty)
        // …but counts are never negative and a <5 cell is at least 1: 1 + 0 = 10 − 9 pins both.
        #expect(naive.determinedByEnumeration().contains(one))
        #expect(naive.determinedByEnumeration().contains(zero))
        if let lp = try naive.determinedByLinearProgramming() { #expect(lp.contains(one)) }

        let outcome = DisclosureControl.protect(counts, threshold: k, keepPublished: [table.grand])
        #expect(outcome.isProtected)
        #expect(outcome.protections[zero] == .published, "a zero is never a complement")
        let safe = view(counts, hidden: hiddenCells(outcome), threshold: k)
        #expect(safe.determinedByLinearAlgebra().isEmpty)
        #expect(safe.determinedByEnumeration().isEmpty)
        #expect((safe.feasibleValues()[one]?.count ?? 0) >= 2)
        if let lp = try safe.determinedByLinearProgramming() { #expect(lp.isEmpty) }
    }

    /// Sex × age and sex × disability share the sex margins and the grand total. Protected one table at a
    /// time, each hides a different complement for the small "not stated" margin; read together, both
    /// complements are published and the small margin follows by subtraction.
    @Test func totalsAcrossTwoLinkedTablesLeakUnlessSuppressedTogether() throws {
        let sex = [30, 45, 3]
        let byAge = [[10, 20], [2, 43], [1, 2]]
        let byDisability = [[2, 28], [10, 35], [0, 3]]

        // Each table on its own (own margin cells), as a per-table method would treat them.
        func alone(_ interior: [[Int]]) -> (TableBuilder, grand: Int, rows: [Int], columns: [Int], cells: [[Int]]) {
            var builder = TableBuilder()
            let grand = builder.counts.add(78)
            let rows = sex.map { builder.counts.add($0) }
            builder.counts.addSum(total: grand, parts: rows)
            let columns = interior[0].indices.map { c in builder.counts.add(interior.reduce(0) { $0 + $1[c] }) }
            builder.counts.addSum(total: grand, parts: columns)
            let cells = builder.twoWay(interior, rows: rows, columns: columns)
            return (builder, grand, rows, columns, cells)
        }
        let a = alone(byAge)
        let b = alone(byDisability)
        let outcomeA = DisclosureControl.protect(a.0.counts, threshold: k, keepPublished: [a.grand])
        let outcomeB = DisclosureControl.protect(b.0.counts, threshold: k, keepPublished: [b.grand])
        #expect(outcomeA.isProtected && outcomeB.isProtected)
        // Each table is safe on its own…
        #expect(view(a.0.counts, hidden: hiddenCells(outcomeA), threshold: k).determinedByEnumeration().isEmpty)
        #expect(view(b.0.counts, hidden: hiddenCells(outcomeB), threshold: k).determinedByEnumeration().isEmpty)
        // …but they hide different sex margins.
        let marginsA = a.rows.map { outcomeA.protections[$0].isHidden }
        let marginsB = b.rows.map { outcomeB.protections[$0].isHidden }
        #expect(marginsA != marginsB)

        // Read together: one set of cells, the shared margins known when either table shows them.
        var joint = TableBuilder()
        let grand = joint.counts.add(78)
        let rows = sex.map { joint.counts.add($0) }
        joint.counts.addSum(total: grand, parts: rows)
        let ageColumns = [13, 65].map { joint.counts.add($0) }
        joint.counts.addSum(total: grand, parts: ageColumns)
        let ageCells = joint.twoWay(byAge, rows: rows, columns: ageColumns)
        let disabilityColumns = [12, 66].map { joint.counts.add($0) }
        joint.counts.addSum(total: grand, parts: disabilityColumns)
        let disabilityCells = joint.twoWay(byDisability, rows: rows, columns: disabilityColumns)
        var mergedHidden = Set<Int>()
        for (r, row) in rows.enumerated() where marginsA[r] && marginsB[r] { mergedHidden.insert(row) }
        for (c, column) in ageColumns.enumerated() where outcomeA.protections[a.columns[c]].isHidden {
            mergedHidden.insert(column)
        }
        for (c, column) in disabilityColumns.enumerated() where outcomeB.protections[b.columns[c]].isHidden {
            mergedHidden.insert(column)
        }
        for (r, row) in ageCells.enumerated() {
            for (c, cell) in row.enumerated() where outcomeA.protections[a.cells[r][c]].isHidden {
                mergedHidden.insert(cell)
            }
        }
        for (r, row) in disabilityCells.enumerated() {
            for (c, cell) in row.enumerated() where outcomeB.protections[b.cells[r][c]].isHidden {
                mergedHidden.insert(cell)
            }
        }
        let merged = view(joint.counts, hidden: mergedHidden, threshold: k)
        let notStated = rows[2]
        #expect(merged.determinedByLinearAlgebra().contains(notStated), "78 − 30 − 45 = 3")
        #expect(merged.determinedByEnumeration().contains(notStated))

        // Suppressed together, a margin is hidden or shown the same way in both tables, and nothing leaks.
        let outcome = DisclosureControl.protect(joint.counts, threshold: k, keepPublished: [grand])
        #expect(outcome.isProtected)
        let safe = view(joint.counts, hidden: hiddenCells(outcome), threshold: k)
        #expect(safe.determinedByLinearAlgebra().isEmpty)
        #expect(safe.determinedByEnumeration().isEmpty)
        if let lp = try safe.determinedByLinearProgramming() { #expect(lp.isEmpty) }
    }

    @Test func twoOnesInALineAreGivenAwayByTheirBoundsAndGetAComplement() throws {
        // 1 + 1 = 2 with each in 1…4: both are 1. The one-hidden-per-line rule alone is not enough.
        var builder = TableBuilder()
        let table = builder.table([[1, 1, 30], [20, 25, 28]])
        let counts = builder.counts
        let primaries = primaryOnly(counts, threshold: k)
        #expect(view(counts, hidden: primaries, threshold: k).determinedByEnumeration().contains(table.cells[0][0]))
        let outcome = DisclosureControl.protect(counts, threshold: k, keepPublished: [table.grand])
        let safe = view(counts, hidden: hiddenCells(outcome), threshold: k)
        #expect(safe.determinedByEnumeration().isEmpty)
        #expect(safe.determinedByLinearAlgebra().isEmpty)
    }

    /// Random small linked tables (three dimensions, every pair, shared margins), many small counts: after
    /// suppression no hidden cell has a single feasible value, every 1…k−1 count is hidden, and no
    /// complement is zero or below k.
    @Test(arguments: 0..<24) func randomLinkedTablesAreSafe(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(1000 + seed))
        let sizes = [2, 2, 3]
        // Persons by all three dimensions, mostly small.
        var joint: [[Int]: Int] = [:]
        for a in 0..<sizes[0] {
            for b in 0..<sizes[1] {
                for c in 0..<sizes[2] { joint[[a, b, c]] = Int.random(in: 0...6, using: &rng) }
            }
        }
        var builder = TableBuilder()
        let grandValue = joint.values.reduce(0, +)
        let grand = builder.counts.add(grandValue)
        var margins: [[Int]] = []
        for d in 0..<3 {
            let cells = (0..<sizes[d]).map { value in
                builder.counts.add(joint.filter { $0.key[d] == value }.values.reduce(0, +))
            }
            builder.counts.addSum(total: grand, parts: cells)
            margins.append(cells)
        }
        for (d1, d2) in [(0, 1), (0, 2), (1, 2)] {
            let interior = (0..<sizes[d1]).map { x in
                (0..<sizes[d2]).map { y in joint.filter { $0.key[d1] == x && $0.key[d2] == y }.values.reduce(0, +) }
            }
            _ = builder.twoWay(interior, rows: margins[d1], columns: margins[d2])
        }
        let counts = builder.counts
        let outcome = DisclosureControl.protect(counts, threshold: k, keepPublished: [grand])
        #expect(outcome.isProtected)
        for (cell, value) in counts.values.enumerated() {
            if (1..<k).contains(value) { #expect(outcome.protections[cell] == .belowThreshold) }
            if outcome.protections[cell] == .complementary { #expect(value >= k) }
        }
        let safe = view(counts, hidden: hiddenCells(outcome), threshold: k)
        #expect(safe.determinedByLinearAlgebra().isEmpty, "seed \(seed)")
        #expect(safe.determinedByEnumeration().isEmpty, "seed \(seed)")
    }

    @Test func aTableThatCannotBeProtectedIsSaidToBeSo() {
        // 1 + 5 = 6 with the total shown: the 1 and its only complement (5, at least the threshold) are
        // both pinned whatever else is hidden.
        var builder = TableBuilder()
        let table = builder.oneWay([1, 5])
        let outcome = DisclosureControl.protect(builder.counts, threshold: k, keepPublished: [table.total])
        #expect(!outcome.isProtected)
    }

    @Test func theCheckerItselfFindsWhatSubtractionGivesAway() {
        // A sanity check of the independent checker on a table with nothing hidden but one cell.
        var builder = TableBuilder()
        let table = builder.table([[2, 8], [9, 11]])
        let counts = builder.counts
        let leaky = view(counts, hidden: [table.cells[0][0]], threshold: k)
        #expect(leaky.determinedByLinearAlgebra() == [table.cells[0][0]])
        #expect(leaky.determinedByEnumeration() == [table.cells[0][0]])
    }
}

@Suite("Linear programs of the disclosure check")
struct LinearProgramTests {
    @Test func boundsOfATwoByTwoBlock() {
        // x0 + x1 = 10, x2 + x3 = 13, x0 + x2 = 7, x1 + x3 = 16, x0 in 1…4, others ≥ 5.
        let equations = [
            LinearProgram.Equation(terms: [(0, 1), (1, 1)], rhs: 10),
            LinearProgram.Equation(terms: [(2, 1), (3, 1)], rhs: 13),
            LinearProgram.Equation(terms: [(0, 1), (2, 1)], rhs: 7),
            LinearProgram.Equation(terms: [(1, 1), (3, 1)], rhs: 16),
        ]
        var program = LinearProgram(
            variableCount: 4, equations: equations, lower: [1, 5, 5, 5], upper: [4, nil, nil, nil])
        #expect(program.isFeasible)
        guard case .optimal(let high) = program.optimize(variable: 0, maximize: true) else {
            Issue.record("expected a bounded maximum")
            return
        }
        guard case .optimal(let low) = program.optimize(variable: 0, maximize: false) else {
            Issue.record("expected a bounded minimum")
            return
        }
        // x0 ≤ 7 − 5 = 2 (x2 ≥ 5), x0 ≥ 1.
        #expect(abs(high[0] - 2) < 1e-9)
        #expect(abs(low[0] - 1) < 1e-9)
    }

    @Test func anUnboundedDirectionAndAnInfeasibleSystem() {
        var open = LinearProgram(
            variableCount: 2, equations: [.init(terms: [(0, 1), (1, -1)], rhs: 3)], lower: [0, 0], upper: [nil, nil])
        #expect(open.optimize(variable: 0, maximize: true) == .unbounded)
        let impossible = LinearProgram(
            variableCount: 2, equations: [.init(terms: [(0, 1), (1, 1)], rhs: 1)], lower: [1, 5], upper: [4, nil])
        #expect(!impossible.isFeasible)
    }
}
