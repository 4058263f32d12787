/// The arithmetic a forecast fills sprints with: exact fractions, or whole numbers of the
/// smallest decimal unit the backlog uses (the same answers, faster).
protocol SprintAmounts {
    associatedtype Amount: Comparable
    var zero: Amount { get }
    /// Every point key: the tree's bound when any story may fit.
    var allKeys: Int32 { get }
    /// Story `i`'s points, nil when it has none.
    func points(_ i: Int) -> Amount?
    /// How many distinct point values are at most `limit` (the tree's bound for what fits).
    func keysAtMost(_ limit: Amount) -> Int32
    /// `a + b`, nil when too large.
    func sum(_ a: Amount, _ b: Amount) -> Amount?
    /// `a - b`, nil when too large.
    func difference(_ a: Amount, _ b: Amount) -> Amount?
    /// The declared capacity of future sprint `k`, when it is a declared one with a capacity.
    func capacity(at k: Int) -> Amount?
    /// The points already in future sprint `k` (zero on the cadence).
    func committed(at k: Int) -> Amount
    /// True when future sprint `k` is one of the timeline's (not on the cadence).
    func isUpcoming(_ k: Int) -> Bool
    /// The amount as a fraction of points.
    func fraction(_ a: Amount) -> Fraction
}

/// Exact fractions: the plain forecast.
struct FractionAmounts: SprintAmounts {
    let graph: PlanningGraph
    let names: FutureSprintNames
    var zero: Fraction { Fraction(0) }
    var allKeys: Int32 { graph.keysAtMost(nil) }
    func points(_ i: Int) -> Fraction? { graph.points[i]?.fraction }
    func keysAtMost(_ limit: Fraction) -> Int32 { graph.keysAtMost(limit) }
    func sum(_ a: Fraction, _ b: Fraction) -> Fraction? { a.adding(b) }
    func difference(_ a: Fraction, _ b: Fraction) -> Fraction? {
        b.numerator == Int128.min ? nil : a.adding(Fraction(numerator: -b.numerator, denominator: b.denominator))
    }
    func capacity(at k: Int) -> Fraction? { names.capacity(at: k) }
    func committed(at k: Int) -> Fraction { names.committed(at: k) }
    func isUpcoming(_ k: Int) -> Bool { k < names.upcoming.count }
    func fraction(_ a: Fraction) -> Fraction { a }
}

/// Whole numbers of 10^-scale points: every story's points, declared capacity and drawn
/// velocity of a Monte Carlo forecast are exact decimals, so at their largest scale they
/// are integers; sums and comparisons are then plain integer operations, and what fits a
/// remaining capacity is a table lookup.
struct WholeAmounts: SprintAmounts {
    let scale: Int
    private let unit: Int128
    /// Per story: its points in units, -1 without points.
    private let storyPoints: [Int64]
    /// Per amount from 0: how many distinct point values are at most it.
    private let fitTable: [Int32]
    let allKeys: Int32
    private let declared: [Int64?]
    private let committedUnits: [Int64]

    var zero: Int64 { 0 }

    /// The units for a graph and the amounts `extra` (velocities) that must be whole too; nil
    /// when some value is not a whole number of units or the table would be too large.
    init?(graph: PlanningGraph, names: FutureSprintNames, extra: [Fraction]) {
        var scale = 0
        for p in graph.points { if let p { scale = max(scale, p.scale) } }
        for sprint in names.upcoming {
            if let c = sprint.sprint.capacity { scale = max(scale, c.scale) }
        }
        guard scale <= 6, let unit = pow10(scale) else { return nil }
        self.scale = scale
        self.unit = unit
        func whole(_ f: Fraction) -> Int64? {
            let (n, overflow) = f.numerator.multipliedReportingOverflow(by: unit)
            guard !overflow, n % f.denominator == 0 else { return nil }
            return Int64(exactly: n / f.denominator)
        }
        var storyPoints = [Int64](repeating: -1, count: graph.points.count)
        for (i, p) in graph.points.enumerated() {
            guard let p else { continue }
            guard let w = whole(p.fraction), w >= 0 else { return nil }
            storyPoints[i] = w
        }
        var declared: [Int64?] = []
        var committedUnits: [Int64] = []
        for sprint in names.upcoming {
            if let c = sprint.capacity {
                guard let w = whole(c) else { return nil }
                declared.append(w)
            } else {
                declared.append(nil)
            }
            guard let w = whole(sprint.committed) else { return nil }
            committedUnits.append(w)
        }
        var largest: Int64 = 0
        for value in extra {
            guard let w = whole(value) else { return nil }
            largest = max(largest, w)
        }
        for case let c? in declared { largest = max(largest, c) }
        guard largest < 1 << 20 else { return nil }
        let distinct = graph.distinctPoints.compactMap(whole)
        guard distinct.count == graph.distinctPoints.count else { return nil }
        var table = [Int32](repeating: 0, count: Int(largest) + 1)
        var k = 0
        for amount in 0...Int(largest) {
            while k < distinct.count && distinct[k] <= Int64(amount) { k += 1 }
            table[amount] = Int32(k)
        }
        self.storyPoints = storyPoints
        self.fitTable = table
        self.allKeys = Int32(distinct.count)
        self.declared = declared
        self.committedUnits = committedUnits
    }

    /// A fraction in units (it must be whole).
    func units(_ f: Fraction) -> Int64 {
        Int64((f.numerator * unit) / f.denominator)
    }

    func points(_ i: Int) -> Int64? {
        let p = storyPoints[i]
        return p < 0 ? nil : p
    }

    func keysAtMost(_ limit: Int64) -> Int32 {
        if limit < 0 { return 0 }
        return limit < fitTable.count ? fitTable[Int(limit)] : allKeys
    }

    func sum(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : r
    }

    func difference(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : r
    }

    func capacity(at k: Int) -> Int64? { k < declared.count ? declared[k] : nil }

    func committed(at k: Int) -> Int64 { k < committedUnits.count ? committedUnits[k] : 0 }

    func isUpcoming(_ k: Int) -> Bool { k < declared.count }

    func fraction(_ a: Int64) -> Fraction { Fraction(numerator: Int128(a), denominator: unit) }
}
