extension GitRepository {
    /// The backlog at a revision (`HEAD`, a commit, a branch), or why not.
    public func backlog(at revision: String, path relativePath: String) throws(PrioError) -> Backlog {
        guard let run = git("show", "\(revision):\(relativePath)") else { throw PrioError("git could not be run") }
        guard run.status == 0 else {
            throw PrioError("\(relativePath) is not in \(revision): \(run.stderr.split(separator: "\n").first.map(String.init) ?? "git show failed")")
        }
        do {
            return try BacklogParser.parse(run.stdout, path: "\(revision):\(relativePath)", resolveDependencies: false).backlog
        } catch {
            throw PrioError(error.errors.first?.description ?? "\(revision):\(relativePath) does not read as a backlog")
        }
    }

    /// Many objects (`COMMIT:PATH`) through one `git cat-file --batch`: their bytes, nil where missing.
    public func objects(_ names: [String]) -> [[UInt8]?] {
        guard !names.isEmpty else { return [] }
        let input = Array((names.joined(separator: "\n") + "\n").utf8)
        guard let run = git("cat-file", "--batch", input: input), run.status == 0 else { return names.map { _ in nil } }
        var results: [[UInt8]?] = []
        let bytes = run.stdout
        var i = 0
        while i < bytes.count && results.count < names.count {
            guard let end = bytes[i...].firstIndex(of: 0x0A) else { break }
            let header = String(decoding: bytes[i..<end], as: UTF8.self)
            i = end + 1
            let parts = header.split(separator: " ")
            if parts.count == 3, let size = Int(parts[2]), i + size <= bytes.count {
                results.append(Array(bytes[i..<(i + size)]))
                i += size + 1  // the object, then a newline
            } else {
                results.append(nil)  // "NAME missing"
            }
        }
        while results.count < names.count { results.append(nil) }
        return results
    }
}

/// One story's history: each commit that changed it, or changed its rank.
public struct StoryHistory: Sendable {
    /// One commit in the history.
    public struct Step: Sendable {
        public var commit: String
        public var author: String
        public var date: String
        public var subject: String
        public var changes: [BacklogDiff.Change]
        /// Manual position (1-based) before and after; nil where the story was not in the file.
        public var position: (from: Int?, to: Int?)
        public var rank: (from: Int?, to: Int?)
        /// When the rank changed while the story did not: the stories whose changes moved it.
        public var movedBy: [StoryID]
    }

    public let id: StoryID
    public let strategy: any Strategy
    /// Newest first, as `git log` lists them.
    public let steps: [Step]

    /// Reads the history of `id` in the file at `relativePath`, following first parents.
    public init(_ repository: GitRepository, path relativePath: String, id: StoryID,
                strategy name: String?) throws(PrioError) {
        self.id = id
        guard let log = repository.git("log", "--first-parent", "--format=%H%x09%an%x09%ad%x09%s", "--date=short", "--", relativePath),
              log.status == 0 else {
            throw PrioError("git log failed for \(relativePath)")
        }
        let commits = log.text.split(separator: "\n").map { line -> [String] in
            line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        }.filter { $0.count == 4 }
        // Every version and its first parent's, read in one batch.
        var names: [String] = []
        for commit in commits { names += ["\(commit[0]):\(relativePath)", "\(commit[0])^:\(relativePath)"] }
        let blobs = repository.objects(names)
        var parsed: [[UInt8]: Backlog] = [:]
        func backlog(_ bytes: [UInt8]?) -> Backlog? {
            guard let bytes else { return nil }
            if let cached = parsed[bytes] { return cached }
            guard let value = try? BacklogParser.parse(bytes, path: relativePath, resolveDependencies: false).backlog else { return nil }
            parsed[bytes] = value
            return value
        }
        // The strategy: as named, else the newest version's header default.
        let newest = backlog(blobs.first ?? nil)
        let catalogue = newest?.strategies ?? StrategyCatalogue()
        let chosen = name ?? newest?.header.strategy ?? "manual"
        guard let strategy = catalogue.strategy(named: chosen) else { throw PrioError("unknown strategy '\(chosen)'") }
        self.strategy = strategy
        var steps: [Step] = []
        for (n, commit) in commits.enumerated() {
            let after = backlog(blobs[2 * n]), before = backlog(blobs[2 * n + 1])
            let a = before?.story(id), b = after?.story(id)
            guard a != nil || b != nil else { continue }
            let changes: [BacklogDiff.Change]
            switch (a, b) {
            case let (x?, y?): changes = BacklogDiff.changes(x, y)
            case (nil, _?): changes = [BacklogDiff.Change(field: "added", from: nil, to: b?.title)]
            case (_?, nil): changes = [BacklogDiff.Change(field: "removed", from: a?.title, to: nil)]
            default: changes = []
            }
            let rankBefore = before.flatMap { StoryHistory.rank(of: id, in: $0, strategy) }
            let rankAfter = after.flatMap { StoryHistory.rank(of: id, in: $0, strategy) }
            let positionBefore = before?.index(of: id).map { $0 + 1 }, positionAfter = after?.index(of: id).map { $0 + 1 }
            guard !changes.isEmpty || rankBefore != rankAfter || positionBefore != positionAfter else { continue }
            var movedBy: [StoryID] = []
            if changes.isEmpty, rankBefore != rankAfter, let before, let after {
                movedBy = StoryHistory.movers(of: id, before: before, after: after, strategy: strategy)
            }
            steps.append(Step(commit: commit[0], author: commit[1], date: commit[2], subject: commit[3], changes: changes,
                              position: (positionBefore, positionAfter), rank: (rankBefore, rankAfter), movedBy: movedBy))
        }
        self.steps = steps
    }

