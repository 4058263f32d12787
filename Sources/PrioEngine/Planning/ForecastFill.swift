/// The one rule of the forecast: filling sprint after sprint along a prepared order.
extension ForecastModel {
    /// What one fill took: the stories in the order taken, where each sprint's stories end, each
    /// sprint's points, and which sprints hold one story larger than their capacity.
    struct Filled {
        var taken: [Int32] = []
        var sprintEnds: [Int] = []
        var sprintPoints: [Fraction] = []
        var alone: [Bool] = []
    }

    /// The one rule of the forecast, in any arithmetic and with any index of the available
    /// stories that give the same answers: fills sprint after sprint along the prepared order,
    /// starting from `state` (as the preparation left it) and leaving in it what the fill
    /// planned; `state.reset()` makes it ready for another fill.
    func fill<A: SprintAmounts, Index: AvailableStories>(prepared: Prepared, state: FillState<Index>, amounts: A,
                                                         velocity: A.Amount, maxSprints: Int,
                                                         draw: (() -> A.Amount)?) -> Filled {
        let g = graph
        let planned = unsafe state.planned
        let unplanned = unsafe state.unplanned
        let candidates = prepared.candidates
        let dependentStart = prepared.dependentStart
        let dependents = prepared.dependents
        let m = candidates.count

        var filled = Filled()
        filled.taken.reserveCapacity(min(m, 4_096))
        var left = m
        // Locals while the fill runs (a class's properties would be checked for exclusive
        // access on every change); the logs go back to the state at the end.
        var available = state.start
        var plannedLog = state.takePlannedLog()
        var unplannedLog = state.takeUnplannedLog()
        defer { state.keep(plannedLog: plannedLog, unplannedLog: unplannedLog) }
        /// Takes candidate `p` (story `i`) into the sprint being filled: the stories waiting for
        /// it become available once their last dependency is planned.
        func take(_ p: Int, _ i: Int) {
            filled.taken.append(Int32(i))
            left -= 1
            available.remove(p, key: g.pointKey[i])
            let s = Int(g.slot[i])
            guard unsafe !planned[s] else { return }
            unsafe planned[s] = true
            plannedLog.append(Int32(s))
            for k in Int(dependentStart[s])..<Int(dependentStart[s + 1]) {
                let q = Int(dependents[k])
                unsafe unplanned[q] -= 1
                unplannedLog.append(Int32(q))
                if unsafe unplanned[q] == 0 { available.insert(q, key: g.pointKey[Int(candidates[q])]) }
            }
        }
        let zero = amounts.zero
        while left > 0 && filled.sprintEnds.count < maxSprints && (velocity > zero || amounts.isUpcoming(filled.sprintEnds.count)) {
            // Declared capacities stay; the velocity (or a drawn one) elsewhere; what is already
            // in a sprint counts first.
            let k = filled.sprintEnds.count
            let upcoming = amounts.isUpcoming(k)
            let full = amounts.capacity(at: k) ?? draw?() ?? velocity
            let committed = amounts.committed(at: k)
            let capacity = committed == zero ? full : max(zero, amounts.difference(full, committed) ?? zero)
            // The best-ranked story ready to go that is larger than an empty sprint goes alone in it.
            if committed == zero, capacity > zero, let p = available.first(from: 0, below: MinKeyTree.none),
               let points = amounts.points(Int(candidates[p])), points > capacity {
                take(p, Int(candidates[p]))
                filled.sprintEnds.append(filled.taken.count)
                filled.sprintPoints.append(amounts.fraction(points))
                filled.alone.append(true)
                continue
            }
            var used = zero
            var fits = amounts.keysAtMost(capacity)
            var cursor = 0
            var progress = false
            let first = filled.taken.count
            while true {
                guard let p = available.first(from: cursor, below: fits) else {
                    // The end of a pass: another one when this one took something.
                    guard progress else { break }
                    progress = false
                    cursor = 0
                    continue
                }
                cursor = p + 1
                let i = Int(candidates[p])
                // The index's test is exact; this one is the rule itself (it also refuses sums
                // too large to add).
                guard let points = amounts.points(i), let total = amounts.sum(used, points), total <= capacity else { continue }
                used = total
                progress = true
                take(p, i)
                fits = amounts.difference(capacity, used).map { amounts.keysAtMost($0) } ?? amounts.allKeys
            }
            if filled.taken.count == first {
                // A sprint of the timeline that takes nothing (full already, a holiday) stays
                // empty, and so does a drawn sprint of 0; on the cadence, nothing taken means
                // nothing can be.
                guard upcoming || (capacity == zero && draw != nil) else { break }
            }
            filled.sprintEnds.append(filled.taken.count)
            filled.sprintPoints.append(amounts.fraction(used))
            filled.alone.append(false)
        }
        return filled
    }
}

/// The buffers a fill changes, kept for many fills from one preparation: a fill logs what it
/// changes, and `reset` undoes exactly that, so the Monte Carlo forecast's ten thousand trials
/// do not copy the backlog's arrays ten thousand times. One per thread.
// Safe to use: it allocates and frees its own buffers and checks every index it is given.
@safe final class FillState<Index: AvailableStories> {
    /// Per ID slot: planned (done, in an open sprint, or taken).
    let planned: UnsafeMutableBufferPointer<Bool>
    /// Per candidate: its dependencies not planned yet.
    let unplanned: UnsafeMutableBufferPointer<Int32>
    /// The stories ready to go as the preparation left them: each fill changes a copy.
    let start: Index
    /// The slots a fill planned and the candidates whose count it lowered, once per change.
    private var plannedLog: [Int32] = []
    private var unplannedLog: [Int32] = []

    init(prepared: ForecastModel.Prepared, available: Index) {
        unsafe planned = UnsafeMutableBufferPointer<Bool>.allocate(capacity: prepared.planned.count)
        _ = unsafe planned.initialize(from: prepared.planned)
        unsafe unplanned = UnsafeMutableBufferPointer<Int32>.allocate(capacity: prepared.unplanned.count)
        _ = unsafe unplanned.initialize(from: prepared.unplanned)
        start = available
    }

    /// The logs, for a fill to append to (their storage is reused from fill to fill).
    func takePlannedLog() -> [Int32] {
        var log: [Int32] = []
        swap(&log, &plannedLog)
        return log
    }

    func takeUnplannedLog() -> [Int32] {
        var log: [Int32] = []
        swap(&log, &unplannedLog)
        return log
    }

    /// What a fill changed, for `reset`.
    func keep(plannedLog: [Int32], unplannedLog: [Int32]) {
        self.plannedLog = plannedLog
        self.unplannedLog = unplannedLog
    }

    deinit {
        unsafe planned.deallocate()
        unsafe unplanned.deallocate()
    }

    /// Back to the state of the preparation.
    func reset() {
        for s in plannedLog { unsafe planned[Int(s)] = false }
        for q in unplannedLog { unsafe unplanned[Int(q)] += 1 }
        plannedLog.removeAll(keepingCapacity: true)
        unplannedLog.removeAll(keepingCapacity: true)
    }
}
