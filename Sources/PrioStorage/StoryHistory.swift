import PrioEngine
import Dispatch
import Synchronization

extension GitRepository {
    /// The commit a revision names (`HEAD`, a commit, a branch, `HEAD~2`), verified by git
    /// with nothing the user wrote reaching git's option parser; a range (`A..B`) or anything
    /// that is not one commit is refused with a message.
    public func commit(_ revision: String) throws(PrioError) -> String {
        let shown = TerminalSafe.sanitize(revision)
        if revision.contains("..") {
            throw PrioError("'\(shown)' is a range; prio diff compares two versions named apart (prio diff [FILE] REV1 REV2)")
        }
        guard let run = git("rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}") else {
            throw PrioError("git could not be run")
        }
        let sha = run.line
        guard run.status == 0, sha.count >= 40, sha.allSatisfy(\.isHexDigit) else {
            throw PrioError("'\(shown)' does not name a commit in this repository")
        }
        return sha
    }

    /// The backlog at a revision (`HEAD`, a commit, a branch), or why not: the revision is
    /// verified (`commit`), the file's blob named by its hash and read with `git cat-file`.
    public func backlog(at revision: String, path relativePath: String) throws(PrioError) -> Backlog {
        let sha = try commit(revision)
        let shown = TerminalSafe.sanitize("\(revision):\(relativePath)")
        guard let blob = git("rev-parse", "--verify", "--quiet", "--end-of-options", "\(sha):\(relativePath)") else {
            throw PrioError("git could not be run")
        }
        let id = blob.line
        guard blob.status == 0, id.count >= 40, id.allSatisfy(\.isHexDigit) else {
            throw PrioError("\(TerminalSafe.sanitize(relativePath)) is not in \(TerminalSafe.sanitize(revision))")
        }
        guard let run = git("cat-file", "blob", id), run.status == 0 else { throw PrioError("git cat-file could not read \(shown)") }
        do {
            return try BacklogParser.parse(run.stdout, path: "\(revision):\(relativePath)", resolveDependencies: false).backlog
        } catch {
            throw PrioError(error.errors.first?.description ?? "\(shown) does not read as a backlog")
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

    /// One version of the file, read once: the backlog, each story's rank and position.
    struct Version {
        var backlog: Backlog
        var ranks: StoryIDMap
        var positions: StoryIDMap

        init(_ backlog: Backlog, _ strategy: any Strategy) {
            self.backlog = backlog
            ranks = BacklogDiff.ranks(backlog, strategy)
            var positions = StoryIDMap(capacity: backlog.stories.count)
            backlog.stories.withUnsafeBufferPointer { stories in
                for i in stories.indices { positions.insertIfAbsent(stories[i].id, i + 1) }
            }
            self.positions = positions
        }
    }

    /// Reads the history of `id` in the file at `relativePath`, following first parents.
    ///
    /// `git log --raw` names the file's blob before and after each commit; the blobs are read
    /// in batches through `git cat-file --batch` and each is parsed and ranked once, keeping only
    /// the versions still needed, so a long history takes little memory.
    public init(_ repository: GitRepository, path relativePath: String, id: StoryID,
                strategy name: String?) throws(PrioError) {
        self.id = id
        guard let log = repository.git("--literal-pathspecs", "log", "--first-parent", "--diff-merges=first-parent", "--raw", "--no-abbrev",
                                       "--format=%x01%H%x09%an%x09%ad%x09%s", "--date=short", "--", relativePath),
              log.status == 0 else {
            throw PrioError("git log failed for \(relativePath)")
        }
        struct Commit { var fields: [String]; var old: String?; var new: String? }
        var commits: [Commit] = []
        for line in log.text.split(separator: "\n") {
            if line.hasPrefix("\u{01}") {
                let fields = line.dropFirst().split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
                if fields.count == 4 { commits.append(Commit(fields: fields, old: nil, new: nil)) }
            } else if line.hasPrefix(":"), !commits.isEmpty, commits[commits.count - 1].new == nil {
                let parts = line.split(separator: " ")
                guard parts.count >= 4 else { continue }
                let zero = { (sha: Substring) in sha.allSatisfy { $0 == "0" } }
                commits[commits.count - 1].old = zero(parts[2]) ? nil : String(parts[2])
                commits[commits.count - 1].new = zero(parts[3]) ? nil : String(parts[3])
            }
        }
        // The strategy: as named, else the newest version's header default.
        var versions: [String: Version] = [:]
        var strategy: (any Strategy)?
        /// Parses and ranks blobs already read, on every core (versions are independent).
        func add(_ wanted: [String], _ blobs: [[UInt8]?]) {
            if strategy == nil, let first = blobs.first, let bytes = first,
               let backlog = try? BacklogParser.parse(bytes, path: relativePath, resolveDependencies: false).backlog {
                strategy = backlog.strategies.strategy(named: name ?? backlog.header.strategy ?? "manual")
            }
            guard let strategy else { return }
            let read = concurrentMap(wanted.count) { i -> Version? in
                guard let bytes = blobs[i],
                      let backlog = try? BacklogParser.parse(bytes, path: relativePath, resolveDependencies: false).backlog else { return nil }
                return Version(backlog, strategy)
            }
            for (sha, version) in zip(wanted, read) where versions[sha] == nil { versions[sha] = version }
        }
        if let newest = commits.first?.new { add([newest], repository.objects([newest])) }
        if strategy == nil {
            guard name == nil || commits.isEmpty else { throw PrioError("unknown strategy '\(name ?? "")'") }
            strategy = ManualStrategy()
        }
        guard let strategy else { throw PrioError("no strategy") }
        self.strategy = strategy
        var steps: [Step] = []
        let batches = stride(from: 0, to: commits.count, by: 32).map { commits[$0..<min(commits.count, $0 + 32)] }
        /// The blobs a batch needs that are not read yet (`present`: the versions that will be kept).
        func wanted(_ chunk: ArraySlice<Commit>, present: Set<String>) -> [String] {
            Array(Set(chunk.flatMap { [$0.old, $0.new].compactMap { $0 } }).subtracting(present))
        }
        // git reads the next batch's blobs while this one is parsed and ranked.
        var next: (wanted: [String], blobs: BlobPrefetch)?
        if let first = batches.first {
            let names = wanted(first, present: Set(versions.keys))
            next = (names, BlobPrefetch(repository, names))
        }
        for (b, chunk) in batches.enumerated() {
            guard let current = next else { break }
            let blobs = current.blobs.wait()
            // Only the oldest version of this batch is kept for the next one.
            let keep = chunk.last?.old
            if b + 1 < batches.count {
                let names = wanted(batches[b + 1], present: keep.map { [$0] } ?? [])
                next = (names, BlobPrefetch(repository, names))
            }
            add(current.wanted, blobs)
            for commit in chunk {
                let after = commit.new.flatMap { versions[$0] }, before = commit.old.flatMap { versions[$0] }
                if let step = StoryHistory.step(commit.fields, id: id, before: before, after: after) { steps.append(step) }
            }
            versions = versions.filter { $0.key == keep }
        }
        self.steps = steps
    }

    /// What one commit did to the story, or nil when it did nothing to it or its rank.
    static func step(_ fields: [String], id: StoryID, before: Version?, after: Version?) -> Step? {
        let a = before.flatMap { v in v.positions[id].map { v.backlog.stories[$0 - 1] } }
        let b = after.flatMap { v in v.positions[id].map { v.backlog.stories[$0 - 1] } }
        guard a != nil || b != nil else { return nil }
        let changes: [BacklogDiff.Change]
        switch (a, b) {
        case let (x?, y?): changes = BacklogDiff.changes(x, y)
        case (nil, _?): changes = [BacklogDiff.Change(field: "added", from: nil, to: b?.title)]
        case (_?, nil): changes = [BacklogDiff.Change(field: "removed", from: a?.title, to: nil)]
        default: changes = []
        }
        let rank = (before?.ranks[id], after?.ranks[id])
        let position = (before?.positions[id], after?.positions[id])
        guard !changes.isEmpty || rank.0 != rank.1 || position.0 != position.1 else { return nil }
        var movedBy: [StoryID] = []
        if changes.isEmpty, rank.0 != rank.1, let before, let after {
            movedBy = movers(of: id, before: before, after: after)
        }
        return Step(commit: fields[0], author: fields[1], date: fields[2], subject: fields[3], changes: changes,
                    position: position, rank: rank, movedBy: movedBy)
    }

    /// The stories that changed (or came or went) and crossed `id` in the ranking.
    static func movers(of id: StoryID, before: Version, after: Version) -> [StoryID] {
        guard let mineOld = before.ranks[id], let mineNew = after.ranks[id] else { return [] }
        var candidates: [StoryID] = []
        for story in after.backlog.stories where story.id != id {
            guard let position = before.positions[story.id] else {
                candidates.append(story.id)
                continue
            }
            if before.backlog.stories[position - 1] != story { candidates.append(story.id) }
        }
        for story in before.backlog.stories where after.positions[story.id] == nil { candidates.append(story.id) }
        return candidates.filter { other in
            let wasAbove = before.ranks[other].map { $0 < mineOld }, isAbove = after.ranks[other].map { $0 < mineNew }
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

/// Reads blobs through `git cat-file --batch` on another thread, for `wait` to collect.
final class BlobPrefetch: Sendable {
    private let result = Mutex<[[UInt8]?]>([])
    private let done = DispatchSemaphore(value: 0)

    init(_ repository: GitRepository, _ names: [String]) {
        DispatchQueue.global().async { [self] in
            let blobs = repository.objects(names)
            result.withLock { $0 = blobs }
            done.signal()
        }
    }

    /// The blobs, in the order named, once read (nil where missing).
    func wait() -> [[UInt8]?] {
        done.wait()
        return result.withLock { $0 }
    }
}
