import Foundation

/// An independent check of published tables, written without Separa's solver: what can someone holding
/// the published counts, the totals and the meaning of each marker work out about every hidden count?
///
/// Three methods, from weakest to strongest attacker knowledge:
/// - linear algebra (exact rationals): a hidden cell is determined when its unit vector lies in the row space
///   of the sums restricted to the hidden cells — subtraction alone recovers it;
/// - integer enumeration: every integer assignment of the hidden cells that satisfies every sum and the
///   markers' bounds (`<k`: 1…k−1; `x`: see ``ComplementKnowledge``), so a cell taking one value only is
///   determined — exact, for small tables;
/// - LP bounds with an outside solver (SciPy's `linprog`), when Python and SciPy are installed.
struct PublishedView {
    /// What a reader knows of one cell.
    enum Cell: Equatable {
        case published(Int)
        /// Shown `<k`: from 1 to k − 1.
        case belowThreshold
        /// Shown `x`.
        case hidden
    }

    /// What a reader knows of an `x` cell.
    enum ComplementKnowledge {
        /// It is at least k (Separa never hides a zero as a complement, and says so).
        case atLeastThreshold
        /// It is 0 or at least k (a method that may hide zeros).
        case zeroOrAtLeastThreshold
    }

    var cells: [Cell]
    /// Each sum: total cell and parts.
    var sums: [(total: Int, parts: [Int])]
    var threshold: Int
    var complements: ComplementKnowledge = .atLeastThreshold
    /// Largest value enumerated for an `x` cell (the search is exact below it).
    var cap: Int

    var hidden: [Int] { cells.indices.filter { !isPublished($0) } }

    func isPublished(_ index: Int) -> Bool {
        if case .published = cells[index] { return true }
        return false
    }

    /// Hidden cells whose unit vector lies in the row space of the sums over hidden cells.
    func determinedByLinearAlgebra() -> [Int] {
        let hidden = self.hidden
        guard !hidden.isEmpty else { return [] }
        let column = Dictionary(uniqueKeysWithValues: hidden.enumerated().map { ($1, $0) })
        var rows: [[Rational]] = []
        for sum in sums {
            var row = [Rational](repeating: .zero, count: hidden.count)
            var any = false
            if let c = column[sum.total] {
                row[c] = row[c] + Rational(1)
                any = true
            }
            for part in sum.parts {
                if let c = column[part] {
                    row[c] = row[c] - Rational(1)
                    any = true
                }
            }
            if any { rows.append(row) }
        }
        // Reduced row echelon form.
        var pivotRow = 0
        var pivots: [(row: Int, column: Int)] = []
        for c in 0..<hidden.count where pivotRow < rows.count {
            guard let r = (pivotRow..<rows.count).first(where: { !rows[$0][c].isZero }) else { continue }
            rows.swapAt(pivotRow, r)
            let inverse = rows[pivotRow][c].reciprocal
            rows[pivotRow] = rows[pivotRow].map { $0 * inverse }
            for other in 0..<rows.count where other != pivotRow && !rows[other][c].isZero {
                let factor = rows[other][c]
                for k in 0..<hidden.count { rows[other][k] = rows[other][k] - factor * rows[pivotRow][k] }
            }
            pivots.append((pivotRow, c))
            pivotRow += 1
        }
        // e_c is in the row space iff some RREF row is exactly e_c.
        return pivots.filter { pivot in
            rows[pivot.row].indices.allSatisfy { $0 == pivot.column || rows[pivot.row][$0].isZero }
        }.map { hidden[$0.column] }.sorted()
    }

    /// The values every hidden cell takes over all integer solutions (exact; `x` cells up to `cap`). Unless
    /// `exhaustive`, the search stops once every hidden cell has shown two values.
    func feasibleValues(exhaustive: Bool = false) -> [Int: Set<Int>] {
        let hidden = self.hidden
        let position = Dictionary(uniqueKeysWithValues: hidden.enumerated().map { ($1, $0) })
        let domains: [[Int]] = hidden.map { cell in
            switch cells[cell] {
            case .belowThreshold: return Array(1..<threshold)
            case .hidden:
                let large = Array(threshold...max(threshold, cap))
                return complements == .atLeastThreshold ? large : [0] + large
            case .published(let value): return [value]
            }
        }
        // Each sum as Σ coefficient·x_hidden = constant.
        var equations: [(terms: [(Int, Int)], constant: Int)] = []
        for sum in sums {
            var terms: [(Int, Int)] = []
            var constant = 0
            for (cell, coefficient) in [(sum.total, 1)] + sum.parts.map({ ($0, -1) }) {
                if let p = position[cell] {
                    terms.append((p, coefficient))
                } else if case .published(let value) = cells[cell] {
                    constant -= coefficient * value
                }
            }
            if !terms.isEmpty { equations.append((terms, constant)) }
        }
        var equationsOf = [[Int]](repeating: [], count: hidden.count)
        for (e, equation) in equations.enumerated() { for (p, _) in equation.terms { equationsOf[p].append(e) } }
        var assignment = [Int?](repeating: nil, count: hidden.count)
        var seen = [Set<Int>](repeating: [], count: hidden.count)
        var done = false

        func consistent(_ e: Int) -> Bool {
            var low = 0
            var high = 0
            var assigned = 0
            for (p, coefficient) in equations[e].terms {
                if let value = assignment[p] {
                    assigned += coefficient * value
                } else {
                    let lo = domains[p].first!
                    let hi = domains[p].last!
                    if coefficient > 0 {
                        low += lo
                        high += hi
                    } else {
                        low -= hi
                        high -= lo
                    }
                }
            }
            let need = equations[e].constant - assigned
            return need >= low && need <= high
        }
        func search(_ index: Int) {
            if done { return }
            if index == hidden.count {
                for p in hidden.indices { seen[p].insert(assignment[p]!) }
                if !exhaustive && seen.allSatisfy({ $0.count >= 2 }) { done = true }
                return
            }
            for value in domains[index] {
                assignment[index] = value
                if equationsOf[index].allSatisfy(consistent) { search(index + 1) }
                if done { break }
            }
            assignment[index] = nil
        }
        search(0)
        var result: [Int: Set<Int>] = [:]
        for (p, cell) in hidden.enumerated() { result[cell] = seen[p] }
        return result
    }

