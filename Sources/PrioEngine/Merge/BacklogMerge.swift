/// The three-way merge of two versions of a backlog, by story ID and field by field: what
/// `prio merge` does as git's merge driver.
///
/// - Edits to different fields of a story, or to different stories, merge cleanly; the title
///   merges like a field; descriptions merge line by line (`LineMerge`).
/// - The manual order merges three-way: each side's moves are applied; a story moved
///   differently on both sides keeps our position (a note, not a conflict); added stories keep
///   their place after their neighbour on their side.
/// - A story removed on one side goes when the other left it alone; removed on one side and
///   edited on the other is a conflict (the edited block between markers), never a silent loss.
/// - Two new stories that took the same ID are both kept: theirs gets the next free ID, and
///   references to it in theirs' new stories follow (a note).
/// - The header merges by item: settings by key, sprint and formula lines by name, free text by line.
/// - A real conflict (one field changed differently on both sides) puts markers around that one
///   field line; everything else is merged. Stories no side changed stay byte-identical to ours.
/// - Inputs that do not read as backlogs (or hold markers already) are merged as plain text.
public enum BacklogMerge {
    /// The merged file, how many conflicts it holds, and what to tell the user.
    public struct Outcome: Sendable {
        public var bytes: [UInt8]
        public var conflicts: Int
        /// Lines for stderr: renumbered IDs, moves kept, a fallback to a text merge.
        public var notes: [String]
    }

    /// Merges `ours` and `theirs`, both descended from `base`; `path` names the file in notes.
    /// A result without conflicts is read back as every command reads it (the loader, and
    /// `check`'s cycles); a line it refuses is put between markers, so that git never commits
    /// a file prio cannot read.
    public static func merge(base: [UInt8], ours: [UInt8], theirs: [UInt8], path: String = "backlog") -> Outcome {
        // The three versions are read at once: each parse has stretches on one thread (the
        // header, joining its halves) that the others fill.
        let inputs = [base, ours, theirs]
        let versions = concurrentMap(3) { k -> Backlog? in
            guard let parsed = try? BacklogParser.parse(inputs[k], path: path, resolveDependencies: false) else { return nil }
            return parsed.backlog
        }
        guard let b = versions[0], let o = versions[1], let t = versions[2] else {
            return textMerge(base: base, ours: ours, theirs: theirs,
                             note: "prio: \(path): a version does not read as a backlog (or holds conflict markers); merged line by line")
        }
        var merger = Merger(base: b, ours: o, theirs: t)
        merger.tokenMark = tokenMark(unusedIn: inputs)
        return checked(merger.run(), path: path)
    }

    /// The placeholder's mark: a private-use character and a word, longer until none of
    /// `inputs` holds it (a description line may hold anything).
    static func tokenMark(unusedIn inputs: [[UInt8]]) -> String {
        var mark = "\u{E000}prio-conflict-"
        while inputs.contains(where: { contains($0, Array(mark.utf8)) }) { mark = "\u{E000}" + mark }
        return mark
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var i = 0
        while let hit = bytes[i...].firstIndex(of: first) {
            if hit + needle.count > bytes.count { return false }
            if bytes[hit..<(hit + needle.count)].elementsEqual(needle) { return true }
            i = hit + 1
        }
        return false
    }

