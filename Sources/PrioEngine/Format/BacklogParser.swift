import Dispatch
import Synchronization
import Foundation

/// A backlog read from a file, with the warnings found in it.
public struct ParsedBacklog: Sendable {
    /// The backlog.
    public var backlog: Backlog
    /// Findings that do not stop prio, such as unknown keys.
    public var warnings: [Diagnostic]
}

/// Reads the Markdown backlog format (see docs/FORMAT.md) from bytes.
///
/// The parser keeps the byte range of every heading, field line and description, so that
/// writing an unchanged backlog gives back the same bytes.
public enum BacklogParser {
    /// Settings the header understands.
    public static let knownSettings: Set<String> = Set([
        "strategy", "prefix", "fields", "sprint", "statuses", "formula", "vision", "goal",
        "stakeholder", "stakeholder-aggregate", "stakeholder-spread", "velocity-window",
    ]).union(GroomingSettings.keys)

    /// Parses a whole file; throws every error found, each located by line and column.
    public static func parse(_ bytes: [UInt8], path: String) throws(BacklogErrors) -> ParsedBacklog {
        try parse(bytes, path: path, resolveDependencies: true)
    }

    /// Parses bytes; without `resolveDependencies`, a `depends` on a story that is not in these
    /// bytes is no error (a single story block, checked against its backlog by the caller).
    static func parse(_ bytes: [UInt8], path: String, resolveDependencies: Bool) throws(BacklogErrors) -> ParsedBacklog {
        try parse(SourceText(bytes), path: path, resolveDependencies: resolveDependencies)
    }

    /// Parses a file's bytes as read or mapped (`readSource`); the backlog keeps them.
    static func parse(_ source: SourceText, path: String, resolveDependencies: Bool = true) throws(BacklogErrors)
        -> ParsedBacklog {
        // A file with old Mac line endings (CR alone, no LF anywhere) is read with each CR as a
        // line end and written back with CRs, byte for byte.
        let crOnly = source.withBytes(isCROnly)
        let input = crOnly ? SourceText(source.bytes.map { $0 == 0x0D ? 0x0A : $0 }) : source
        let result = input.withBytes { buffer -> Result<ParsedBacklog, BacklogErrors> in
            // One look at every byte: UTF-8, and whether a line starts with `<` (conflict
            // markers are looked for only then). Markers are reported first.
            let check = checkTextInParallel(buffer)
            let conflicts = check.lineStartsWithLess ? conflictMarkers(buffer) : []
            if !conflicts.isEmpty {
                return .failure(BacklogErrors(errors: conflicts.map { line in
                    Diagnostic(.error, at: SourceLocation(path: path, line: line, column: 1),
                               "unresolved merge conflict (git's <<<<<<< marker): keep the lines you want between <<<<<<<, "
                               + "======= and >>>>>>>, delete the three marker lines, then run 'prio check'")
                }))
            }
            var parser = Parser(bytes: buffer, source: input, path: path)
            parser.resolveDependencies = resolveDependencies
            return parser.run(invalidUTF8: check.invalidUTF8)
        }
        switch result {
        case .success(var parsed):
            parsed.backlog.crLineEndings = crOnly
            return parsed
        case .failure(let errors): throw errors
        }
    }

    /// True when the bytes hold a CR and no LF.
    static func isCROnly(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return false }
        return memchr(base, 0x0A, buffer.count) == nil && memchr(base, 0x0D, buffer.count) != nil
    }

    /// The lines of git conflict markers: each `<<<<<<<` line that a `=======` line and then a
    /// `>>>>>>>` line follow (all at the start of a line), 1-based.
    /// True when seven `marker` bytes start at `i`, then a space, a line break or the end.
    @Sendable static func isMarker(_ bytes: UnsafeBufferPointer<UInt8>, _ marker: UInt8, _ i: Int) -> Bool {
        guard i + 7 <= bytes.count else { return false }
        for k in i..<(i + 7) where bytes[k] != marker { return false }
        let next = i + 7 < bytes.count ? bytes[i + 7] : 0x0A
        return next == 0x20 || next == 0x0A || next == 0x0D || next == 0x09
    }

    static func conflictMarkers(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        func starts(_ marker: UInt8, at i: Int) -> Bool { isMarker(bytes, marker, i) }
        // Cheap first look (memchr for '<', rare in backlogs): does any line start with <<<<<<<?
        // A big file is looked at in two halves on two threads (the marker test may read past
        // a half's end, within the file).
        @Sendable func markerStart(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
            guard let base = buffer.baseAddress else { return false }
            var i = range.lowerBound
            while i < range.upperBound, let hit = memchr(base + i, Int32(UInt8(ascii: "<")), range.upperBound - i) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if (at == 0 || buffer[at - 1] == 0x0A) && isMarker(buffer, UInt8(ascii: "<"), at) { return true }
                i = at + 1
            }
            return false
        }
        let found: Bool
        if bytes.count >= Parser.parallelThreshold {
            let shared = SharedBytes(bytes: bytes)
            let half = bytes.count / 2
            found = concurrentMap(2) { k in markerStart(shared.bytes, k == 0 ? 0..<half : half..<shared.bytes.count) }
                .contains(true)
        } else {
            found = markerStart(bytes, 0..<bytes.count)
        }
        guard found else { return [] }
        var lines: [Int] = []
        var line = 1
        var open: Int?
        var sawMiddle = false
        var i = 0
        while i < bytes.count {
            if starts(UInt8(ascii: "<"), at: i) {
                open = line
                sawMiddle = false
            } else if open != nil && starts(UInt8(ascii: "="), at: i) {
                sawMiddle = true
            } else if let start = open, sawMiddle, starts(UInt8(ascii: ">"), at: i) {
                lines.append(start)
                open = nil
            }
            guard let end = bytes[i...].firstIndex(of: 0x0A) else { break }
            i = end + 1
            line += 1
        }
        return lines
    }

    /// Parses a string (for tests and imports).
    public static func parse(_ text: String, path: String = "<text>") throws(BacklogErrors) -> ParsedBacklog {
        try parse(Array(text.utf8), path: path)
    }
}