    /// Hidden cells with a single feasible integer value.
    func determinedByEnumeration() -> [Int] {
        feasibleValues().filter { $0.value.count <= 1 }.map(\.key).sorted()
    }

    /// LP bounds of every hidden cell from SciPy (`x` cells relaxed to their convex hull); nil when Python
    /// or SciPy is missing.
    func boundsFromSciPy() throws -> [Int: (Double, Double)]? {
        let hidden = self.hidden
        let position = Dictionary(uniqueKeysWithValues: hidden.enumerated().map { ($1, $0) })
        var rows: [[Double]] = []
        var rhs: [Double] = []
        for sum in sums {
            var row = [Double](repeating: 0, count: hidden.count)
            var constant = 0.0
            var any = false
            for (cell, coefficient) in [(sum.total, 1.0)] + sum.parts.map({ ($0, -1.0) }) {
                if let p = position[cell] {
                    row[p] += coefficient
                    any = true
                } else if case .published(let value) = cells[cell] {
                    constant -= coefficient * Double(value)
                }
            }
            if any {
                rows.append(row)
                rhs.append(constant)
            }
        }
        let bounds: [[Double?]] = hidden.map { cell in
            switch cells[cell] {
            case .belowThreshold: return [1, Double(threshold - 1)]
            default: return [complements == .atLeastThreshold ? Double(threshold) : 0, nil]
            }
        }
        let problem: [String: Any] = [
            "A": rows, "b": rhs, "bounds": bounds.map { $0.map { $0 as Any? ?? NSNull() } },
        ]
        let input = try JSONSerialization.data(withJSONObject: problem)
        let script = """
            import json, sys
            try:
                from scipy.optimize import linprog
            except ImportError:
                print("MISSING"); sys.exit(0)
            p = json.load(sys.stdin)
            n = len(p["bounds"])
            out = []
            for i in range(n):
                res = []
                for sign in (1, -1):
                    c = [0.0] * n
                    c[i] = sign
                    r = linprog(c, A_eq=p["A"] or None, b_eq=p["b"] or None, bounds=[tuple(b) for b in p["bounds"]], method="highs")
                    if r.status == 3:
                        res.append(None)
                    else:
                        res.append(sign * r.fun)
                out.append(res)
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, text != "MISSING",
            let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[Any]]
        else { return nil }
        var result: [Int: (Double, Double)] = [:]
        for (p, pair) in parsed.enumerated() {
            let minimum = (pair[0] as? Double) ?? -Double.infinity
            let maximum = (pair[1] as? Double) ?? Double.infinity
            result[hidden[p]] = (minimum, maximum)
        }
        return result
    }

    /// Hidden cells whose SciPy LP interval holds at most one whole number (nil when SciPy is missing).
    func determinedByLinearProgramming() throws -> [Int]? {
        guard let bounds = try boundsFromSciPy() else { return nil }
        return bounds.filter { (($0.value.0 - 1e-6).rounded(.up)) >= (($0.value.1 + 1e-6).rounded(.down)) }
            .map(\.key).sorted()
    }
}

/// An exact fraction, for the row-space test.
struct Rational: Equatable {
    var numerator: Int
    var denominator: Int

    static let zero = Rational(0)

    init(_ value: Int) {
        numerator = value
        denominator = 1
    }

    init(_ numerator: Int, _ denominator: Int) {
        precondition(denominator != 0)
        let sign = denominator < 0 ? -1 : 1
        let divisor = Self.gcd(abs(numerator), abs(denominator))
        self.numerator = sign * numerator / max(divisor, 1)
        self.denominator = sign * denominator / max(divisor, 1)
    }

    var isZero: Bool { numerator == 0 }
    var reciprocal: Rational { Rational(denominator, numerator) }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    static func + (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    static func - (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)
    }
    static func * (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }
}
