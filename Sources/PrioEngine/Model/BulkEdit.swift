/// Changing many stories at once: `prio set` with several IDs or `--where`, and the screen's
/// marked stories. All or nothing: a value one story refuses changes no story.
extension Backlog {
    /// What a bulk change did: the stories it changed (manual indices) and how many it was asked to change.
    public struct BulkChange: Sendable, Equatable {
        /// The indices of the stories whose text changed.
        public var changed: [Int]
        /// How many stories the change was applied to (some may have held the values already).
        public var asked: Int
    }

    /// Sets `assignments` (`key`, `value`; an empty value removes the field) on the stories at
    /// `indices`, each as `prio set` sets one (`Story.setField(_:_:in:)`). Throws, leaving the
    /// backlog as it was, when any story refuses a value or would break a dependency; the
    /// message names the story.
    public mutating func set(_ assignments: [(key: String, value: String)], at indices: [Int]) throws(PrioError) -> BulkChange {
        var next = self
        let workflow = next.workflow
        // One story says its problem as `prio set ID` always has; several name the story.
        let single = Set(indices).count == 1
        let touchesDependencies = assignments.contains { [.depends, .parent].contains(FieldKey.canonical($0.key)) }
        var changed: [Int] = []
        var seen = Set<Int>()
        for index in indices where next.stories.indices.contains(index) && seen.insert(index).inserted {
            let before = next.stories[index]
            do throws(FieldProblem) {
                try next.update(at: index) { (story: inout Story) throws(FieldProblem) in
                    for (key, value) in assignments { try story.setField(key, value, in: workflow) }
                }
            } catch {
                throw single ? PrioError(error.message) : PrioError(lines: ["\(before.id): \(error.message)", "nothing was written"])
            }
            if next.stories[index] != before { changed.append(index) }
        }
        if touchesDependencies {
            for index in changed {
                if let problem = next.dependencyProblem(of: next.stories[index]) {
                    throw PrioError(lines: [problem, "nothing was written"])
                }
            }
        }
        self = next
        return BulkChange(changed: changed, asked: seen.count)
    }
}
