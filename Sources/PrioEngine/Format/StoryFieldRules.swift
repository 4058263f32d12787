#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The rules for a story's fields: each value checked and kept, votes resolved.
extension Parser {
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
            // A numeric value of plain digits is read once: it needs no closer look, and a small
            // whole one goes into its slot.
            var plain: DecimalNumber?
            if key.isNumeric {
                let percent = key.spec.kind == .percent
                plain = plainNumber(valueRange, percent: percent)
                if percent, let number = plain, number.fraction > Fraction(100) { plain = nil }
                if sites != nil {
                    sites?[key] = NumberSites.slot(offset: position.valueStart - fieldsStart, small: plain?.smallWhole)
                }
            }
            switch key {
            case .status:
                // The four built-in statuses as prio writes them are read from the bytes.
                if let known = unsafe Parser.builtInStatus(bytes, valueRange), workflow.contains(known) {
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
                      !sprintBytes.contains(where: { unsafe $0.elementsEqual(bytes[valueRange]) }) else { break }
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
                if let known = unsafe Parser.plainMoSCoW(bytes, valueRange) {
                    moscow = known
                    break
                }
                do throws(FieldProblem) {
                    moscow = try key.parseMoSCoW(lineText(valueRange))
                } catch {
                    report(error, at: position)
                }
            default:
                if plain != nil { break }
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
        unsafe word(bytes, range, among: ["todo": .todo, "ready": .ready, "in-progress": .inProgress, "done": .done])
    }

    /// The MoSCoW category a value names when written as prio writes it (`must`, `should`,
    /// `could`, `wont`), read from the bytes; nil for any other text.
    static func plainMoSCoW(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> MoSCoW? {
        unsafe word(bytes, range, among: ["must": .must, "should": .should, "could": .could, "wont": .wont])
    }

    /// What `words` gives for the bytes in `range` when they are exactly one of its words.
    @inline(__always)
    private static func word<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                                among words: KeyValuePairs<StaticString, T>) -> T? {
        for (word, value) in words where unsafe same(bytes, range, word) { return value }
        return nil
    }

    /// True when the bytes in `range` are `word`'s (ASCII).
    @inline(__always)
    private static func same(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard let base = bytes.baseAddress, range.count == word.utf8CodeUnitCount else { return false }
        return unsafe memcmp(base + range.lowerBound, word.utf8Start, range.count) == 0
    }

    /// The name of a field line's key as written (a custom key's box is made here).
    func name(of field: ParsedField) -> FieldName {
        unsafe fieldName(bytes, field.position.keyStart..<field.keyEnd)
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
        while unsafe scalars < count && offset < bytes.count {
            offset += 1
            while unsafe offset < bytes.count && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
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
        case .success(let votes) where field == .points:
            checkEstimates(votes, at: position)
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

    /// Checks the team's estimates (`points-votes`): each name a member of the header's team,
    /// and a spread (by the rule of stakeholders' disagreement) is a warning.
    mutating func checkEstimates(_ estimates: [Vote], at position: FieldPosition) {
        let team = self.team ?? Team(header: BacklogHeader())
        let outside = estimates.filter { team.member($0.name) == nil }.map { "'\($0.name)'" }
        if !outside.isEmpty {
            warning(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                    "estimate from \(outside.joined(separator: ", ")), not in the team "
                    + (team.members.isEmpty ? "(no team is declared: add '- team: ana, ben, chen' to the header)"
                        : "(team: \(team.members.joined(separator: ", ")))"))
        }
        let panel = self.panel ?? StakeholderPanel(header: BacklogHeader())
        if let spread = panel.disagreement(estimates) {
            warning(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                    "the team's estimates of points spread: \(spread)")
        }
    }
}