extension BacklogParser {
    /// The warning for a story's `sprint` that names no sprint the header declares, with the
    /// closest declared name (among equally close ones, the latest: `Sprint 9` is more likely
    /// meant for `Sprint 4` than for `Sprint 1`).
    public static func undeclaredSprintMessage(_ name: String, declared: [String]) -> String {
        let list = declared.joined(separator: ", ")
        if let guess = Suggestion.closest(to: name, among: declared.reversed()) {
            return "sprint '\(name)' is not declared in the header (did you mean '\(guess)'? declared: \(list))"
        }
        return "sprint '\(name)' is not declared in the header (declared: \(list); "
            + "declare it with '- sprint: \(name) | capacity N | START .. END')"
    }
}

private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    let source: SourceText
    var sourceText: SourceText
    let path: String
    var errors: [Diagnostic] = []
    var warnings: [Diagnostic] = []

    /// False for a single story block: its dependencies are checked against the backlog by the caller.
    var resolveDependencies = true
    /// The header's workflow, for the unknown-status warning (set once the header is read).
    var workflow = Workflow.standard
    /// The header's stakeholders, for checking votes (set once the header is read).
    var panel: StakeholderPanel?
    /// The sprints the header declares, in order and as a set, for the undeclared-sprint warning
    /// (none declared: a story's sprint is not checked).
    var sprintNames: [String] = []
    var declaredSprints: Set<String> = []
    /// Their bytes: a value written as declared is matched without making a string.
    var sprintBytes: [[UInt8]] = []
    /// The normalised keys of the custom fields the stories use (a formula may name them).
    var customKeys: Set<String> = []
    /// True once a story has a votes line (a backlog without one skips resolving votes).
    var sawVoteLines = false

    init(bytes: UnsafeBufferPointer<UInt8>, source: SourceText, path: String) {
        self.bytes = bytes
        self.source = source
        self.sourceText = source
        self.path = path
    }

    // MARK: Locations

    func location(line: Int, lineStart: Int, at offset: Int) -> SourceLocation {
        var column = 1
        var i = lineStart
        while i < offset && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(path: path, line: line, column: column)
    }

    mutating func error(line: Int, lineStart: Int, at offset: Int, _ message: String) {
        errors.append(Diagnostic(.error, at: location(line: line, lineStart: lineStart, at: offset), message))
    }

    mutating func warning(line: Int, lineStart: Int, at offset: Int, _ message: String) {
        warnings.append(Diagnostic(.warning, at: location(line: line, lineStart: lineStart, at: offset), message))
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A title or field value: one line, so a stray carriage return inside reads as a space.
    func lineText(_ range: Range<Int>) -> String {
        PrioEngine.lineText(bytes, range)
    }

    func slice(_ range: Range<Int>) -> LineBytes {
        bytes[range]
    }

    /// True for `digits(.digits)?` (and `%` when allowed) of at most 18 bytes, valid without a closer look;
    /// confidence must also be at most 100.
    func isPlainNumber(_ start: Int, _ count: Int, percent: Bool) -> Bool {
        guard count > 0 && count <= 18 else { return false }
        var end = start + count
        if percent && bytes[end - 1] == 0x25 { end -= 1 }
        guard end > start, isASCIIDigit(bytes[start]) else { return false }
        var seenPoint = false
        var integer = 0
        for i in start..<end {
            let b = bytes[i]
            if isASCIIDigit(b) {
                if !seenPoint { integer = integer * 10 + Int(b - 0x30) }
                continue
            }
            guard b == 0x2E, !seenPoint, i + 1 < end else { return false }
            seenPoint = true
        }
        return !percent || integer < 100 || (integer == 100 && !seenPoint)
    }

    /// The items of a `depends` value that are story IDs, each with the file offset where it
    /// starts (items split at commas, spaces, tabs and stray carriage returns around them
    /// trimmed, as `parseDepends` reads the value's text); `allIDs` is false when a non-empty
    /// item is no ID.
    func dependencyTargets(_ range: Range<Int>) -> (targets: [(id: StoryID, offset: Int)], allIDs: Bool) {
        var targets: [(id: StoryID, offset: Int)] = []
        var allIDs = true
        var start = range.lowerBound
        while start <= range.upperBound {
            var end = start
            while end < range.upperBound && bytes[end] != UInt8(ascii: ",") { end += 1 }
            var first = start, last = end
            // A stray carriage return reads as a space, as in the value's text.
            while first < last && (bytes[first] == 0x20 || bytes[first] == 0x09 || bytes[first] == 0x0D) { first += 1 }
            while last > first && (bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 || bytes[last - 1] == 0x0D) { last -= 1 }
            if first < last {
                if let id = StoryID(utf8: UnsafeBufferPointer(rebasing: bytes[first..<last])) {
                    targets.append((id, first))
                } else {
                    allIDs = false
                }
            }
            start = end + 1
        }
        return (targets, allIDs)
    }

    /// The value of one to four digits (and `%` when allowed), as `parseStoredNumber` reads
    /// them; nil for any other text.
    @inline(__always)
    func smallWholeNumber(_ range: Range<Int>, percent: Bool) -> Int? {
        var end = range.upperBound
        if percent && end > range.lowerBound && bytes[end - 1] == 0x25 { end -= 1 }
        guard end > range.lowerBound, end - range.lowerBound <= 4 else { return nil }
        var value = 0
        for i in range.lowerBound..<end {
            guard isASCIIDigit(bytes[i]) else { return nil }
            value = value * 10 + Int(bytes[i] - 0x30)
        }
        return value
    }

    // MARK: State for the story being read

    struct PendingStory {
        var title: Range<Int>
        var headingRange: Range<Int>
        var line: Int
        var lineStart: Int
        var inFields = true
        var bodyStart: Int
        var firstContent: Int?
        var contentEnd: Int
        var contentEndLineBreak: Int
    }

    // MARK: Running

    /// What a scan of part of the file has found so far.
    struct SegmentState {
        var header = BacklogHeader()
        var stories = MoveBuffer<Story>()
        /// The first half's stories, once a big file's halves are joined (they come first).
        var earlierStories: MoveBuffer<Story>?
        var pending: PendingStory?
        /// The ID of the story being read, kept apart so that `PendingStory` holds no reference
        /// (it is read and changed on every line, and copies of it then cost no retain).
        var pendingID: StoryID?
        var fence = FenceTracker()
        var headerContentEnd = 0
        var headerFieldLines: [Int: (line: Int, lineStart: Int, valueStart: Int)] = [:]
        /// Where each ID was first written, in file order, and each ID's index in it.
        var idSites: [IDSite] = []
        var firstID = StoryIDMap()
        /// The second half's map, once a big file's halves are joined (`firstID` is the first's).
        var laterIDs: StoryIDMap?
        var dependencyFields: [DependencyField] = []
        /// The second half's, once a big file's halves are joined (checked on its own thread).
        var laterDependencyFields: [DependencyField] = []
        var declared: Set<String>?
        var lineEnding: [UInt8] = [0x0A]
        var sawLineEnding = false
        var lineNumber = 0
        /// The field lines of the story being read (reused from story to story).
        var fieldScratch: [ParsedField] = []
    }

    /// Finishes the story being read with the fields gathered for it.
    mutating func closePending(_ state: inout SegmentState, separatorEnd: Int?) {
        guard let pending = state.pending else { return }
        finish(pending, id: state.pendingID, fields: state.fieldScratch,
               into: state.stories, separatorEnd: separatorEnd, dependencies: &state.dependencyFields,
               declared: state.declared ?? [])
        state.fieldScratch.removeAll(keepingCapacity: true)
    }

    /// Files smaller than this are parsed on one thread.
    static let parallelThreshold = 1 << 21

    /// Parses the bytes, whose invalid UTF-8 (at most 100 places) `checkText` found.
    mutating func run(invalidUTF8 bad: [Int]) -> Result<ParsedBacklog, BacklogErrors> {
        if !bad.isEmpty {
            for offset in bad {
                var lineNumber = 1
                var lineStart = 0
                // Locating is only done on failure, so a simple scan is fine.
                for i in 0..<offset where bytes[i] == 0x0A {
                    lineNumber += 1
                    lineStart = i + 1
                }
                error(line: lineNumber, lineStart: lineStart, at: offset, "invalid UTF-8 (the file must be UTF-8 text)")
            }
            return .failure(BacklogErrors(errors: errors))
        }
        if bytes.count >= Int(UInt32.max) {
            errors.append(Diagnostic(.error, at: SourceLocation(path: path, line: 1, column: 1), "file too large (4 GiB at most)"))
            return .failure(BacklogErrors(errors: errors))
        }
        var hasBOM = false
        var position = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            hasBOM = true
            position = 3
        }
        let n = bytes.count
        var state = SegmentState()
        state.headerContentEnd = position

        // The header first; then the stories, in two halves on two threads for big files.
        guard let firstStory = scan(&state, from: position, to: n, stopAtStory: true) else {
            return finalize(&state, hasBOM: hasBOM)
        }
        state.declared = Set(splitList(state.header.setting("fields") ?? "").map { FieldKey.normalize($0) })
        workflow = Workflow(header: state.header)
        panel = StakeholderPanel(header: state.header)
        sprintNames = state.header.sprints.map(\.name)
        declaredSprints = Set(sprintNames)
        sprintBytes = sprintNames.map { Array($0.utf8) }
        // Room for the stories at a guess (they grow when there are more).
        let count = max(64, (n - firstStory) / 256)
        if n - firstStory >= Parser.parallelThreshold, let split = storyHeading(after: firstStory + (n - firstStory) / 2),
           let result = runInHalves(state, from: firstStory, split: split, hasBOM: hasBOM) {
            return result
        }
        state.stories = MoveBuffer(capacity: count)
        state.firstID = StoryIDMap(capacity: count)
        _ = scan(&state, from: firstStory, to: n, stopAtStory: false)
        return finalize(&state, hasBOM: hasBOM)
    }

    /// Parses a big file's stories in two halves on two threads, straight into the backlog's
    /// array: a count of each half's lines and headings (on two threads) sizes one allocation
    /// and gives the second half its first line number; each half writes its stories into its
    /// window of the allocation, and the second half's move down to follow the first's (by the
    /// count's overcount, usually nothing). A half that outgrows its window moves out, and the
    /// halves are then joined as on one thread. Nil when the split falls inside a fenced code
    /// block (one thread reads the file then).
    mutating func runInHalves(_ state: SegmentState, from firstStory: Int, split: Int,
                              hasBOM: Bool) -> Result<ParsedBacklog, BacklogErrors>? {
        let n = bytes.count
        let shared = SharedBytes(bytes: bytes)
        let counts = concurrentMap(2) { half in LineCount(shared.bytes, half == 0 ? firstStory..<split : split..<n) }
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
        secondState.firstID = StoryIDMap(capacity: bounds[1])
        // The header state's arrays are still empty, so this copy shares no big buffer.
        var firstState = state
        firstState.firstID = StoryIDMap(capacity: bounds[0])
        var ending: Ending?
        var check: DependencyCheck?
        var placed = false
        let inPlace = [Story](unsafeUninitializedCapacity: bounds[0] + bounds[1]) { buffer, initialized in
            guard let window = buffer.baseAddress else { return }
            firstState.stories = MoveBuffer(window: window, capacity: bounds[0])
            secondState.stories = MoveBuffer(window: window + bounds[0], capacity: bounds[1])
            withUnsafeMutablePointer(to: &first) { firstParser in
                withUnsafeMutablePointer(to: &second) { secondParser in
                    withUnsafeMutablePointer(to: &firstState) { firstPointer in
                        withUnsafeMutablePointer(to: &secondState) { secondPointer in
                            let work = ParallelWork(
                                parsers: (firstParser, secondParser), states: (firstPointer, secondPointer),
                                ranges: (firstStory..<split, split..<n))
                            DispatchQueue.concurrentPerform(iterations: 2) { work.run($0) }
                        }
                    }
                }
            }
            // A split inside a fenced code block is no story heading: the stories read are
            // dropped here, while their window is still there.
            guard !firstState.fence.isOpen else {
                firstState.stories = MoveBuffer(capacity: 1)
                secondState.stories = MoveBuffer(capacity: 1)
                return
            }
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
            ending = endStories(&firstState)
            let halves = storyCheck(firstState)
            check = halves
            if let earlier = firstState.earlierStories,
               let count = firstState.stories.joinWindows(after: earlier, alongside: halves.run) {
                initialized = count
                placed = true
            } else {
                // A half outgrew its window: both leave the array's memory, to be joined below.
                firstState.stories.leaveWindow()
                firstState.earlierStories?.leaveWindow()
            }
        }
        guard let ending, let check else { return nil }
        let stories = placed ? inPlace
            : firstState.stories.takeArray(after: firstState.earlierStories, alongside: check.run)
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
        let n = bytes.count
        let base = bytes.baseAddress!
        var i = offset
        // Move to the start of the next line.
        guard let found = memchr(base + i, 0x0A, n - i) else { return nil }
        i = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        while i < n {
            let end = memchr(base + i, 0x0A, n - i).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? n
            if isStoryHeading(slice(i..<end)) { return i }
            i = end + 1
        }
        return nil
    }

    /// Reads lines from `from` to `to`. With `stopAtStory`, stops before the first story
    /// heading and returns its offset.
    mutating func scan(_ state: inout SegmentState, from: Int, to n: Int, stopAtStory: Bool) -> Int? {
        var position = from
        let base = bytes.baseAddress!
        while position < n {
            let lineStart = position
            var lineEnd: Int
            var next: Int
            if let newline = nextLineFeed(base, from: position, to: n) {
                next = newline + 1
                lineEnd = newline
                if lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                if !state.sawLineEnding {
                    state.sawLineEnding = true
                    if lineEnd < newline { state.lineEnding = [0x0D, 0x0A] }
                }
            } else {
                lineEnd = n
                next = n
            }
            let line = slice(lineStart..<lineEnd)

            // A story heading outside a code fence starts a new story.
            if !state.fence.isOpen && isStoryHeading(line) {
                if stopAtStory { return lineStart }
                state.lineNumber += 1
                position = next
                if state.pending != nil {
                    closePending(&state, separatorEnd: lineStart)
                } else if state.stories.isEmpty {
                    state.header.separatorSource = state.headerContentEnd..<lineStart
                }
                state.pending = startStory(line: line, lineNumber: state.lineNumber, lineStart: lineStart, next: next,
                                           state: &state)
                continue
            }
            state.lineNumber += 1
            position = next
            let lineNumber = state.lineNumber
            let blank = isBlank(line)

            if state.pending != nil {
                if state.pending!.inFields, let (key, value) = fieldLine(line) {
                    state.fieldScratch.append(ParsedField(
                        known: knownFieldKey(bytes, key), keyEnd: key.upperBound,
                        position: FieldPosition(line: lineNumber, lineStart: lineStart, keyStart: key.lowerBound,
                                                valueStart: value.lowerBound),
                        valueEnd: value.upperBound))
                    state.pending!.bodyStart = next
                    state.pending!.contentEnd = next
                    state.pending!.contentEndLineBreak = lineEnd
                    continue
                }
                state.pending!.inFields = false
                let wasOpen = state.fence.isOpen
                state.fence.feed(line, lineNumber: lineNumber)
                if !blank || wasOpen {
                    if state.pending!.firstContent == nil { state.pending!.firstContent = lineStart }
                    state.pending!.contentEnd = next
                    state.pending!.contentEndLineBreak = lineEnd
                }
                continue
            }

            // The header.
            let wasOpen = state.fence.isOpen
            state.fence.feed(line, lineNumber: lineNumber)
            if !blank || wasOpen { state.headerContentEnd = next }
            if wasOpen || state.fence.isOpen {
                state.header.lines.append(.init(kind: .text, source: lineStart..<next))
            } else if state.header.name == nil, let nameRange = levelOneHeading(line) {
                state.header.name = string(nameRange)
                state.header.lines.append(.init(kind: .name, source: lineStart..<next))
            } else if let (key, value) = fieldLine(line) {
                let rawKey = string(key)
                let normalized = FieldKey.normalize(rawKey)
                state.header.settings.append(Field(name: .custom(rawKey), value: lineText(value),
                                                   source: SourceRange(lineStart..<next)))
                state.header.lines.append(.init(kind: .setting(normalized), source: lineStart..<next))
                state.headerFieldLines[state.header.settings.count - 1] = (lineNumber, lineStart, value.lowerBound)
                if !BacklogParser.knownSettings.contains(normalized) {
                    warning(line: lineNumber, lineStart: lineStart, at: key.lowerBound,
                            "unknown setting '\(rawKey)' (kept)")
                }
            } else {
                state.header.lines.append(.init(kind: .text, source: lineStart..<next))
            }
        }
        return nil
    }

    /// Closes the last story, checks what needs the whole file, and builds the backlog.
    mutating func finalize(_ state: inout SegmentState, hasBOM: Bool) -> Result<ParsedBacklog, BacklogErrors> {
        let ending = endStories(&state)
        let check = storyCheck(state)
        // The stories move into the backlog's array, each half on its thread.
        let stories = state.stories.takeArray(after: state.earlierStories, alongside: check.run)
        return assemble(ending, stories: stories, check: check, state: state, hasBOM: hasBOM)
    }

    /// What the end of a parse works out before the stories take their place in the array.
    struct Ending {
        var header: BacklogHeader
        var trailer: Range<Int>
    }

    /// Closes the last story, finds the text after it, and checks the header.
    mutating func endStories(_ state: inout SegmentState) -> Ending {
        let n = bytes.count
        if state.fence.isOpen {
            errors.append(Diagnostic(.error, at: SourceLocation(path: path, line: state.fence.openedAt, column: 1),
                                     "code block opened here is never closed (close it with \(state.fence.closingLine ?? "```"))"))
        }
        let trailer: Range<Int>
        if state.pending != nil {
            trailer = state.pending!.contentEnd..<n
            closePending(&state, separatorEnd: nil)
        } else if state.stories.isEmpty && (state.earlierStories?.isEmpty ?? true) {
            trailer = state.headerContentEnd..<n
            state.header.separatorSource = nil
        } else {
            trailer = n..<n
        }
        var header = state.header
        trimHeaderLines(&header, contentEnd: state.headerContentEnd)
        validateHeader(header, lines: state.headerFieldLines, declared: state.declared ?? [])
        return Ending(header: header, trailer: trailer)
    }

    /// Each half's dependencies, checked on the half's thread as its stories take their place.
    func storyCheck(_ state: SegmentState) -> DependencyCheck {
        DependencyCheck(parser: self, fields: [state.dependencyFields, state.laterDependencyFields],
                        ids: state.firstID, later: state.laterIDs, resolve: resolveDependencies)
    }

    /// The backlog, or the errors found.
    mutating func assemble(_ ending: Ending, stories: [Story], check: DependencyCheck, state: SegmentState,
                           hasBOM: Bool) -> Result<ParsedBacklog, BacklogErrors> {
        errors += check.problems
        if resolveDependencies {
            for cycle in ParentRules.cycles(in: state.dependencyFields + state.laterDependencyFields) {
                error(line: cycle.position.line, lineStart: cycle.position.lineStart, at: cycle.offset, cycle.message)
            }
        }
        if !errors.isEmpty {
            return .failure(BacklogErrors(errors: errors.sorted { $0.location < $1.location }, warnings: warnings))
        }
        var backlog = Backlog(header: ending.header, stories: stories, source: source, votes: sawVoteLines)
        backlog.trailerSource = ending.trailer
        backlog.lineEnding = state.lineEnding
        backlog.hasBOM = hasBOM
        return .success(ParsedBacklog(backlog: backlog, warnings: warnings.sorted { $0.location < $1.location }))
    }

    /// Drops header lines that lie in the separator (blank lines before the first story).
    func trimHeaderLines(_ header: inout BacklogHeader, contentEnd: Int) {
        while let last = header.lines.last, let source = last.source, source.lowerBound >= contentEnd {
            header.lines.removeLast()
        }
    }

    mutating func startStory(line: LineBytes, lineNumber: Int, lineStart: Int, next: Int,
                             state: inout SegmentState) -> PendingStory {
        var i = indentEnd(line) + 2
        let rest = trimmedRange(line, from: i)
        i = rest.lowerBound
        var idEnd = i
        while idEnd < rest.upperBound && line[idEnd] != UInt8(ascii: " ") && line[idEnd] != UInt8(ascii: "\t") {
            idEnd += 1
        }
        var id: StoryID?
        if i == idEnd {
            error(line: lineNumber, lineStart: lineStart, at: rest.lowerBound,
                  "story heading needs an ID, like '## S-1 Title'")
        } else if let parsed = StoryID(utf8: UnsafeBufferPointer(rebasing: bytes[i..<idEnd])) {
            id = parsed
            if let first = state.firstID.insertIfAbsent(parsed, state.idSites.count) {
                duplicateError(IDSite(id: parsed, line: lineNumber, lineStart: lineStart, idStart: i),
                               firstUsedOn: state.idSites[first].line)
            } else {
                state.idSites.append(IDSite(id: parsed, line: lineNumber, lineStart: lineStart, idStart: i))
            }
        } else {
            error(line: lineNumber, lineStart: lineStart, at: i,
                  "'\(string(i..<idEnd))' is not a story ID: a heading starts with an ID like S-12")
        }
        let title = trimmedRange(line, from: idEnd)
        state.pendingID = id
        return PendingStory(title: title, headingRange: lineStart..<next, line: lineNumber,
                            lineStart: lineStart, bodyStart: next, contentEnd: next, contentEndLineBreak: next)
    }

    /// The error for an ID used a second time.
    mutating func duplicateError(_ site: IDSite, firstUsedOn line: Int) {
        error(line: site.line, lineStart: site.lineStart, at: site.idStart,
              "duplicate ID \(site.id) (first used on line \(line))")
    }

    mutating func finish(_ pending: PendingStory, id: StoryID?, fields: [ParsedField],
                         into stories: MoveBuffer<Story>, separatorEnd: Int?,
                         dependencies: inout [DependencyField], declared: Set<String>) {
        guard let id else { return }
        var status = Status.todo
        var moscow: MoSCoW?
        var seenKeys: UInt32 = 0
        // Custom keys met so far, normalised (a set: 10,000 custom fields on one story stay linear).
        var customSeen: Set<String> = []
        var hasVoteLines = false
        // Where the numeric values are (small whole numbers themselves), while each offset fits a slot.
        let fieldsStart = pending.headingRange.upperBound
        var sites: NumberSites? = pending.bodyStart - fieldsStart <= NumberSites.maximumOffset ? NumberSites() : nil
        for index in fields.indices {
            let field = fields[index]
            let position = field.position
            let valueRange = position.valueStart..<field.valueEnd
            // Canonical keys are checked by bits; custom ones against the set of earlier ones.
            var duplicate = false
            // A custom key's name is made only here (most fields are canonical).
            let name: FieldName = field.known.map { .known($0) } ?? name(of: field)
            if let key = field.known {
                let bit: UInt32 = 1 << UInt32(key.order)
                duplicate = seenKeys & bit != 0
                seenKeys |= bit
            } else {
                duplicate = !customSeen.insert(name.key).inserted
            }
            if duplicate {
                error(line: position.line, lineStart: position.lineStart, at: position.keyStart,
                      "field '\(name.key)' appears twice in \(id)")
                continue
            }
            guard let key = field.known else {
                let normalized = name.key
                customKeys.insert(normalized)
                seenKeys |= Story.customBit
                if let voted = Vote.field(ofKey: normalized) {
                    hasVoteLines = true
                    sawVoteLines = true
                    checkVotes(lineText(valueRange), for: voted, at: position)
                    continue
                }
                if !declared.contains(normalized) {
                    let rawKey = if case .customBox(let box) = name { box.raw } else { normalized }
                    warning(line: position.line, lineStart: position.lineStart, at: position.keyStart,
                            "unknown field '\(rawKey)' (kept; declare it with '- fields: \(normalized)' in the header to silence this)")
                }
                continue
            }
            if sites != nil, NumberSites.key(order: key.order) != nil {
                sites?[key.order] = NumberSites.slot(offset: position.valueStart - fieldsStart,
                                                     small: smallWholeNumber(valueRange, percent: key == .confidence))
            }
            switch key {
            case .status:
                // The four built-in statuses as prio writes them are read from the bytes.
                if let known = Parser.builtInStatus(bytes, valueRange), workflow.contains(known) {
                    status = known
                    break
                }
                let value = lineText(valueRange)
                status = Status(parsing: value)
                if !value.isEmpty && !workflow.contains(status), let message = workflow.unknownStatusMessage(value) {
                    warning(line: position.line, lineStart: position.lineStart, at: position.valueStart, message)
                }
            case .sprint:
                guard !declaredSprints.isEmpty,
                      !sprintBytes.contains(where: { $0.elementsEqual(bytes[valueRange]) }) else { break }
                let value = lineText(valueRange)
                if !value.isEmpty && !declaredSprints.contains(value) {
                    warning(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                            BacklogParser.undeclaredSprintMessage(value, declared: sprintNames))
                }
            case .tags, .pinReason, .goal:
                break
            case .pin:
                do throws(FieldProblem) {
                    try key.check(lineText(valueRange))
                } catch {
                    self.error(line: position.line, lineStart: position.lineStart, at: position.valueStart, error.message)
                }
            case .depends:
                if valueRange.isEmpty { break }
                // The IDs read from the bytes, for the check against every ID at the end; a
                // value with an item that is no ID is checked as text too, which says where.
                let (targets, allIDs) = dependencyTargets(valueRange)
                dependencies.append(DependencyField(story: id, targets: targets, position: position))
                if !allIDs { check(lineText(valueRange), for: key, at: position) }
            case .parent:
                if valueRange.isEmpty { break }
                let (targets, allIDs) = dependencyTargets(valueRange)
                if allIDs && targets.count == 1 {
                    dependencies.append(DependencyField(story: id, targets: targets, position: position, isParent: true))
                } else {
                    check(lineText(valueRange), for: key, at: position)
                }
            case .moscow:
                if let known = Parser.plainMoSCoW(bytes, valueRange) {
                    moscow = known
                    break
                }
                do throws(FieldProblem) {
                    moscow = try key.parseMoSCoW(lineText(valueRange))
                } catch {
                    report(error, at: position)
                }
            default:
                if isPlainNumber(position.valueStart, valueRange.count, percent: key == .confidence) { break }
                check(lineText(valueRange), for: key, at: position)
            }
        }
        var story = Story(id: id, title: pending.title, fieldLines: pending.headingRange.upperBound..<pending.bodyStart,
                          knownKeys: seenKeys, numberSites: sites, hasVoteLines: hasVoteLines, status: status, moscow: moscow)
        story.line = pending.line
        story.sourceText = sourceText
        story.headingSource = SourceRange(pending.headingRange)
        story.bodySource = SourceRange(pending.bodyStart..<max(pending.bodyStart, pending.contentEnd))
        if let separatorEnd { story.separatorSource = SourceRange(pending.contentEnd..<separatorEnd) }
        stories.append(story)
    }

    /// The status a value names when it is one of the four built-in ones as prio writes them
    /// (`todo`, `ready`, `in-progress`, `done`), read from the bytes; nil for any other text.
    static func builtInStatus(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Status? {
        word(bytes, range, among: ["todo": .todo, "ready": .ready, "in-progress": .inProgress, "done": .done])
    }

    /// The MoSCoW category a value names when written as prio writes it (`must`, `should`,
    /// `could`, `wont`), read from the bytes; nil for any other text.
    static func plainMoSCoW(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> MoSCoW? {
        word(bytes, range, among: ["must": .must, "should": .should, "could": .could, "wont": .wont])
    }

    /// What `words` gives for the bytes in `range` when they are exactly one of its words.
    @inline(__always)
    private static func word<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                                among words: KeyValuePairs<StaticString, T>) -> T? {
        for (word, value) in words where same(bytes, range, word) { return value }
        return nil
    }

    /// True when the bytes in `range` are `word`'s (ASCII).
    @inline(__always)
    private static func same(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard let base = bytes.baseAddress, range.count == word.utf8CodeUnitCount else { return false }
        return memcmp(base + range.lowerBound, word.utf8Start, range.count) == 0
    }

    /// The name of a field line's key as written (a custom key's box is made here).
    func name(of field: ParsedField) -> FieldName {
        fieldName(bytes, field.position.keyStart..<field.keyEnd)
    }

    /// Checks a value as its key requires, reporting a problem at its place in the value.
    mutating func check(_ value: String, for key: FieldKey, at position: FieldPosition) {
        do throws(FieldProblem) {
            try key.check(value)
        } catch {
            report(error, at: position)
        }
    }

    /// Reports a value's problem, the column moved to the bad part of the value.
    mutating func report(_ problem: FieldProblem, at position: FieldPosition) {
        error(line: position.line, lineStart: position.lineStart,
              at: byteOffset(from: position.valueStart, scalars: problem.offset), problem.message)
    }

    /// The byte offset `scalars` Unicode scalars after `start` (a problem's place inside a value).
    func byteOffset(from start: Int, scalars count: Int) -> Int {
        var offset = start
        var scalars = 0
        while scalars < count && offset < bytes.count {
            offset += 1
            while offset < bytes.count && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            scalars += 1
        }
        return offset
    }

    /// Checks a votes line: NAME SCORE items, scores valid for the field; warns about votes
    /// from stakeholders the header does not declare and about votes that disagree.
    mutating func checkVotes(_ value: String, for field: FieldKey, at position: FieldPosition) {
        switch Vote.parseList(value, for: field) {
        case .failure(let problem):
            error(line: position.line, lineStart: position.lineStart,
                  at: byteOffset(from: position.valueStart, scalars: problem.offset), problem.message)
        case .success(let votes):
            let panel = self.panel ?? StakeholderPanel(header: BacklogHeader())
            let unknown = zip(votes, panel.stakeholders(of: votes)).filter { $0.1 == nil }.map(\.0.name)
            if !unknown.isEmpty {
                let known = panel.stakeholders.map(\.name)
                warning(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                        "vote from \(unknown.map { "'\($0)'" }.joined(separator: ", ")), not a stakeholder of the header "
                        + (known.isEmpty ? "(declare one with '- stakeholder: NAME | weight N')" : "(stakeholders: \(known.joined(separator: ", ")))"))
            }
            if panel.overflows(votes) {
                error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                      "these \(field.rawValue) votes times their stakeholders' weights are too large to combine "
                      + "(the exact arithmetic ends near 10^38): use smaller scores or weights")
            }
            if let why = panel.disagreement(votes) {
                warning(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                        "stakeholders disagree on \(field.rawValue): \(why)")
            }
        }
    }

    // MARK: Validation

    mutating func validateHeader(_ header: BacklogHeader,
                                 lines: [Int: (line: Int, lineStart: Int, valueStart: Int)],
                                 declared: Set<String>) {
        var seen: Set<String> = []
        var sprintNames: Set<String> = []
        var formulaNames: Set<String> = []
        var stakeholderNames: Set<String> = []
        var fieldNames: [String]?
        for (index, setting) in header.settings.enumerated() {
            guard let position = lines[index] else { continue }
            if setting.key == "formula" {
                // One line per formula, like sprints; the fields it names must exist somewhere.
                let names = fieldNames ?? Self.formulaFieldNames(customKeys: customKeys, declared: declared)
                fieldNames = names
                validateFormula(setting.value, at: position, knownFields: names, seen: &formulaNames)
                continue
            }
            if let findings = GroomingSettings.findings(setting, index: index, header: header,
                                                        customFields: customKeys.union(declared)) {
                for finding in findings {
                    let at = position.valueStart + finding.offset
                    if finding.isError { error(line: position.line, lineStart: position.lineStart, at: at, finding.message) }
                    else { warning(line: position.line, lineStart: position.lineStart, at: at, finding.message) }
                }
                if setting.key == "view" { continue }  // One line per view.
            }
            if setting.key == "sprint" {
                // One line per sprint, in order.
                switch Sprint.parse(setting.value) {
                case .success(let sprint):
                    if !sprintNames.insert(sprint.name).inserted {
                        error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                              "sprint '\(sprint.name)' is declared twice")
                    }
                case .failure(let problem):
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart, problem.message)
                }
                continue
            }
            if setting.key == "stakeholder" {
                // One line per stakeholder.
                switch Stakeholder.parse(setting.value) {
                case .success(let stakeholder):
                    if !stakeholderNames.insert(stakeholder.name).inserted {
                        error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                              "stakeholder '\(stakeholder.name)' is declared twice")
                    }
                case .failure(let problem):
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart, problem.message)
                }
                continue
            }
            if !seen.insert(setting.key).inserted {
                error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                      "setting '\(setting.key)' appears twice")
            }
            switch setting.key {
            case "strategy":
                let catalogue = StrategyCatalogue(formulas: header.formulas)
                if catalogue.strategy(named: setting.value) == nil {
                    let hint = Suggestion.closest(to: setting.value, among: catalogue.names).map { " (did you mean '\($0)'?)" } ?? ""
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                          "unknown strategy '\(setting.value)'\(hint) (known: \(catalogue.names.joined(separator: ", ")))")
                }
            case "prefix":
                if StoryID("\(setting.value)-1") == nil {
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                          "prefix '\(setting.value)' must start with a letter and hold only letters, digits or _")
                }
            case "stakeholder-aggregate":
                if StakeholderPanel.Aggregate(rawValue: FieldKey.normalize(setting.value)) == nil {
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                          "stakeholder-aggregate is mean or median, not '\(setting.value)'")
                }
            case "stakeholder-spread":
                if case .failure(let problem) = StakeholderPanel.parseSpread(setting.value) {
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart, problem.message)
                }
            case "statuses":
                for problem in Workflow.problems(in: setting.value) {
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart + problem.offset, problem.message)
                }
            default:
                break
            }
        }
    }

    /// The fields a formula may name: the numeric built-in fields, the declared fields
    /// (`- fields:`) and every custom field a story uses, normalised.
    static func formulaFieldNames(customKeys: Set<String>, declared: Set<String>) -> [String] {
        var names = FieldKey.allCases.filter { FieldKey.numeric.contains($0) }.map(\.rawValue)
        var seen = Set(names)
        for name in declared.sorted() where seen.insert(name).inserted { names.append(name) }
        for key in customKeys.sorted() where seen.insert(key).inserted { names.append(key) }
        return names
    }

    /// Checks a `formula` line: `NAME = EXPRESSION`, a name no other strategy has, an expression
    /// that parses and names only known numeric fields.
    mutating func validateFormula(_ value: String, at position: (line: Int, lineStart: Int, valueStart: Int),
                                  knownFields: [String], seen: inout Set<String>) {
        func report(_ offset: Int, _ message: String) {
            error(line: position.line, lineStart: position.lineStart, at: position.valueStart + offset, message)
        }
        guard let declared = FormulaStrategy.declared(value) else {
            return report(0, "a formula is NAME = EXPRESSION, such as 'delay = (value + time-criticality) / size'")
        }
        let name = declared.name
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }),
              name.unicodeScalars.first?.properties.isAlphabetic == true else {
            return report(declared.nameOffset, "a formula's name is a word of letters, digits, - or _ (such as 'delay')")
        }
        if let builtIn = StrategyRegistry.strategy(named: name) {
            let what = builtIn.name == FieldKey.normalize(name) ? "the built-in strategy" : "an alias of the built-in strategy"
            return report(declared.nameOffset, "'\(name)' is \(what) '\(builtIn.name)'; give the formula another name")
        }
        guard seen.insert(FieldKey.normalize(name)).inserted else {
            return report(declared.nameOffset, "formula '\(name)' is declared twice")
        }
        if let problem = declared.problem {
            return report(declared.expressionOffset + problem.offset, "\(problem.message) in formula '\(name)'")
        }
        guard let strategy = declared.strategy else { return }
        for (written, offset) in strategy.expression.fieldSites {
            let key = FieldKey.canonical(written)?.rawValue ?? FieldKey.normalize(written)
            if let canonical = FieldKey(rawValue: key), !FieldKey.numeric.contains(canonical) {
                report(declared.expressionOffset + offset, "'\(written)' is not a number field; formula '\(name)' can only use numbers")
            } else if !knownFields.contains(key) {
                let hint = Suggestion.closest(to: written, among: knownFields).map { " (did you mean '\($0)'?)" } ?? ""
                report(declared.expressionOffset + offset, "unknown field '\(written)' in formula '\(name)'\(hint)")
            }
        }
    }

    /// Points at each dependency on a missing story, or on the story itself (looked up in
    /// `ids`, and in `later` when the file was read in halves).
    func dependencyProblems(_ fields: [DependencyField], ids: StoryIDMap, later: StoryIDMap?) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        func error(line: Int, lineStart: Int, at offset: Int, _ message: String) {
            problems.append(Diagnostic(.error, at: location(line: line, lineStart: lineStart, at: offset), message))
        }
        for field in fields {
            let position = field.position
            for target in field.targets {
                if field.isParent, let message = ParentRules.problem(field.story, parent: target.id,
                                                                     exists: ids.contains(target.id) || (later?.contains(target.id) ?? false)) {
                    error(line: position.line, lineStart: position.lineStart, at: target.offset, message)
                } else if field.isParent {
                    continue
                } else if target.id == field.story {
                    error(line: position.line, lineStart: position.lineStart, at: target.offset,
                          "\(field.story) depends on itself")
                } else if !ids.contains(target.id) && !(later?.contains(target.id) ?? false) {
                    error(line: position.line, lineStart: position.lineStart, at: target.offset,
                          "\(field.story) depends on \(target.id), which is not in the backlog")
                }
            }
        }
        return problems
    }
}

/// The dependency check of each half, run on the half's thread while its stories move.
fileprivate final class DependencyCheck: @unchecked Sendable {
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
private struct ParallelWork: @unchecked Sendable {
    let parsers: (UnsafeMutablePointer<Parser>, UnsafeMutablePointer<Parser>)
    let states: (UnsafeMutablePointer<Parser.SegmentState>, UnsafeMutablePointer<Parser.SegmentState>)
    let ranges: (Range<Int>, Range<Int>)

    func run(_ index: Int) {
        if index == 0 {
            _ = parsers.0.pointee.scan(&states.0.pointee, from: ranges.0.lowerBound, to: ranges.0.upperBound, stopAtStory: false)
        } else {
            _ = parsers.1.pointee.scan(&states.1.pointee, from: ranges.1.lowerBound, to: ranges.1.upperBound, stopAtStory: false)
        }
    }
}

/// Where a story's ID is written, for messages.
struct IDSite {
    var id: StoryID
    var line: Int
    var lineStart: Int
    var idStart: Int
}

/// A field line of the story being read: its canonical key (nil for a custom one), and where
/// it and its value are. Plain values only, so that gathering a story's fields and clearing
/// them for the next story count no references.
struct ParsedField {
    var known: FieldKey?
    var keyEnd: Int
    var position: FieldPosition
    var valueEnd: Int
}

/// Where a field line is, for messages.
struct FieldPosition {
    var line: Int
    var lineStart: Int
    var keyStart: Int
    var valueStart: Int
}

/// A `depends` field to check once every ID is known.
struct DependencyField {
    var story: StoryID
    /// The IDs of the value's items that are IDs, each with the file offset where it starts.
    var targets: [(id: StoryID, offset: Int)]
    var position: FieldPosition
    /// True for a `parent` field (one target, its epic).
    var isParent = false
}