    static func rank(of id: StoryID, in backlog: Backlog, _ strategy: any Strategy) -> Int? {
        guard let index = backlog.index(of: id) else { return nil }
        return Ranking(backlog, strategy: strategy).entry(forStory: index)?.rank
    }

    /// The stories that changed (or came or went) and crossed `id` in the ranking.
    static func movers(of id: StoryID, before: Backlog, after: Backlog, strategy: any Strategy) -> [StoryID] {
        let old = BacklogDiff.ranks(before, strategy), new = BacklogDiff.ranks(after, strategy)
        guard let mineOld = old[id], let mineNew = new[id] else { return [] }
        let diff = BacklogDiff(from: before, to: after, strategy: strategy)
        let candidates = diff.changed.map(\.id) + diff.added + diff.removed
        return candidates.filter { other in
            let wasAbove = old[other].map { $0 < mineOld }, isAbove = new[other].map { $0 < mineNew }
            return wasAbove != isAbove && (wasAbove == true || isAbove == true)
        }
    }
}

/// `prio log` as text and JSON.
public enum HistoryReport {
    public static func text(_ history: StoryHistory) -> String {
        if history.steps.isEmpty { return "No commit changed \(history.id) or its rank.\n" }
        func pair(_ p: (from: Int?, to: Int?)) -> String {
            "\(p.from.map(String.init) ?? "–") → \(p.to.map(String.init) ?? "–")"
        }
        var out = ""
        for step in history.steps {
            out += "\(step.commit.prefix(10))  \(step.date)  \(step.author)  \(step.subject)\n"
            for change in step.changes {
                out += "    \(change.field): \(DiffReport.shown(change.from)) → \(DiffReport.shown(change.to))\n"
            }
            if step.position.from != step.position.to { out += "    position \(pair(step.position))\n" }
            if step.rank.from != step.rank.to {
                out += "    rank by \(history.strategy.name) \(pair(step.rank))"
                if !step.movedBy.isEmpty { out += " (moved by \(step.movedBy.map(\.description).joined(separator: ", ")))" }
                out += "\n"
            }
        }
        return out
    }

    public static func json(_ history: StoryHistory) -> String {
        func value(_ text: String?) -> String { text.map(JSON.string) ?? "null" }
        func number(_ n: Int?) -> String { n.map(String.init) ?? "null" }
        let items = history.steps.map { step in
            "  {\"commit\": \(JSON.string(step.commit)), \"author\": \(JSON.string(step.author)), \"date\": \(JSON.string(step.date)), "
                + "\"subject\": \(JSON.string(step.subject)), \"changes\": ["
                + step.changes.map { "{\"field\": \(JSON.string($0.field)), \"from\": \(value($0.from)), \"to\": \(value($0.to))}" }.joined(separator: ", ")
                + "], \"position\": {\"from\": \(number(step.position.from)), \"to\": \(number(step.position.to))}, "
                + "\"rank\": {\"from\": \(number(step.rank.from)), \"to\": \(number(step.rank.to))}, "
                + "\"moved_by\": [" + step.movedBy.map { JSON.string($0.description) }.joined(separator: ", ") + "]}"
        }
        return items.isEmpty ? "[]\n" : "[\n" + items.joined(separator: ",\n") + "\n]\n"
    }
}
