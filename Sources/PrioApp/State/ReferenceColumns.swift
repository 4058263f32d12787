import PrioEngine

/// The header strategy's rank and score of every story, by manual position: the manual order
/// opens with them as columns, so the "why" is there from the first frame.
///
/// Kept as two flat arrays (no `Ranking`, which would hold a copy of the backlog and make every
/// edit copy it): a J/K swap patches them in O(1); any other edit drops them until the next frame.
struct ReferenceColumns: Sendable {
    /// The strategy (the header's).
    var strategy: any Strategy
    /// Rank by story index; 0 for a story the ranking leaves out (done).
    var ranks: [Int32]
    var scores: [Score]
    /// What the strategy's explanations need (medians), which no reorder changes.
    var context: RankingContext?

    init(_ backlog: Backlog, strategy: any Strategy) {
        self.strategy = strategy
        let ranking = Ranking(backlog, strategy: strategy)
        ranks = [Int32](repeating: 0, count: backlog.stories.count)
        scores = [Score](repeating: .none, count: backlog.stories.count)
        for entry in ranking.entries {
            ranks[entry.storyIndex] = Int32(entry.rank)
            scores[entry.storyIndex] = entry.score
        }
        context = ranking.context
    }

    /// Follows a swap of two neighbours in the manual order: each keeps its rank, unless the two
    /// are tied, when the manual order (the tie-break) gives the earlier one the better rank.
    mutating func swap(_ a: Int, _ b: Int) {
        guard ranks.indices.contains(a), ranks.indices.contains(b) else { return }
        ranks.swapAt(a, b)
        scores.swapAt(a, b)
        if ranks[a] > 0, ranks[b] > 0, scores[a].fraction == scores[b].fraction, (ranks[a] < ranks[b]) != (a < b) {
            ranks.swapAt(a, b)
        }
    }
}

extension AppState {
    /// The header's strategy when it is a computed one (not manual), as an index.
    var headerStrategyIndex: Int? {
        guard let name = backlog.header.strategy, let index = document.strategies.index(named: name),
              !(document.strategies.all[index] is ManualStrategy) else { return nil }
        return index
    }

    /// Keeps the reference columns and the positions by ID in step with an edit: patched for a
    /// swap (O(1), so J/K stay fast at 100,000 stories), dropped otherwise.
    mutating func updateReference(after edit: Edit) {
        if case .swap(let a, let b) = edit {
            derived.reference?.swap(a, b)
            if derived.positions != nil, backlog.stories.indices.contains(a), backlog.stories.indices.contains(b) {
                let (idA, idB) = (backlog.stories[a].id, backlog.stories[b].id)
                derived.positions?.update(idA, to: b)
                derived.positions?.update(idB, to: a)
            }
        } else {
            derived.reference = nil
            derived.positions = nil
        }
    }

    /// The dependencies of the story at manual position `index` that come after it in the manual
    /// order and are not done: the order cannot be worked as it stands.
    func waitsBelow(_ index: Int) -> [StoryID] {
        let story = backlog.stories[index]
        guard !story.dependencies.isEmpty, let positions = derived.positions else { return [] }
        let workflow = backlog.workflow
        return story.dependencies.filter { id in
            guard let position = positions[id], position > index else { return false }
            return !workflow.isDone(backlog.stories[position])
        }
    }
}
