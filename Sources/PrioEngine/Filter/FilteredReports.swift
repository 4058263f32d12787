/// What `--where` and `--view` keep of a report: the stories a filter matches, while ranks,
/// medians, plans and agreement figures stay those of the whole backlog.
extension StrategyComparison {
    /// The comparison showing only the rows of flagged stories (by manual index).
    public func keeping(_ keep: [Bool]) -> StrategyComparison {
        var copy = self
        copy.rows = rows.filter { keep[$0.storyIndex] }
        return copy
    }
}

extension ValueEffortMatrix {
    /// The matrix showing only flagged stories (the quadrants still split at the whole backlog's medians).
    public func keeping(_ keep: [Bool]) -> ValueEffortMatrix {
        var copy = self
        copy.points = points.filter { keep[$0.storyIndex] }
        copy.unscored = unscored.filter { keep[$0] }
        copy.tooLarge = tooLarge.filter { keep[$0] }
        return copy
    }
}

extension SprintPlan {
    /// The plan listing only flagged stories above and below the cut line (the plan itself, its
    /// points and its warnings are the whole backlog's).
    public func keeping(_ keep: [Bool]) -> SprintPlan {
        var copy = self
        copy.selected = selected.filter { keep[$0.storyIndex] }
        copy.below = below.filter { keep[$0.storyIndex] }
        return copy
    }
}