    /// `outcome` when it has conflicts already or reads back without an error; otherwise each
    /// line an error points at goes between markers (with the error), counted as a conflict.
    static func checked(_ outcome: Outcome, path: String) -> Outcome {
        guard outcome.conflicts == 0 else { return outcome }
        var problems: [Diagnostic]
        do {
            let parsed = try BacklogParser.parse(outcome.bytes, path: path)
            problems = parsed.backlog.cycleDiagnostics(path: path)
        } catch {
            problems = error.errors
        }
        guard !problems.isEmpty else { return outcome }
        problems.sort { $0.location < $1.location }
        // Lines end at LF (or CR alone in a file without LF, as the parser reads it).
        let end: UInt8 = outcome.bytes.contains(0x0A) || !outcome.bytes.contains(0x0D) ? 0x0A : 0x0D
        var lines = outcome.bytes.split(separator: end, omittingEmptySubsequences: false).map(Array.init)
        let hadFinalBreak = outcome.bytes.last == end
        if hadFinalBreak { lines.removeLast() }
        var byLine: [Int: [Diagnostic]] = [:]
        for problem in problems {
            byLine[min(max(problem.location.line, 1), max(lines.count, 1)), default: []].append(problem)
        }
        var out: [UInt8] = []
        var notes = outcome.notes
        for (n, line) in (lines.isEmpty ? [[]] : lines).enumerated() {
            guard let found = byLine[n + 1] else {
                out += line + [end]
                continue
            }
            let cr: [UInt8] = end == 0x0A && line.last == 0x0D ? [0x0D] : []
            let why = found.map { TerminalSafe.sanitize($0.message) }.joined(separator: "; ")
            out += Array("<<<<<<< merged (does not read: \(why))".utf8) + cr + [end]
            out += line + [end]
            out += Array("=======".utf8) + cr + [end]
            out += Array(">>>>>>> resolve, then 'prio check'".utf8) + cr + [end]
            for problem in found {
                notes.append("prio: \(path):\(problem.location.line): the merge would not read: \(TerminalSafe.sanitize(problem.message))")
            }
        }
        if !hadFinalBreak, out.last == end { out.removeLast() }
        return Outcome(bytes: out, conflicts: byLine.count, notes: notes)
    }

    /// A plain line-by-line three-way merge of the bytes (any bytes, not only UTF-8, carried
    /// through as they are); always reported as needing a look (exit 1). Lines end at LF; a CR
    /// before it stays with its line, and the marker lines take ours' line ending.
    static func textMerge(base: [UInt8], ours: [UInt8], theirs: [UInt8], note: String) -> Outcome {
        // Each byte as the scalar of the same value: lossless, and markers are ASCII.
        func lines(_ bytes: [UInt8]) -> [String] {
            bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
                var text = String.UnicodeScalarView()
                for byte in line { text.append(Unicode.Scalar(byte)) }
                return String(text)
            }
        }
        let result = LineMerge.merge3(base: lines(base), ours: lines(ours), theirs: lines(theirs))
        let crlf = ours.firstIndex(of: 0x0A).map { $0 > 0 && ours[$0 - 1] == 0x0D } ?? false
        let markers: Set<String> = ["<<<<<<< ours", "=======", ">>>>>>> theirs"]
        var bytes: [UInt8] = []
        for (n, line) in result.lines.enumerated() {
            if n > 0 { bytes.append(0x0A) }
            for scalar in line.unicodeScalars { bytes.append(UInt8(truncatingIfNeeded: scalar.value)) }
            if crlf && markers.contains(line) { bytes.append(0x0D) }
        }
        return Outcome(bytes: bytes, conflicts: max(1, result.conflicts), notes: [note])
    }

    /// `text` split at LF only, each line keeping a CR before it: `split(separator: "\n")` on
    /// a String does not split at CR LF, which is one Character.
    static func lines(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
    }
}

/// The working state of one merge.
struct Merger {
    let base: Backlog
    let ours: Backlog
    var theirs: Backlog
    var notes: [String] = []
    var conflicts = 0
    /// The start of each conflict's placeholder (`BacklogMerge.tokenMark`: in no input).
    var tokenMark = "\u{E000}prio-conflict-"

    init(base: Backlog, ours: Backlog, theirs: Backlog) {
        self.base = base
        self.ours = ours
        self.theirs = theirs
    }

    /// A merged story and how to write it.
    enum Piece {
        /// Written as it is (ours', or theirs' bytes).
        case story(Story, conflicts: [FieldConflict])
        /// Kept by one side, removed by the other: the block between markers on its side.
        case removedAgainstEdit(Story, keptByOurs: Bool)
        /// Added on both sides with one ID that cannot be renumbered: both blocks between markers.
        case addedOnBoth(ours: Story, theirs: Story)
    }

    /// One field changed differently on both sides: the token standing in its line, and each side's line.
    struct FieldConflict {
        var token: String
        var oursLine: String?
        var theirsLine: String?
    }

