import Foundation

/// Counts published together and the sums that tie them: the cells of linked tables (a two-way table, its
/// one-way margins, other two-way tables sharing those margins, the grand total).
///
/// A cell that appears in several tables is one cell here, so that it is hidden the same way wherever it
/// appears.
public struct LinkedCounts: Sendable {
    /// A total and the cells it adds up.
    public struct Sum: Hashable, Sendable {
        public let total: Int
        public let parts: [Int]
        /// The total first, then the parts.
        public var members: [Int] { [total] + parts }
    }

    /// Each cell's true count.
    public private(set) var values: [Int] = []
    public private(set) var sums: [Sum] = []

    public init() {}

    /// Adds a cell holding `value` and returns its index.
    public mutating func add(_ value: Int) -> Int {
        precondition(value >= 0, "counts are never negative")
        values.append(value)
        return values.count - 1
    }

    /// Records that cell `total` is the sum of cells `parts`.
    public mutating func addSum(total: Int, parts: [Int]) {
        precondition(values[total] == parts.reduce(0) { $0 + values[$1] }, "a total must equal its parts")
        precondition(!parts.contains(total), "a total is not one of its own parts")
        sums.append(Sum(total: total, parts: parts))
    }
}

/// How a cell is published.
public enum CellProtection: UInt8, Hashable, Sendable {
    /// Its count is published.
    case published
    /// Primary suppression: a count from 1 to threshold − 1, shown as `<k`.
    case belowThreshold
    /// Secondary suppression: hidden so that no cell below the threshold can be worked out from the
    /// published cells and totals. Never a zero (a hidden zero would protect nothing), so at least the
    /// threshold.
    case complementary

    /// Whether the count is hidden.
    public var isHidden: Bool { self != .published }
}

/// Primary and secondary cell suppression over linked tables.
///
/// **Primary:** every count from 1 to k − 1 is hidden (shown `<k`, so known to lie in 1…k−1).
/// **Secondary:** more cells are hidden until no hidden cell can be worked out exactly by anyone holding the
/// published counts, every row, column and grand total, and the knowledge that a `<k` cell lies in 1…k−1 and
/// a complementary cell is at least k. First, every sum with exactly one hidden member gets a second one
/// (the smallest published non-zero member, preferring one that does not open a new such sum); then a linear
/// program computes, for every hidden cell, the smallest and largest value it can take; a cell whose
/// interval is narrower than one gets another complement beside it; repeat until none is left. Zeros are
/// never used as complements: hiding a 0 next to a 1 reveals the 1, since the two must add up to the total.
public enum DisclosureControl {
    /// The protection of every cell, and whether all hidden cells are safe.
    public struct Outcome: Sendable {
        public let protections: [CellProtection]
        /// False when no choice of complements could protect every cell: publish only the grand total.
        public let isProtected: Bool
    }

    /// Hides cells of `counts` so that no count from 1 to `threshold − 1` is published or can be worked out.
    ///
    /// - Parameters:
    ///   - keepPublished: cells never chosen as complements (the grand total a report must show).
    ///   - preferPublished: cells chosen as complements only when no other cell will do (the one-way
    ///     margins, which readers use most).
    public static func protect(
        _ counts: LinkedCounts, threshold: Int, keepPublished: Set<Int> = [], preferPublished: Set<Int> = []
    ) -> Outcome {
        precondition(threshold >= 2)
        let values = counts.values
        var protections = values.map { (1..<threshold).contains($0) ? CellProtection.belowThreshold : .published }
        var membership = [[Int]](repeating: [], count: values.count)
        for (index, sum) in counts.sums.enumerated() {
            for member in sum.members { membership[member].append(index) }
        }
        var hiddenCount = counts.sums.map { sum in sum.members.filter { protections[$0].isHidden }.count }

        func hide(_ cell: Int) {
            protections[cell] = .complementary
            for sum in membership[cell] { hiddenCount[sum] += 1 }
        }
        /// Among `candidates`, the published non-zero cell whose hiding costs least: not a preferred cell,
        /// then fewest sums newly left with a single hidden cell (net of those it completes), then the
        /// smallest count.
        func cheapest(_ candidates: [Int], besides sum: Int?) -> Int? {
            var best: (preferred: Int, score: Int, value: Int, cell: Int)?
            for cell in candidates
            where !protections[cell].isHidden && values[cell] > 0 && !keepPublished.contains(cell) {
                var score = 0
                for other in membership[cell] where other != sum {
                    if hiddenCount[other] == 0 { score += 1 } else if hiddenCount[other] == 1 { score -= 1 }
                }
                let key = (preferPublished.contains(cell) ? 1 : 0, score, values[cell], cell)
                if best == nil || key < (best!.preferred, best!.score, best!.value, best!.cell) { best = key }
            }
            return best?.cell
        }

        /// Every cell tied to `cell` through sums, in index order.
        func linked(to cell: Int) -> [Int] {
            var seen: Set<Int> = [cell]
            var queue = [cell]
            while let next = queue.popLast() {
                for sum in membership[next] {
                    for member in counts.sums[sum].members where seen.insert(member).inserted { queue.append(member) }
                }
            }
            return seen.sorted()
        }

        while true {
            // Every sum with one hidden member gets another.
            var changed = true
            while changed {
                changed = false
                for (index, sum) in counts.sums.enumerated() where hiddenCount[index] == 1 {
                    // A sum with one hidden member always has a published non-zero member: its total
                    // (when a part is hidden) or a part (when the total is).
                    guard let cell = cheapest(sum.members, besides: index) else { continue }
                    hide(cell)
                    changed = true
                }
            }
            let exposed = exposedCells(counts, protections: protections, threshold: threshold)
            guard let cell = exposed.first else { return Outcome(protections: protections, isProtected: true) }
            // A complement beside the exposed cell, else anywhere in the tables linked to it.
            let nearby = Array(Set(membership[cell].flatMap { counts.sums[$0].members })).sorted()
            if let complement = cheapest(nearby, besides: nil) ?? cheapest(linked(to: cell), besides: nil) {
                hide(complement)
            } else {
                return Outcome(protections: protections, isProtected: false)
            }
        }
    }

