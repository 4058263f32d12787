import PrioEngine
extension DeliveryHistory {
    /// One version of the file, reduced to what the history needs: each story, whether it is
    /// done by that version's workflow, and its points.
    struct Summary: Sendable {
        var stories: [StoryID: (done: Bool, points: Double)]
    }

    /// Reads the history of the backlog at `relativePath` from git, following first parents
    /// (as `prio log` does), from the day of the file's first commit through `through`.
    ///
    /// The first version of the file is the baseline: the stories it holds were neither added
    /// nor done within the history. After it, a story is done on the date of the commit where its
    /// status last became the workflow's done status (reopened and done again counts once); a
    /// story that appears is added, one that disappears before it was done is removed. A commit
    /// that deletes the file is passed over. Versions are read in batches through one
    /// `git cat-file --batch` each and parsed on every core; commits after `through` change
    /// what is known but count on no day.
    public static func read(_ repository: GitRepository, path relativePath: String, unit: Unit,
                            through: Day) throws(PrioError) -> DeliveryHistory {
        // A repository without a commit has no history (git log would fail).
        guard let head = repository.git("rev-parse", "--verify", "--quiet", "HEAD"), head.status == 0 else {
            return DeliveryHistory(unit: unit, start: through, done: [])
        }
        guard let log = repository.git("--literal-pathspecs", "log", "--first-parent", "--diff-merges=first-parent", "--raw",
                                       "--no-abbrev", "--format=%x01%cd", "--date=short", "--", relativePath),
              log.status == 0 else {
            throw PrioError("git log failed for \(TerminalSafe.sanitize(relativePath))")
        }
        // Newest first, as git lists them: each commit's day and the file's blob after it.
        var commits: [(day: Day?, blob: String?)] = []
        var pending = false
        for line in log.text.split(separator: "\n") {
            if line.hasPrefix("\u{01}") {
                commits.append((Day(line.dropFirst()), nil))
                pending = true
            } else if line.hasPrefix(":"), pending {
                let parts = line.split(separator: " ")
                guard parts.count >= 4 else { continue }
                let blob = parts[3]
                commits[commits.count - 1].blob = blob.allSatisfy { $0 == "0" } ? nil : String(blob)
                pending = false
            }
        }
        commits.reverse()
        guard let firstDay = commits.compactMap(\.day).min(), firstDay <= through else {
            return DeliveryHistory(unit: unit, start: through, done: [])
        }
        let count = firstDay.days(to: through) + 1
        var done = [Double](repeating: 0, count: count), added = done, removed = done
        func slot(_ day: Day?) -> Int? {
            guard let day, day >= firstDay, day <= through else { return nil }
            return firstDay.days(to: day)
        }
        var previous: Summary?
        // When each story last became done, and its points then.
        var doneOn: [StoryID: (slot: Int?, points: Double)] = [:]
        let batches = stride(from: 0, to: commits.count, by: 64).map { commits[$0..<min(commits.count, $0 + 64)] }
        var next: (names: [String], blobs: BlobPrefetch)?
        func prefetch(_ batch: ArraySlice<(day: Day?, blob: String?)>) -> (names: [String], blobs: BlobPrefetch) {
            let names = Array(Set(batch.compactMap(\.blob))).sorted()
            return (names, BlobPrefetch(repository, names))
        }
        if let first = batches.first { next = prefetch(first) }
        for (b, batch) in batches.enumerated() {
            guard let current = next else { break }
            let blobs = current.blobs.wait()
            if b + 1 < batches.count { next = prefetch(batches[b + 1]) }
            let summaries = concurrentMap(current.names.count) { i -> Summary? in
                guard let bytes = blobs[i],
                      let backlog = try? BacklogParser.parse(bytes, path: relativePath, resolveDependencies: false).backlog else {
                    return nil
                }
                let workflow = backlog.workflow
                var stories: [StoryID: (done: Bool, points: Double)] = [:]
                stories.reserveCapacity(backlog.stories.count)
                for story in backlog.stories where stories[story.id] == nil {
                    stories[story.id] = (workflow.isDone(story), story.points?.doubleValue ?? 0)
                }
                return Summary(stories: stories)
            }
            let byBlob = Dictionary(zip(current.names, summaries), uniquingKeysWith: { a, _ in a })
            for commit in batch {
                // A deleted file, or a version that does not read, is passed over.
                guard let blob = commit.blob, let summary = byBlob[blob] ?? nil else { continue }
                defer { previous = summary }
                guard let before = previous else { continue }
                let at = slot(commit.day)
                for (id, now) in summary.stories {
                    let amount = unit == .stories ? 1 : now.points
                    guard let was = before.stories[id] else {
                        if let at { added[at] += amount }
                        if now.done { doneOn[id] = (at, amount) }
                        continue
                    }
                    if now.done && !was.done { doneOn[id] = (at, amount) }
                    if !now.done && was.done { doneOn[id] = nil }
                }
                for (id, was) in before.stories where summary.stories[id] == nil && !was.done {
                    if let at { removed[at] += unit == .stories ? 1 : was.points }
                }
            }
        }
        for (_, entry) in doneOn {
            if let at = entry.slot { done[at] += entry.points }
        }
        return DeliveryHistory(unit: unit, start: firstDay, done: done, added: added, removed: removed)
    }
}