    mutating func run() -> BacklogMerge.Outcome {
        renumberCollidingIDs()
        let baseIndex = index(base), oursIndex = index(ours), theirsIndex = index(theirs)
        // Every ID of the three versions, once, in ID order (maps by ID, not hashes: 100,000s of IDs).
        var seen = StoryIDSet(capacity: ours.stories.count)
        var allIDs: [StoryID] = []
        for ids in [ours.storyIDs, theirs.storyIDs, base.storyIDs] {
            for id in ids where seen.insert(id) { allIDs.append(id) }
        }
        allIDs.sort()
        // Which side each story comes from when one side left it as it was: compared for all
        // stories on two threads; only the stories both sides changed are merged field by field.
        let sides = Merger.unchangedSides(allIDs, (base, ours, theirs), (baseIndex, oursIndex, theirsIndex))
        var pieces = MergedPieces(capacity: allIDs.count)
        for (n, id) in allIDs.enumerated() {
            let b = baseIndex[id].map { base.stories[$0] }
            let o = oursIndex[id].map { ours.stories[$0] }
            let t = theirsIndex[id].map { theirs.stories[$0] }
            switch (b, o, t) {
            case let (b?, o?, t?):
                switch sides[n] {
                case .theirsUnchanged: pieces.add(id, .story(o, conflicts: []))
                case .oursUnchanged: pieces.add(id, .story(t, conflicts: []))
                case .bothChanged: pieces.add(id, mergeStory(base: b, ours: o, theirs: t))
                }
            case let (b?, o?, nil):
                if o == b { continue }  // removed by theirs, untouched by ours
                conflicts += 1
                pieces.add(id, .removedAgainstEdit(o, keptByOurs: true))
            case let (b?, nil, t?):
                if t == b { continue }
                conflicts += 1
                pieces.add(id, .removedAgainstEdit(t, keptByOurs: false))
            case (_?, nil, nil): continue
            case let (nil, o?, t?) where o != t:  // added on both sides, no ID left to renumber theirs
                conflicts += 1
                pieces.add(id, .addedOnBoth(ours: o, theirs: t))
            case let (nil, o?, _): pieces.add(id, .story(o, conflicts: []))  // added by ours (or both, the same)
            case let (nil, nil, t?): pieces.add(id, .story(t, conflicts: []))
            case (nil, nil, nil): continue
            }
        }
        let order = mergeOrder(keep: StoryIDSet(pieces.ids), keptInIDOrder: pieces.ids)
        return write(order: order, pieces: pieces)
    }

    /// How a story in all three versions relates to the base: `mergeStory`'s first two tests.
    enum UnchangedSide { case theirsUnchanged, oursUnchanged, bothChanged }

    /// Ours when theirs is the base's (or the same as ours), theirs when ours is the base's.
    static func side(base: Story, ours: Story, theirs: Story) -> UnchangedSide {
        if theirs == base || ours == theirs { return .theirsUnchanged }
        if ours == base { return .oursUnchanged }
        return .bothChanged
    }

    /// `UnchangedSide` of each ID in all three versions (`.bothChanged` for the others, which
    /// the caller does not ask about), worked out on two threads for big merges.
    static func unchangedSides(_ ids: [StoryID], _ versions: (Backlog, Backlog, Backlog),
                               _ indices: (StoryIDMap, StoryIDMap, StoryIDMap)) -> [UnchangedSide] {
        @Sendable func classify(_ range: Range<Int>) -> [UnchangedSide] {
            range.map { n in
                let id = ids[n]
                guard let b = indices.0[id], let o = indices.1[id], let t = indices.2[id] else { return .bothChanged }
                return side(base: versions.0.stories[b], ours: versions.1.stories[o], theirs: versions.2.stories[t])
            }
        }
        return inHalves(ids.count, classify).flatMap { $0 }
    }

    /// The merged stories by ID, in ID order.
    struct MergedPieces {
        private(set) var ids: [StoryID] = []
        private var pieces: [Piece] = []
        private var index: StoryIDMap

