#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading lines: headings, field lines, descriptions; finishing the stories and the file.
extension Parser {
    /// Reads lines from `from` to `to`. With `stopAtStory`, stops before the first story
    /// heading and returns its offset.
    mutating func scan(_ state: inout SegmentState, from: Int, to n: Int, stopAtStory: Bool) -> Int? {
        var position = from
        guard let base = unsafe bytes.baseAddress else { return nil }
        while position < n {
            let lineStart = position
            var lineEnd: Int
            var next: Int
            if let newline = unsafe nextLineFeed(base, from: position, to: n) {
                next = newline + 1
                lineEnd = newline
                if unsafe lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                if !state.sawLineEnding {
                    state.sawLineEnding = true
                    if lineEnd < newline { state.lineEnding = [0x0D, 0x0A] }
                }
            } else {
                lineEnd = n
                next = n
            }
            let line = unsafe slice(lineStart..<lineEnd)

            // A story heading outside a code fence starts a new story.
            if unsafe !state.fence.isOpen && isStoryHeading(line) {
                if stopAtStory { return lineStart }
                state.lineNumber += 1
                position = next
                if state.pending != nil {
                    closePending(&state, separatorEnd: lineStart)
                } else if state.stories.isEmpty {
                    state.header.separatorSource = state.headerContentEnd..<lineStart
                }
                state.pending = unsafe startStory(line: line, lineNumber: state.lineNumber, lineStart: lineStart, next: next,
                                           state: &state)
                continue
            }
            state.lineNumber += 1
            position = next
            let lineNumber = state.lineNumber
            let blank = unsafe isBlank(line)

            if state.pending != nil {
                if state.pending!.inFields, let (key, value) = unsafe fieldLine(line) {
                    unsafe state.fieldScratch.append(ParsedField(
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
                unsafe state.fence.feed(line, lineNumber: lineNumber)
                if !blank || wasOpen {
                    if state.pending!.firstContent == nil { state.pending!.firstContent = lineStart }
                    state.pending!.contentEnd = next
                    state.pending!.contentEndLineBreak = lineEnd
                }
                continue
            }

            // The header.
            let wasOpen = state.fence.isOpen
            unsafe state.fence.feed(line, lineNumber: lineNumber)
            if !blank || wasOpen { state.headerContentEnd = next }
            if wasOpen || state.fence.isOpen {
                state.header.lines.append(.init(kind: .text, source: lineStart..<next))
            } else if state.header.name == nil, let nameRange = unsafe levelOneHeading(line) {
                state.header.name = string(nameRange)
                state.header.lines.append(.init(kind: .name, source: lineStart..<next))
            } else if let (key, value) = unsafe fieldLine(line) {
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
        let n = unsafe bytes.count
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
        var i = unsafe indentEnd(line) + 2
        let rest = unsafe trimmedRange(line, from: i)
        i = rest.lowerBound
        var idEnd = i
        while unsafe idEnd < rest.upperBound && line[idEnd] != UInt8(ascii: " ") && line[idEnd] != UInt8(ascii: "\t") {
            idEnd += 1
        }
        var id: StoryID?
        if i == idEnd {
            error(line: lineNumber, lineStart: lineStart, at: rest.lowerBound,
                  "story heading needs an ID, like '## S-1 Title'")
        } else if let parsed = unsafe StoryID(utf8: UnsafeBufferPointer(rebasing: bytes[i..<idEnd])) {
            id = parsed
            if let first = state.firstID.insertIfAbsent(parsed, state.idSites.count) {
                let site = IDSite(id: parsed, line: lineNumber, lineStart: lineStart, idStart: i)
                if state.deferredDuplicates != nil {
                    state.deferredDuplicates?.append((site, state.idSites[first].line))
                } else {
                    duplicateError(site, firstUsedOn: state.idSites[first].line)
                }
            } else {
                state.idSites.append(IDSite(id: parsed, line: lineNumber, lineStart: lineStart, idStart: i))
            }
        } else {
            error(line: lineNumber, lineStart: lineStart, at: i,
                  "'\(string(i..<idEnd))' is not a story ID: a heading starts with an ID like S-12")
        }
        let title = unsafe trimmedRange(line, from: idEnd)
        state.pendingID = id
        return PendingStory(title: title, headingRange: lineStart..<next, line: lineNumber,
                            lineStart: lineStart, bodyStart: next, contentEnd: next, contentEndLineBreak: next)
    }

    /// The error for an ID used a second time.
    mutating func duplicateError(_ site: IDSite, firstUsedOn line: Int) {
        error(line: site.line, lineStart: site.lineStart, at: site.idStart,
              "duplicate ID \(site.id) (first used on line \(line))")
    }
}
