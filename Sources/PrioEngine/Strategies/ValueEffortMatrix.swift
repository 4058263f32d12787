/// The value/effort 2×2: each scored story as a point (effort across, value up), in the
/// quadrant the value-effort strategy gives it (split at the medians of the scored stories:
/// high value at or above the value median, low effort at or below the effort median).
public struct ValueEffortMatrix: Sendable {
    /// The quadrants in reading order: top left, top right, bottom left, bottom right.
    public static let quadrants = ["quick win", "big bet", "fill-in", "money pit"]

    /// One scored story.
    public struct Point: Sendable, Hashable {
        /// The story's index in the backlog.
        public var storyIndex: Int
        public var value: Fraction
        /// Effort, or points where the story has no effort.
        public var effort: Fraction
        /// Its quadrant, one of `quadrants`.
        public var quadrant: String
    }

    /// The scored stories, in value-effort rank order.
    public internal(set) var points: [Point]
    /// Stories left out for lack of a value or an effort (or points), or with numbers too
    /// large to score, in manual order.
    public internal(set) var unscored: [Int]
    /// Those of `unscored` that have both numbers, too large to score.
    public internal(set) var tooLarge: [Int]
    /// The medians the quadrants split at (nil when no story is scored).
    public let valueMedian: Fraction?
    public let effortMedian: Fraction?

    /// The matrix of a backlog; done stories only with `includeDone`, as in every ranking.
    public init(_ backlog: Backlog, includeDone: Bool = false) {
        let ranking = Ranking(backlog, strategy: ValueEffortStrategy(), includeDone: includeDone)
        // Each story's numbers are read once, for the medians and the points alike.
        let inputs = ValueEffortStrategy.scoredInputs(ranking)
        let medians = ValueEffortStrategy.medians(inputs)
        var points: [Point] = []
        if let (valueMedian, effortMedian) = medians {
            points.reserveCapacity(inputs.count)
            for input in inputs {
                let value = input.value.fraction, effort = input.effort.fraction
                points.append(Point(storyIndex: input.storyIndex, value: value, effort: effort,
                                    quadrant: ValueEffortStrategy.quadrant(value: value, effort: effort,
                                                                           valueMedian: valueMedian, effortMedian: effortMedian)))
            }
        }
        var placed = [Bool](repeating: false, count: backlog.stories.count)
        for point in points { placed[point.storyIndex] = true }
        self.points = points
        self.unscored = ranking.entries.map(\.storyIndex).filter { !placed[$0] }.sorted()
        var large = [Bool](repeating: false, count: backlog.stories.count)
        for entry in ranking.entries {
            if case .unscored(let reason) = entry.score, reason == ValueEffortStrategy.tooLarge { large[entry.storyIndex] = true }
        }
        self.tooLarge = unscored.filter { large[$0] }
        self.valueMedian = medians?.0
        self.effortMedian = medians?.1
    }

    /// The points of a quadrant, in rank order.
    public func points(in quadrant: String) -> [Point] {
        points.filter { $0.quadrant == quadrant }
    }

    /// Where each point goes on a grid of `width` × `height` cells: column (effort, low on the
    /// left) and row (value, high at the top), and where the median lines are. Equal values
    /// land on equal cells.
    public func layout(width: Int, height: Int) -> (cells: [(column: Int, row: Int)], medianColumn: Int, medianRow: Int) {
        guard width > 0, height > 0, !points.isEmpty else { return ([], 0, 0) }
        let efforts = points.map(\.effort.doubleValue)
        let values = points.map(\.value.doubleValue)
        let (minE, maxE) = (efforts.min() ?? 0, efforts.max() ?? 0)
        let (minV, maxV) = (values.min() ?? 0, values.max() ?? 0)
        func column(_ e: Double) -> Int {
            maxE > minE ? min(width - 1, Int(((e - minE) / (maxE - minE) * Double(width - 1)).rounded())) : width / 2
        }
        func row(_ v: Double) -> Int {
            maxV > minV ? min(height - 1, Int(((maxV - v) / (maxV - minV) * Double(height - 1)).rounded())) : height / 2
        }
        let cells = zip(efforts, values).map { (column($0), row($1)) }
        return (cells, column(effortMedian?.doubleValue ?? minE), row(valueMedian?.doubleValue ?? minV))
    }
}

extension ValueEffortStrategy {
    /// The quadrant of a story in a value-effort ranking (nil when unscored or without medians).
    public static func quadrant(of story: Story, context: RankingContext?) -> String? {
        guard let context, let vm = context.values["value-median"], let em = context.values["effort-median"],
              let value = story.number(.value), let (effort, _) = story.number(.effort, fallback: .points),
              !effort.isZero, !effort.isNegative else { return nil }
        return quadrant(value: value.fraction, effort: effort.fraction, valueMedian: vm, effortMedian: em)
    }
}