        init(capacity: Int) {
            index = StoryIDMap(capacity: capacity)
            ids.reserveCapacity(capacity)
            pieces.reserveCapacity(capacity)
        }

        mutating func add(_ id: StoryID, _ piece: Piece) {
            guard index.insertIfAbsent(id, pieces.count) == nil else { return }
            ids.append(id)
            pieces.append(piece)
        }

        subscript(id: StoryID) -> Piece? {
            index[id].map { pieces[$0] }
        }
    }

    func index(_ backlog: Backlog) -> StoryIDMap {
        StoryIDMap(indexing: backlog.storyIDs)
    }

    // MARK: IDs

    /// New stories on both sides with one ID and different contents: theirs takes the next free
    /// ID (when one is left under 19 digits; otherwise both stay, between markers). O(n) for
    /// any number of collisions: the highest number per prefix is found once.
    mutating func renumberCollidingIDs() {
        let baseIDs = StoryIDSet(base.storyIDs)
        let oursByID = index(ours)
        // The highest number in use per prefix, gathered at the first collision (most merges have none).
        var highest: [String: Int] = [:]
        var renamed: [StoryID: StoryID] = [:]
        for i in theirs.stories.indices {
            guard !baseIDs.contains(theirs.stories[i].id), let mine = oursByID[theirs.stories[i].id],
                  ours.stories[mine] != theirs.stories[i] else { continue }
            let story = theirs.stories[i]
            if highest.isEmpty {
                for id in base.storyIDs + ours.storyIDs + theirs.storyIDs { highest[id.prefix] = max(highest[id.prefix] ?? 0, id.number) }
            }
            let top = highest[story.id.prefix] ?? 0
            guard top < StoryID.highestNumber else {
                notes.append("prio: \(story.id) was added on both sides and no ID of \(story.id.prefix)- is left under 19 digits; both are kept between markers")
                continue
            }
            let fresh = StoryID(prefix: story.id.prefix, number: top + 1, width: story.id.width)
            highest[story.id.prefix] = top + 1
            renamed[story.id] = fresh
            theirs.stories[i].id = fresh
            theirs.stories[i].headingSource = nil
            notes.append("prio: \(story.id) was added on both sides; theirs (\(story.title)) is now \(fresh)")
        }
        guard !renamed.isEmpty else { return }
        // References follow the new IDs in every story theirs added or changed (an ID new on
        // both sides means theirs' story wherever theirs wrote it).
        let baseIndex = index(base)
        for i in theirs.stories.indices {
            let depends = theirs.stories[i].dependencies
            guard depends.contains(where: { renamed[$0] != nil }) else { continue }
            if let b = baseIndex[theirs.stories[i].id], base.stories[b] == theirs.stories[i] { continue }
            let text = depends.map { (renamed[$0] ?? $0).description }.joined(separator: ", ")
            try? theirs.stories[i].setField(FieldKey.depends.rawValue, text)
        }
    }

    // MARK: Stories

    /// Field by field; the title like a field; the description line by line.
    mutating func mergeStory(base b: Story, ours o: Story, theirs t: Story) -> Piece {
        switch Merger.side(base: b, ours: o, theirs: t) {
        case .theirsUnchanged: return .story(o, conflicts: [])
        case .oursUnchanged: return .story(t, conflicts: [])
        case .bothChanged: break
        }
        var merged = o
        var fieldConflicts: [FieldConflict] = []
        // The title.
        switch pick(b.title, o.title, t.title) {
        case .take(let value?): if value != o.title { try? merged.setTitle(value) }
        case .take(nil): break
        case .conflict:
            conflicts += 1
            let token = token(conflicts)
            try? merged.setTitle(token)
            fieldConflicts.append(FieldConflict(token: token, oursLine: "## \(o.id) \(o.title)", theirsLine: "## \(t.id) \(t.title)"))
        }
        // The fields, by normalised key.
        var keys: [String] = []
        for field in o.fields + t.fields + b.fields where !keys.contains(field.key) { keys.append(field.key) }
        for key in keys {
            let bv = b.fields.first { $0.key == key }, ov = o.fields.first { $0.key == key }, tv = t.fields.first { $0.key == key }
            switch pick(bv?.value, ov?.value, tv?.value) {
            case .take(let value):
                if value != ov?.value {
                    let raw = tv?.rawKey ?? ov?.rawKey ?? key
                    try? merged.setField(raw, value ?? "")
                }
            case .conflict:
                conflicts += 1
                let token = token(conflicts)
                let raw = ov?.rawKey ?? tv?.rawKey ?? key
                merged.placeConflictToken(raw, token)
                fieldConflicts.append(FieldConflict(token: token, oursLine: ov.map { "- \($0.rawKey): \($0.value)" },
                                                    theirsLine: tv.map { "- \($0.rawKey): \($0.value)" }))
            }
        }
        // The description.
        if o.description != t.description {
            func lines(_ text: String) -> [String] { text.isEmpty ? [] : BacklogMerge.lines(text) }
            let result = LineMerge.merge3(base: lines(b.description), ours: lines(o.description), theirs: lines(t.description))
            conflicts += result.conflicts
            let text = result.lines.joined(separator: "\n")
            if text != o.description { merged.setDescription(text) }
        }
        return .story(merged, conflicts: fieldConflicts)
    }

