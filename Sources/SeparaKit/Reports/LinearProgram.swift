import Foundation

/// A small dense simplex solver for the disclosure check: the interval an attacker can narrow a hidden count
/// to, given the published counts, the sums that tie them, and bounds on every hidden count.
///
/// Written here rather than taken from a library because no LP solver is among Separa's dependencies and
/// the problems are small (the hidden cells of one period's tables, a few hundred variables at most). Two
/// phases on one tableau; Dantzig's rule, falling back to Bland's rule when degenerate pivots stall the
/// objective, so it always terminates. One feasible basis is found once and reused as the warm start for
/// every objective.
struct LinearProgram {
    /// One equation `Σ coefficient·x = rhs` over the variables.
    struct Equation {
        var terms: [(variable: Int, coefficient: Double)]
        var rhs: Double
    }

    /// How an optimisation ended.
    enum Outcome: Equatable {
        /// An optimal vertex: the value of every variable.
        case optimal([Double])
        /// The objective grows without bound.
        case unbounded
    }

    static let epsilon = 1e-9

    let variableCount: Int
    private let lower: [Double]
    private var rowCount: Int
    private let columnCount: Int
    /// Row-major, `columnCount + 1` entries per row; the last is the right-hand side.
    private var tableau: [Double]
    private var basis: [Int]
    private var enterable: [Bool]
    /// Whether the equations can be met at all within the bounds.
    private(set) var isFeasible = false

    /// Sets up `equations` with `lower[i] ≤ x[i] ≤ upper[i]` (`upper` nil: no upper bound) and finds a
    /// feasible basis.
    init(variableCount: Int, equations: [Equation], lower: [Double], upper: [Double?]) {
        self.variableCount = variableCount
        self.lower = lower
        // Shift x = y + lower so that y ≥ 0; add a slack row y + s = upper − lower per finite upper bound.
        let bounded = upper.indices.filter { upper[$0] != nil }
        let equationCount = equations.count
        rowCount = equationCount + bounded.count
        let slackStart = variableCount
        let artificialStart = slackStart + bounded.count
        columnCount = artificialStart + equationCount
        let width = columnCount + 1
        tableau = [Double](repeating: 0, count: rowCount * width)
        basis = [Int](repeating: 0, count: rowCount)
        enterable = [Bool](repeating: true, count: columnCount)
        for (row, equation) in equations.enumerated() {
            var rhs = equation.rhs
            for term in equation.terms { rhs -= term.coefficient * lower[term.variable] }
            let sign: Double = rhs < 0 ? -1 : 1
            for term in equation.terms { tableau[row * width + term.variable] += sign * term.coefficient }
            tableau[row * width + columnCount] = sign * rhs
            tableau[row * width + artificialStart + row] = 1
            basis[row] = artificialStart + row
        }
        for (offset, variable) in bounded.enumerated() {
            let row = equationCount + offset
            tableau[row * width + variable] = 1
            tableau[row * width + slackStart + offset] = 1
            tableau[row * width + columnCount] = max(0, upper[variable]! - lower[variable])
            basis[row] = slackStart + offset
        }
        // Phase 1: minimise the sum of the artificial variables.
        var cost = [Double](repeating: 0, count: columnCount)
        for column in artificialStart..<columnCount { cost[column] = 1 }
        _ = optimize(cost)
        var infeasibility = 0.0
        for row in 0..<rowCount where basis[row] >= artificialStart {
            infeasibility += tableau[row * width + columnCount]
        }
        isFeasible = infeasibility < 1e-7
        // Drive artificial variables out of the basis where possible; rows where it is not are redundant.
        for row in 0..<rowCount where basis[row] >= artificialStart {
            if let column = (0..<artificialStart).first(where: { abs(tableau[row * width + $0]) > 1e-9 }) {
                pivot(row: row, column: column)
            }
        }
        for column in artificialStart..<columnCount { enterable[column] = false }
    }

    /// Maximises (`maximize: true`) or minimises variable `target`, starting from the current basis.
    mutating func optimize(variable target: Int, maximize: Bool) -> Outcome {
        var cost = [Double](repeating: 0, count: columnCount)
        cost[target] = maximize ? -1 : 1
        guard optimize(cost) else { return .unbounded }
        return .optimal(vertex())
    }

    /// The current basic solution in the original variables.
    func vertex() -> [Double] {
        let width = columnCount + 1
        var values = lower
        for row in 0..<rowCount where basis[row] < variableCount {
            values[basis[row]] += tableau[row * width + columnCount]
        }
        return values
    }

    /// Minimises `cost · columns` from the current basis; false when unbounded.
    private mutating func optimize(_ cost: [Double]) -> Bool {
        let width = columnCount + 1
        // Reduced costs: d = c − c_B · T.
        var reduced = cost + [0]
        for row in 0..<rowCount {
            let c = cost[basis[row]]
            if c == 0 { continue }
            for column in 0...columnCount {
                let value = tableau[row * width + column]
                if value != 0 { reduced[column] -= c * value }
            }
        }
        var stalled = 0
        var useBland = false
        var lastObjective = -reduced[columnCount]
        while true {
            var entering = -1
            if useBland {
                entering = (0..<columnCount).first { enterable[$0] && reduced[$0] < -Self.epsilon } ?? -1
            } else {
                var best = -Self.epsilon
                for column in 0..<columnCount where enterable[column] && reduced[column] < best {
                    best = reduced[column]
                    entering = column
                }
            }
            if entering < 0 { return true }
            var leaving = -1
            var bestRatio = Double.infinity
            for row in 0..<rowCount {
                let a = tableau[row * width + entering]
                guard a > Self.epsilon else { continue }
                let ratio = tableau[row * width + columnCount] / a
                if ratio < bestRatio - Self.epsilon
                    || (abs(ratio - bestRatio) <= Self.epsilon && leaving >= 0 && basis[row] < basis[leaving])
                {
                    bestRatio = ratio
                    leaving = row
                }
            }
            if leaving < 0 { return false }
            let nonzero = pivot(row: leaving, column: entering)
            let factor = reduced[entering]
            if factor != 0 {
                for column in nonzero { reduced[column] -= factor * tableau[leaving * width + column] }
                reduced[entering] = 0
            }
            let objective = -reduced[columnCount]
            if objective < lastObjective - Self.epsilon {
                stalled = 0
                lastObjective = objective
            } else {
                stalled += 1
                if stalled > 50 { useBland = true }
            }
        }
    }

    /// Pivots on (`row`, `column`); returns the columns where the pivot row is not zero.
    @discardableResult
    private mutating func pivot(row: Int, column: Int) -> [Int] {
        let width = columnCount + 1
        let pivotValue = tableau[row * width + column]
        let rows = rowCount
        return tableau.withUnsafeMutableBufferPointer { t -> [Int] in
            let pivotRow = row * width
            // The tableau is sparse: update only the pivot row's non-zero columns.
            var nonzero: [Int] = []
            nonzero.reserveCapacity(width)
            for index in 0..<width where t[pivotRow + index] != 0 {
                t[pivotRow + index] /= pivotValue
                nonzero.append(index)
            }
            t[pivotRow + column] = 1
            for other in 0..<rows where other != row {
                let otherRow = other * width
                let factor = t[otherRow + column]
                if factor == 0 { continue }
                for index in nonzero { t[otherRow + index] -= factor * t[pivotRow + index] }
                t[otherRow + column] = 0
            }
            basis[row] = column
            return nonzero
        }
    }
}
