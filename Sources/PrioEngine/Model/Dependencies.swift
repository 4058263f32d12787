/// The rules for `depends`: what a story may depend on, and the cycles that make planning impossible.
extension Backlog {
    /// What is wrong with a story's dependencies if it were put into this backlog (replacing the
    /// story with its ID, or added): a dependency on itself, on a story that is not there, or one
    /// that closes a cycle (named). Nil when the story may be saved. The one check for `set`,
    /// `add`, import, the form and the external editor.
    public func dependencyProblem(of story: Story) -> String? {
        if let problem = parentProblem(of: story) { return problem }
        guard !story.dependencies.isEmpty else { return nil }
        var index: [StoryID: Int] = [:]
        index.reserveCapacity(stories.count)
        for (i, other) in stories.enumerated() { index[other.id] = i }
        for dependency in story.dependencies {
            if dependency == story.id { return "\(story.id) cannot depend on itself" }
            if index[dependency] == nil { return "\(story.id) depends on \(dependency), which is not in the backlog" }
        }
        if let cycle = cycle(through: story, index: index) {
            return "\(cycle.path.first.map(\.description) ?? "") would close a dependency cycle: "
                + cycle.path.map(\.description).joined(separator: " → ")
        }
        return nil
    }

    /// A cycle that runs through `story` (its dependencies as given, the others' as in the backlog).
    func cycle(through story: Story, index: [StoryID: Int]) -> DependencyCycle? {
        func dependencies(of id: StoryID) -> [StoryID] {
            if id == story.id { return story.dependencies }
            return index[id].map { stories[$0].dependencies } ?? []
        }
        // Breadth-first from the story's dependencies back to the story, keeping who led where.
        var cameFrom: [StoryID: StoryID] = [:]
        var queue: [StoryID] = []
        for dependency in story.dependencies where cameFrom[dependency] == nil {
            cameFrom[dependency] = story.id
            queue.append(dependency)
        }
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            if current == story.id {
                var path = [story.id]
                var step = cameFrom[story.id]
                while let id = step, id != story.id {
                    path.append(id)
                    step = cameFrom[id]
                }
                path.append(story.id)
                return DependencyCycle(path: Array(path.reversed()))
            }
            for next in dependencies(of: current) where cameFrom[next] == nil {
                cameFrom[next] = current
                queue.append(next)
            }
        }
        return nil
    }

    /// Every dependency cycle in the backlog (done stories included), each reported once, from
    /// the story that comes first in the file (the same search planning uses).
    public func dependencyCycles() -> [DependencyCycle] {
        PlanningGraph(self).cycles(includingDone: true, first: false)
    }
}

extension Backlog {
    /// Each dependency cycle as an error located at the `depends` line of its first story (for
    /// `prio check`; plan and forecast name the cycle too).
    public func cycleDiagnostics(path: String) -> [Diagnostic] {
        dependencyCycles().map { cycle in
            var line = 1
            var column = 1
            if let first = cycle.path.first, let index = index(of: first) {
                let story = stories[index]
                let field = story.fields.first { $0.canonicalKey == .depends }
                if let offset = field?.source?.range.lowerBound ?? story.headingSource?.range.lowerBound, offset <= source.count {
                    line = unsafe 1 + source.withBytes { unsafe $0[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
                    column = 1
                }
            }
            return Diagnostic(.error, at: SourceLocation(path: path, line: line, column: column),
                              "\(cycle) (a story cannot wait for itself; remove one of these depends)")
        }
    }
}
