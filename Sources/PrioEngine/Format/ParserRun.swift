import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Running a parse: on one thread, or in two halves on two threads for a big file.
extension Parser {
    /// Parses the bytes, whose invalid UTF-8 (at most 100 places) `checkText` found.
    mutating func run(invalidUTF8 bad: [Int]) -> Result<ParsedBacklog, BacklogErrors> {
        if !bad.isEmpty {
            for offset in bad {
                var lineNumber = 1
                var lineStart = 0
                // Locating is only done on failure, so a simple scan is fine.
                for i in 0..<offset where unsafe bytes[i] == 0x0A {
                    lineNumber += 1
                    lineStart = i + 1
                }
                error(line: lineNumber, lineStart: lineStart, at: offset, "invalid UTF-8 (the file must be UTF-8 text)")
            }
            return .failure(BacklogErrors(errors: errors))
        }
        if unsafe bytes.count >= Int(UInt32.max) {
            errors.append(Diagnostic(.error, at: SourceLocation(path: path, line: 1, column: 1), "file too large (4 GiB at most)"))
            return .failure(BacklogErrors(errors: errors))
        }
        var hasBOM = false
        var position = 0
        if unsafe bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            hasBOM = true
            position = 3
        }
        let n = unsafe bytes.count
        var state = SegmentState()
        state.headerContentEnd = position

        // The header first; then the stories, in two halves on two threads for big files.
        guard let firstStory = scan(&state, from: position, to: n, stopAtStory: true) else {
            return finalize(&state, hasBOM: hasBOM)
        }
        state.declared = Set(splitList(state.header.setting("fields") ?? "").map { FieldKey.normalize($0) })
        workflow = Workflow(header: state.header)
        panel = StakeholderPanel(header: state.header)
        team = Team(header: state.header)
        sprintNames = state.header.sprints.map(\.name)
        declaredSprints = Set(sprintNames)
        sprintBytes = sprintNames.map { Array($0.utf8) }
        // Room for the stories at a guess (they grow when there are more).
        let count = max(64, (n - firstStory) / 256)
        if n - firstStory >= parallelFrom, let split = storyHeading(after: firstStory + (n - firstStory) / 2),
           let result = runInHalves(state, from: firstStory, split: split, hasBOM: hasBOM) {
            return result
        }
        state.stories = MoveBuffer(capacity: count)
        state.firstID = StoryIDMap(capacity: count)
        _ = scan(&state, from: firstStory, to: n, stopAtStory: false)
        return finalize(&state, hasBOM: hasBOM)
    }

    /// Parses a big file's stories in two halves on two threads: a count of each half's lines
    /// and headings (on two threads) sizes each half's buffer and gives the second half its
    /// first line number; the halves' stories then move into one array. Nil when the split
    /// falls inside a fenced code block (one thread reads the file then).
    mutating func runInHalves(_ state: SegmentState, from firstStory: Int, split: Int,
                              hasBOM: Bool) -> Result<ParsedBacklog, BacklogErrors>? {
        let n = unsafe bytes.count
        let shared = unsafe SharedBytes(bytes: bytes)
        let counts = concurrentMap(2) { half in unsafe LineCount(shared.bytes, half == 0 ? firstStory..<split : split..<n) }
        let bounds = counts.map(\.storyBound)
        var first = self
        var second = self
        // The second half's stories hold their own box of the same bytes: the two threads that
        // make them (and later score them) then never count references on one shared object.
        second.sourceText = SourceText(sharing: source)
        first.errors = []
        first.warnings = []
        second.errors = []
        second.warnings = []
        var secondState = SegmentState()
        secondState.declared = state.declared
        secondState.lineEnding = state.lineEnding
        secondState.sawLineEnding = true
        // The second half counts its lines from where the first half's end: each line of the
        // first half ends with a line feed (the split is a line start), so it has as many
        // lines as line feeds.
        let secondStart = state.lineNumber + counts[0].lineBreaks
        secondState.lineNumber = secondStart
        secondState.deferredDuplicates = []
        secondState.firstID = StoryIDMap(capacity: bounds[1])
        // The header state's arrays are still empty, so this copy shares no big buffer.
        var firstState = state
        firstState.firstID = StoryIDMap(capacity: bounds[0])
        firstState.stories = MoveBuffer(capacity: bounds[0])
        secondState.stories = MoveBuffer(capacity: bounds[1])
        unsafe withUnsafeMutablePointer(to: &first) { firstParser in
            unsafe withUnsafeMutablePointer(to: &second) { secondParser in
                unsafe withUnsafeMutablePointer(to: &firstState) { firstPointer in
                    unsafe withUnsafeMutablePointer(to: &secondState) { secondPointer in
                        let work = unsafe ParallelWork(
                            parsers: (firstParser, secondParser), states: (firstPointer, secondPointer),
                            ranges: (firstStory..<split, split..<n))
                        _ = concurrentMap(2) { work.run($0) }
                    }
                }
            }
        }
        // A split inside a fenced code block is no story heading: the stories read are dropped.
        guard !firstState.fence.isOpen else { return nil }
        first.finishSegment(&firstState, end: split)
        assert(firstState.lineNumber == secondStart, "the first half read the lines the count found")
        errors += first.errors + second.errors
        warnings += first.warnings + second.warnings
        customKeys = first.customKeys.union(second.customKeys)
        sawVoteLines = first.sawVoteLines || second.sawVoteLines
        // An ID of the second half that the first half used: looked up, not merged
        // (each half keeps its own map; dependencies are resolved against both).
        for site in secondState.idSites {
            if let earlier = firstState.firstID[site.id] {
                duplicateError(site, firstUsedOn: firstState.idSites[earlier].line)
            }
        }
        // A duplicate within the second half names the ID's first use in the whole file.
        for (site, line) in secondState.deferredDuplicates ?? [] {
            let first = firstState.firstID[site.id].map { firstState.idSites[$0].line } ?? line
            duplicateError(site, firstUsedOn: first)
        }
        firstState.laterIDs = secondState.firstID
        // The first half's stories come first; the story still open is appended after
        // the second half's.
        firstState.earlierStories = firstState.stories
        firstState.stories = secondState.stories
        firstState.laterDependencyFields = secondState.dependencyFields
        // The story still open at the end belongs to the second half, with its fields.
        firstState.pending = secondState.pending
        firstState.pendingID = secondState.pendingID
        firstState.fieldScratch = secondState.fieldScratch
        firstState.fence = secondState.fence
        secondState.stories = MoveBuffer(capacity: 1)
        let ending = endStories(&firstState)
        let check = storyCheck(firstState)
        let stories = firstState.stories.takeArray(after: firstState.earlierStories, alongside: check.run)
        return assemble(ending, stories: stories, check: check, state: firstState, hasBOM: hasBOM)
    }

    /// Ends a segment that stops just before a story heading at `end`.
    mutating func finishSegment(_ state: inout SegmentState, end: Int) {
        if state.pending != nil {
            closePending(&state, separatorEnd: end)
            state.pending = nil
        }
    }

    /// The start of the first story heading line at or after `offset`, outside the header.
    func storyHeading(after offset: Int) -> Int? {
        let n = unsafe bytes.count
        guard let base = unsafe bytes.baseAddress else { return nil }
        var i = offset
        // Move to the start of the next line.
        guard let found = unsafe memchr(base + i, 0x0A, n - i) else { return nil }
        i = unsafe base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        while i < n {
            let end = unsafe memchr(base + i, 0x0A, n - i).map { unsafe base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? n
            if unsafe isStoryHeading(slice(i..<end)) { return i }
            i = end + 1
        }
        return nil
    }
}

