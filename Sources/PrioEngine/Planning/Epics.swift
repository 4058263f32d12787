/// Epics: the stories that have children (`parent: ID` in the children), each rolled up from
/// its children. The one rule for `prio epics`, `prio rank --group parent` and the screen's fold.
public struct EpicRollup: Sendable {
    /// The epic's index in the backlog.
    public var storyIndex: Int
    /// Its children (indices), in rank order, done ones included.
    public var children: [Int]
    /// The children's points (not the epic's own).
    public var points: Fraction
    /// The points of its done children.
    public var donePoints: Fraction
    /// How many children are not done.
    public var openChildren: Int
    /// The sprint in which its last open child lands in the plain forecast (name, last day);
    /// nil when no child is open or one of them cannot be forecast.
    public var forecast: (sprint: String, end: String?)?

    /// Done points over points (nil when the children have no points).
    public var shareDone: Fraction? {
        points > Fraction(0) ? donePoints.divided(by: points) : nil
    }
}

/// Every epic of a backlog, rolled up.
public struct Epics: Sendable {
    /// The epics in rank order (of a ranking that includes done stories).
    public let rollups: [EpicRollup]
    /// The ranking the children are ordered by (done stories included).
    public let ranking: Ranking

    /// Rolls up the epics of a backlog along a strategy, with the plain forecast's sprints when
    /// one is given (`ForecastReport.plain`).
    public init(_ backlog: Backlog, strategy: any Strategy, forecast: ForecastReport?) {
        ranking = Ranking(backlog, strategy: strategy, includeDone: true)
        let children = backlog.childrenByParent()
        var position = [Int](repeating: Int.max, count: backlog.stories.count)
        for (i, entry) in ranking.entries.enumerated() { position[entry.storyIndex] = i }
        var landing: [Int: (number: Int, name: String, end: String?)?] = [:]
        for row in forecast?.rows ?? [] {
            landing[row.storyIndex] = row.sprint.map { (row.sprintNumber ?? Int.max, $0.name, $0.end) }
        }
        let workflow = backlog.workflow
        var rollups: [EpicRollup] = []
        for (epic, members) in children {
            let ordered = members.sorted { (position[$0], $0) < (position[$1], $1) }
            var points = Fraction(0), done = Fraction(0), open = 0
            var last: (number: Int, name: String, end: String?)?
            var unknown = forecast == nil
            for child in ordered {
                let story = backlog.stories[child]
                let childPoints = story.points?.fraction ?? Fraction(0)
                points = points.adding(childPoints) ?? points
                if workflow.isDone(story) {
                    done = done.adding(childPoints) ?? done
                    continue
                }
                open += 1
                guard let found = landing[child], let found else { unknown = true; continue }
                if last.map({ found.number >= $0.number }) ?? true { last = found }
            }
            let landed: (sprint: String, end: String?)? = open == 0 || unknown ? nil : last.map { ($0.name, $0.end) }
            rollups.append(EpicRollup(storyIndex: epic, children: ordered, points: points, donePoints: done,
                                      openChildren: open, forecast: landed))
        }
        self.rollups = rollups.sorted { (position[$0.storyIndex], $0.storyIndex) < (position[$1.storyIndex], $1.storyIndex) }
    }
}

extension Epics {
    /// A run of ranked entries under one epic (nil: the stories in no epic).
    public struct Group: Sendable {
        /// The epic's index in the backlog, nil for the stories that are in no epic.
        public var epic: Int?
        /// The epic's roll-up.
        public var rollup: EpicRollup?
        /// The entries of the group in rank order: the epic itself first when it is among them.
        public var entries: [Ranking.Entry]
    }

    /// Ranked entries grouped by epic (`prio rank --group parent`, the screen's fold): each epic
    /// where its first story ranks, its own entry then its children's; then the stories in no
    /// epic. A child's group is its direct parent.
    public func groups(_ entries: [Ranking.Entry], in backlog: Backlog) -> [Group] {
        var rollupOf: [Int: EpicRollup] = [:]
        for rollup in rollups { rollupOf[rollup.storyIndex] = rollup }
        let indexOf = rollups.isEmpty ? StoryIDMap() : StoryIDMap(indexing: backlog.storyIDs)
        var groups: [Group] = []
        var groupOf: [Int: Int] = [:]
        var loose: [Ranking.Entry] = []
        for entry in entries {
            let story = backlog.stories[entry.storyIndex]
            let epic: Int? = rollupOf[entry.storyIndex] != nil ? entry.storyIndex : story.parent.flatMap { indexOf[$0] }
            guard let epic else {
                loose.append(entry)
                continue
            }
            if let g = groupOf[epic] {
                if epic == entry.storyIndex { groups[g].entries.insert(entry, at: 0) } else { groups[g].entries.append(entry) }
            } else {
                groupOf[epic] = groups.count
                groups.append(Group(epic: epic, rollup: rollupOf[epic], entries: [entry]))
            }
        }
        if !loose.isEmpty { groups.append(Group(epic: nil, rollup: nil, entries: loose)) }
        return groups
    }
}
