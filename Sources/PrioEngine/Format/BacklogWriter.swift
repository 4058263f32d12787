/// Writes a backlog in the Markdown format.
///
/// Every part that is unchanged since the file was read is copied byte for byte; changed
/// parts are written canonically with the file's own line ending. So a canonical file
/// round-trips exactly, changing a field changes one line, and moving a story moves its block.
public enum BacklogWriter {
    /// The file's bytes.
    public static func write(_ backlog: Backlog) -> [UInt8] {
        write(backlog, parallelFrom: parallelThreshold)
    }

    /// The file's bytes, written in two halves on two threads when the backlog has at least
    /// `threshold` stories (tests compare both ways).
    static func write(_ backlog: Backlog, parallelFrom threshold: Int) -> [UInt8] {
        var out = Output(source: backlog.source, lineEnding: backlog.lineEnding)
        if backlog.hasBOM {
            out.bytes.append(contentsOf: [0xEF, 0xBB, 0xBF])
            out.floor = 3
        }
        writeHeader(backlog.header, to: &out)
        let headerIsEmpty = out.bytes.count == (backlog.hasBOM ? 3 : 0)
        if !backlog.stories.isEmpty && (!headerIsEmpty || backlog.header.separatorSource != nil) {
            out.separator(backlog.header.separatorSource)
        }
        let count = backlog.stories.count
        @Sendable func writeStories(_ range: Range<Int>, to out: inout Output) {
            unsafe backlog.stories.withUnsafeBufferPointer { stories in
                for index in range {
                    unsafe writeStory(stories[index], to: &out)
                    if index < count - 1 {
                        unsafe out.separator(stories[index].separatorSource?.range, from: stories[index].sourceText ?? backlog.source)
                    }
                }
            }
        }
        // Two halves on two threads for a big backlog. The second starts at a story heading,
        // which begins a line: joined, the bytes are what one pass writes (a line break goes
        // between them only where one pass's `startLine` would put one).
        let start = out
        let parts = inHalves(count, from: threshold) { range -> [UInt8] in
            var part = range.lowerBound == 0 ? start : Output(source: backlog.source, lineEnding: backlog.lineEnding)
            part.bytes.reserveCapacity(range.lowerBound == 0 ? backlog.source.count + 1024 : max(1024, backlog.source.count / 2))
            writeStories(range, to: &part)
            return part.bytes
        }
        out.bytes = parts[0]
        if parts.count > 1 {
            if !parts[1].isEmpty { out.startLine() }
            out.bytes.append(contentsOf: parts[1])
        }
        if let trailer = backlog.trailerSource { out.raw(trailer) }
        if backlog.crLineEndings {
            // Read with each CR as LF (such a file holds no LF), so every LF here was a CR.
            return out.bytes.map { $0 == 0x0A ? 0x0D : $0 }
        }
        return out.bytes
    }

    /// Backlogs with at least this many stories are written in two halves on two threads.
    static var parallelThreshold: Int { twoThreadCount }

    /// The text of a story block on its own, canonical (for editors and previews).
    public static func canonicalBlock(_ story: Story) -> String {
        var copy = story
        copy.detachFromSource()
        var out = Output(source: .empty, lineEnding: [0x0A])
        writeStory(copy, to: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    static func writeHeader(_ header: BacklogHeader, to out: inout Output) {
        for line in header.lines {
            if let source = line.source {
                out.raw(source)
            } else {
                out.line(line.text ?? "")
            }
        }
    }

    static func writeStory(_ story: Story, to out: inout Output) {
        // A story copies its unchanged parts from the file it was read from, which may be an
        // earlier version of this file (undo after a save) or another text (an editor's).
        let source = story.sourceText ?? out.source
        if let heading = story.headingSource {
            out.raw(heading.range, from: source)
        } else {
            out.line(story.title.isEmpty ? "## \(story.id)" : "## \(story.id) \(story.title)")
        }
        if let lines = story.unchangedFieldLines {
            out.raw(lines, from: source)
        } else {
            writeFields(story.fields, from: source, to: &out)
        }
        if let body = story.bodySource {
            out.raw(body.range, from: source)
        } else if !story.description.isEmpty {
            out.line("")
            for line in story.description.split(separator: "\n", omittingEmptySubsequences: false) {
                out.line(line)
            }
        }
    }

    /// Writes field lines: unchanged ones byte for byte, the others canonically.
    static func writeFields(_ fields: [Field], from source: SourceText, to out: inout Output) {
        for field in fields {
            if let range = field.source {
                out.raw(range.range, from: source)
            } else {
                out.line("- \(field.rawKey): \(field.value)")
            }
        }
    }
}

/// The bytes being written, with the rule that every piece starts on a new line.
struct Output {
    let source: SourceText
    let lineEnding: [UInt8]
    var bytes: [UInt8] = []
    /// Bytes before this index (a byte order mark) do not count as a line.
    var floor = 0

    init(source: SourceText, lineEnding: [UInt8]) {
        self.source = source
        self.lineEnding = lineEnding
    }

    /// Ends the previous line when it had no line break (the file's last line, moved).
    mutating func startLine() {
        if bytes.count > floor, let last = bytes.last, last != 0x0A { bytes.append(contentsOf: lineEnding) }
    }

    /// Copies bytes of the loaded file.
    mutating func raw(_ range: Range<Int>) {
        raw(range, from: source)
    }

    /// Copies bytes of a given source.
    mutating func raw(_ range: Range<Int>, from other: SourceText) {
        guard !range.isEmpty, range.upperBound <= other.count else { return }
        startLine()
        unsafe other.withBytes { source in unsafe bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[range])) }
    }

    /// Writes a new line and its line ending.
    mutating func line(_ text: some StringProtocol) {
        startLine()
        bytes.append(contentsOf: text.utf8)
        bytes.append(contentsOf: lineEnding)
    }

    /// The blank lines between two blocks: the original ones, or one blank line.
    mutating func separator(_ range: Range<Int>?, from other: SourceText? = nil) {
        if let range, !range.isEmpty {
            raw(range, from: other ?? source)
        } else if range == nil {
            line("")
        } else {
            startLine()
        }
    }
}