/// The dependency check of each half, run on the half's thread while its stories move.
final class DependencyCheck: @unchecked Sendable {
    // Read only while the halves run; each writes only its own slot of `found`.
    private let parser: Parser
    private let fields: [[DependencyField]]
    private let ids: StoryIDMap
    private let later: StoryIDMap?
    private let resolve: Bool
    private let found = Mutex<[[Diagnostic]]>([[], []])

    init(parser: Parser, fields: [[DependencyField]], ids: StoryIDMap, later: StoryIDMap?, resolve: Bool) {
        self.parser = parser
        self.fields = fields
        self.ids = ids
        self.later = later
        self.resolve = resolve
    }

    func run(_ half: Int) {
        guard resolve, !fields[half].isEmpty else { return }
        let problems = parser.dependencyProblems(fields[half], ids: ids, later: later)
        found.withLock { $0[half] = problems }
    }

    /// What both halves found.
    var problems: [Diagnostic] { found.withLock { $0[0] + $0[1] } }
}

/// Two segment parses to run on two threads; each touches only its own parser and state.
// Safe to use: the caller keeps both parsers and states alive until both threads are done.
@safe struct ParallelWork: @unchecked Sendable {
    let parsers: (UnsafeMutablePointer<Parser>, UnsafeMutablePointer<Parser>)
    let states: (UnsafeMutablePointer<Parser.SegmentState>, UnsafeMutablePointer<Parser.SegmentState>)
    let ranges: (Range<Int>, Range<Int>)

    func run(_ index: Int) {
        if index == 0 {
            _ = unsafe parsers.0.pointee.scan(&states.0.pointee, from: ranges.0.lowerBound, to: ranges.0.upperBound, stopAtStory: false)
        } else {
            _ = unsafe parsers.1.pointee.scan(&states.1.pointee, from: ranges.1.lowerBound, to: ranges.1.upperBound, stopAtStory: false)
        }
    }
}