    /// What an attacker knows of a hidden cell: `belowThreshold` lies in 1…k−1, `complementary` is at least
    /// k (it is never 0 and never below k, or it would be a `<k` cell).
    static func bounds(_ protection: CellProtection, threshold: Int) -> (lower: Double, upper: Double?) {
        switch protection {
        case .published: return (0, nil)
        case .belowThreshold: return (1, Double(threshold - 1))
        case .complementary: return (Double(threshold), nil)
        }
    }

    /// The hidden cells whose exact count follows from what is published (their feasible interval, over
    /// the reals, is narrower than 1), in index order.
    public static func exposedCells(_ counts: LinkedCounts, protections: [CellProtection], threshold: Int) -> [Int] {
        let values = counts.values
        let hidden = values.indices.filter { protections[$0].isHidden }
        guard !hidden.isEmpty else { return [] }
        // Group hidden cells that share a sum (union–find): each group is an independent problem.
        var parent = Array(values.indices)
        func root(_ cell: Int) -> Int {
            var cell = cell
            while parent[cell] != cell {
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            }
            return cell
        }
        var relevant: [Int] = []
        for (index, sum) in counts.sums.enumerated() {
            let members = sum.members.filter { protections[$0].isHidden }
            guard let first = members.first else { continue }
            relevant.append(index)
            for other in members.dropFirst() { parent[root(other)] = root(first) }
        }
        var groups: [Int: [Int]] = [:]
        for cell in hidden { groups[root(cell), default: []].append(cell) }
        var exposed: [Int] = []
        for group in groups.values {
            exposed += exposedCells(
                in: group, counts: counts, sums: relevant, protections: protections, threshold: threshold)
        }
        return exposed.sorted()
    }

    private static func exposedCells(
        in group: [Int], counts: LinkedCounts, sums: [Int], protections: [CellProtection], threshold: Int
    ) -> [Int] {
        let values = counts.values
        var variable: [Int: Int] = [:]
        for (index, cell) in group.enumerated() { variable[cell] = index }
        var equations: [LinearProgram.Equation] = []
        for index in sums {
            let sum = counts.sums[index]
            guard sum.members.contains(where: { variable[$0] != nil }) else { continue }
            var terms: [(variable: Int, coefficient: Double)] = []
            var rhs = 0.0
            for (member, coefficient) in [(sum.total, 1.0)] + sum.parts.map({ ($0, -1.0) }) {
                if let v = variable[member] {
                    terms.append((v, coefficient))
                } else {
                    rhs -= coefficient * Double(values[member])
                }
            }
            equations.append(LinearProgram.Equation(terms: terms, rhs: rhs))
        }
        let bounds = group.map { Self.bounds(protections[$0], threshold: threshold) }
        var program = LinearProgram(
            variableCount: group.count, equations: equations, lower: bounds.map(\.lower), upper: bounds.map(\.upper))
        // The true counts satisfy every constraint; a failure here is numerical: treat the group as exposed.
        guard program.isFeasible else { return group }
        let truth = group.map { Double(values[$0]) }
        var free = [Bool](repeating: false, count: group.count)
        func certify(_ vertex: [Double]) {
            for index in vertex.indices where abs(vertex[index] - truth[index]) >= 1 - 1e-6 { free[index] = true }
        }
        var exposed: [Int] = []
        for index in group.indices where !free[index] {
            for maximize in [true, false] where !free[index] {
                switch program.optimize(variable: index, maximize: maximize) {
                case .unbounded: free[index] = true
                case .optimal(let vertex): certify(vertex)
                }
            }
            if !free[index] { exposed.append(group[index]) }
        }
        return exposed
    }
}