    /// The three-way rule for one value (nil: absent).
    enum Pick { case take(String?), conflict }
    func pick(_ b: String?, _ o: String?, _ t: String?) -> Pick {
        if o == t { return .take(o) }
        if o == b { return .take(t) }
        if t == b { return .take(o) }
        return .conflict
    }

    /// A placeholder that stands in a conflicted line until the markers replace it.
    func token(_ n: Int) -> String { "\(tokenMark)\(n)\u{E000}" }

    // MARK: Order

    /// The merged manual order: ours, with theirs' moves and additions applied where ours did
    /// not move the same story. O(n): each story theirs placed goes after its nearest kept
    /// predecessor on their side (chains of them keep their order), our additions right there first.
    mutating func mergeOrder(keep: StoryIDSet, keptInIDOrder: [StoryID]) -> [StoryID] {
        let b = base.storyIDs, o = ours.storyIDs, t = theirs.storyIDs
        let movedByOurs = BacklogMergeOrder.moved(from: b, to: o)
        let movedByTheirs = BacklogMergeOrder.moved(from: b, to: t)
        let baseIDs = StoryIDSet(b), theirsIDs = StoryIDSet(t), oursIDs = StoryIDSet(o)
        let oursIndex = StoryIDMap(indexing: o)
        // The stories theirs places: moved or added there, kept, and not moved by ours as well.
        var placedByTheirs = StoryIDSet()
        for (i, id) in t.enumerated() where movedByTheirs.contains(id) && keep.contains(id) {
            if movedByOurs.contains(id) && oursIDs.contains(id) {
                let oursPlace = oursIndex[id].map { $0 + 1 } ?? 0
                if i + 1 != oursPlace {
                    notes.append("prio: \(id) was moved on both sides; it keeps our position (\(oursPlace)), theirs was \(i + 1)")
                }
                continue
            }
            placedByTheirs.insert(id)
        }
        var chains: [StoryID?: [StoryID]] = [:]
        var previousKept: StoryID?
        for id in t {
            if placedByTheirs.contains(id) { chains[previousKept, default: []].append(id) }
            if keep.contains(id) { previousKept = id }
        }
        // Our order, less what theirs places, then stories only theirs kept (removed by ours against an edit).
        var list = o.filter { keep.contains($0) && !placedByTheirs.contains($0) }
        let listed = StoryIDSet(list)
        list += t.filter { keep.contains($0) && !listed.contains($0) && !placedByTheirs.contains($0) && baseIDs.contains($0) }
        let addedByOurs = StoryIDSet(o.filter { !baseIDs.contains($0) && !theirsIDs.contains($0) })
        var result: [StoryID] = []
        result.reserveCapacity(keep.count)
        var emitted = StoryIDSet(capacity: keep.count)
        func emitChain(_ owner: StoryID?) {
            var stack = Array((chains[owner] ?? []).reversed())
            while let id = stack.popLast() {
                guard emitted.insert(id) else { continue }
                result.append(id)
                stack += (chains[id] ?? []).reversed()
            }
        }
        emitChain(nil)
        var pending: StoryID?
        for id in list {
            if addedByOurs.contains(id) {
                if emitted.insert(id) { result.append(id) }
                continue
            }
            if let owner = pending { emitChain(owner) }
            if emitted.insert(id) { result.append(id) }
            pending = id
        }
        if let owner = pending { emitChain(owner) }
        // Anything kept but still unplaced goes last.
        for id in keptInIDOrder where !emitted.contains(id) { result.append(id) }
        return result
    }

