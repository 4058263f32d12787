#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The parser of one file (or, for a big file, of one half): its bytes, what it found so far.
// Safe to use: it reads a file's bytes only while the parse that made it runs inside their `withBytes`.
@safe struct Parser {
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
    /// The header's team, for checking estimates (set once the header is read).
    var team: Team?
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
        unsafe self.bytes = unsafe bytes
        self.source = source
        self.sourceText = source
        self.path = path
    }

    // MARK: Locations

    func location(line: Int, lineStart: Int, at offset: Int) -> SourceLocation {
        var column = 1
        var i = lineStart
        while unsafe i < offset && i < bytes.count {
            if unsafe bytes[i] & 0xC0 != 0x80 { column += 1 }
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
        unsafe String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A title or field value: one line, so a stray carriage return inside reads as a space.
    func lineText(_ range: Range<Int>) -> String {
        unsafe PrioEngine.lineText(bytes, range)
    }

    func slice(_ range: Range<Int>) -> LineBytes {
        unsafe bytes[range]
    }

    /// A value of plain digits (`digits(.digits)?`, and `%` when allowed) read as the stored
    /// number reader reads it; nil for any other text, which gets the closer look.
    @inline(__always)
    func plainNumber(_ range: Range<Int>, percent: Bool) -> DecimalNumber? {
        var end = range.upperBound
        if unsafe percent && end > range.lowerBound && bytes[end - 1] == 0x25 { end -= 1 }
        guard end > range.lowerBound else { return nil }
        return unsafe DecimalNumber.parsePlain(UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<end]))
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
            while unsafe end < range.upperBound && bytes[end] != UInt8(ascii: ",") { end += 1 }
            var first = start, last = end
            // A stray carriage return reads as a space, as in the value's text.
            while unsafe first < last && (bytes[first] == 0x20 || bytes[first] == 0x09 || bytes[first] == 0x0D) { first += 1 }
            while unsafe last > first && (bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 || bytes[last - 1] == 0x0D) { last -= 1 }
            if first < last {
                if let id = unsafe StoryID(utf8: UnsafeBufferPointer(rebasing: bytes[first..<last])) {
                    targets.append((id, first))
                } else {
                    allIDs = false
                }
            }
            start = end + 1
        }
        return (targets, allIDs)
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
        /// Set for a big file's second half: its duplicate IDs wait here for the join (an ID may
        /// have been used first in the first half, which names the line in the error).
        var deferredDuplicates: [(site: IDSite, firstUsedOn: Int)]?
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

    /// Story text of at least this many bytes is parsed in two halves on two threads (tests
    /// set it lower, to compare both ways on small files).
    var parallelFrom = twoThreadBytes
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