    // MARK: Writing

    mutating func write(order: [StoryID], pieces: MergedPieces) -> BacklogMerge.Outcome {
        var out = Output(source: ours.source, lineEnding: ours.lineEnding)
        if ours.hasBOM {
            out.bytes.append(contentsOf: [0xEF, 0xBB, 0xBF])
            out.floor = 3
        }
        // Ours' header as it is (byte for byte, mixed line endings included) when theirs did not change it.
        if let lines = mergeHeader() {
            for line in lines { out.line(line) }
        } else {
            BacklogWriter.writeHeader(ours.header, to: &out)
        }
        let headerIsEmpty = out.bytes.count == out.floor
        if !order.isEmpty && (!headerIsEmpty || ours.header.separatorSource != nil) {
            out.separator(ours.header.separatorSource)
        }
        for (n, id) in order.enumerated() {
            guard let piece = pieces[id] else { continue }
            switch piece {
            case .story(let story, let fieldConflicts):
                if fieldConflicts.isEmpty {
                    BacklogWriter.writeStory(story, to: &out)
                } else {
                    var block = Output(source: story.sourceText ?? ours.source, lineEnding: ours.lineEnding)
                    BacklogWriter.writeStory(story, to: &block)
                    var text = String(decoding: block.bytes, as: UTF8.self)
                    for conflict in fieldConflicts {
                        text = Merger.replaceLine(containing: conflict.token, in: text, with: [
                            "<<<<<<< ours", conflict.oursLine, "=======", conflict.theirsLine, ">>>>>>> theirs",
                        ].compactMap { $0 })
                    }
                    let lines = BacklogMerge.lines(text)
                    for line in lines.dropLast(text.unicodeScalars.last == "\n" ? 1 : 0) {
                        out.line(line.unicodeScalars.last == "\r" ? String(line.unicodeScalars.dropLast()) : line)
                    }
                }
            case .removedAgainstEdit(let story, let keptByOurs):
                notes.append("prio: conflict: \(story.id) was removed on one side and changed on the other")
                out.line(keptByOurs ? "<<<<<<< ours" : "<<<<<<< ours (removed \(story.id))")
                if !keptByOurs { out.line("=======") }
                BacklogWriter.writeStory(story, to: &out)
                if keptByOurs { out.line("=======") }
                out.line(keptByOurs ? ">>>>>>> theirs (removed \(story.id))" : ">>>>>>> theirs")
            case .addedOnBoth(let mine, let other):
                out.line("<<<<<<< ours")
                BacklogWriter.writeStory(mine, to: &out)
                out.line("=======")
                BacklogWriter.writeStory(other, to: &out)
                out.line(">>>>>>> theirs (\(mine.id) added on both sides)")
            }
            if n < order.count - 1 {
                switch piece {
                case .story(let story, _):
                    out.separator(story.separatorSource?.range, from: story.sourceText ?? ours.source)
                case .removedAgainstEdit, .addedOnBoth:
                    out.line("")
                }
            }
        }
        if let trailer = ours.trailerSource { out.raw(trailer) }
        var bytes = out.bytes
        if ours.crLineEndings { bytes = bytes.map { $0 == 0x0A ? 0x0D : $0 } }
        return BacklogMerge.Outcome(bytes: bytes, conflicts: conflicts, notes: notes)
    }

    static func replaceLine(containing token: String, in text: String, with lines: [String]) -> String {
        var result: [String] = []
        for line in BacklogMerge.lines(text) {
            if line.contains(token) { result += lines } else { result.append(line) }
        }
        return result.joined(separator: "\n")
    }

    // MARK: Header

    /// The header's lines, merged by item: the name, settings by key (sprints and formulas by
    /// name), free text by line; nil when ours stands as it is.
    mutating func mergeHeader() -> [String]? {
        func lines(_ backlog: Backlog) -> [String] {
            var out = Output(source: backlog.source, lineEnding: [0x0A])
            BacklogWriter.writeHeader(backlog.header, to: &out)
            let text = String(decoding: out.bytes, as: UTF8.self)
            var result = BacklogMerge.lines(text)
            if result.last == "" { result.removeLast() }
            return result.map { $0.unicodeScalars.last == "\r" ? String($0.unicodeScalars.dropLast()) : $0 }
        }
        let b = lines(base), o = lines(ours), t = lines(theirs)
        if o == t || t == b { return nil }
        if o == b { return t }
        func keyed(_ lines: [String]) -> [(key: String, line: String)] {
            var seen: [String: Int] = [:]
            return lines.map { line in
                var key = "text:" + line
                let trimmed = line.trimmingASCIIWhitespace()
                if trimmed.hasPrefix("# ") || trimmed == "#" {
                    key = "name"
                } else if trimmed.hasPrefix("- "), let colon = trimmed.firstIndex(of: ":") {
                    let setting = FieldKey.normalize(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<colon])
                    let value = trimmed[trimmed.index(after: colon)...].trimmingASCIIWhitespace()
                    let name = value.split(separator: setting == "sprint" ? "|" : "=", maxSplits: 1).first.map { $0.trimmingASCIIWhitespace() } ?? ""
                    key = setting == "sprint" || setting == "formula" ? "\(setting):\(name)" : "setting:\(setting)"
                }
                seen[key, default: 0] += 1
                return (key + "#\(seen[key]!)", line)
            }
        }
        let kb = keyed(b), ko = keyed(o), kt = keyed(t)
        let bMap = Dictionary(kb.map { ($0.key, $0.line) }, uniquingKeysWith: { a, _ in a })
        let oMap = Dictionary(ko.map { ($0.key, $0.line) }, uniquingKeysWith: { a, _ in a })
        let tMap = Dictionary(kt.map { ($0.key, $0.line) }, uniquingKeysWith: { a, _ in a })
        var result: [(key: String, lines: [String])] = []
        for item in ko {
            switch pick(bMap[item.key], item.line, tMap[item.key]) {
            case .take(let line?): result.append((item.key, [line]))
            case .take(nil): continue
            case .conflict:
                conflicts += 1
                result.append((item.key, ["<<<<<<< ours", item.line, "=======", tMap[item.key] ?? "", ">>>>>>> theirs"]))
            }
        }
        // Theirs' new items (and items ours removed but theirs changed) after their predecessor.
        for (i, item) in kt.enumerated() where oMap[item.key] == nil {
            let inBase = bMap[item.key]
            if let inBase {
                if inBase == item.line { continue }  // removed by ours, untouched by theirs
                conflicts += 1
            }
            var at = result.count
            var j = i - 1
            while j >= 0 {
                if let p = result.firstIndex(where: { $0.key == kt[j].key }) {
                    at = p + 1
                    break
                }
                j -= 1
            }
            if j < 0 { at = 0 }
            // Our additions right there come first: both sides added after the same line.
            while at < result.count && bMap[result[at].key] == nil && tMap[result[at].key] == nil { at += 1 }
            let lines = inBase == nil ? [item.line] : ["<<<<<<< ours (removed)", "=======", item.line, ">>>>>>> theirs"]
            result.insert((item.key, lines), at: at)
        }
        return result.flatMap(\.lines)
    }
}

extension Story {
    /// Puts a conflict's placeholder in a field's line (added when absent), unchecked: the
    /// writer replaces that line with the conflict markers.
    mutating func placeConflictToken(_ rawKey: String, _ token: String) {
        let name = FieldName(rawKey)
        let field = Field(name: name, value: token, source: nil)
        if let index = fields.firstIndex(where: { $0.name.matches(name) }) {
            fields[index] = field
        } else {
            fields.append(field)
        }
    }
}
