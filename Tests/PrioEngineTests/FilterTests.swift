import PrioEngine
import PropertyBased
import Testing

private let filterFixture = """
# Shop

- statuses: todo, ready, in-progress, review, done
- fields: owner
- view: quick wins = points <= 3 and value >= 8

## S-1 Guest checkout
- status: done
- moscow: must
- value: 13
- points: 5
- tags: checkout, Mobile

- [x] Email only

## S-2 Apple Pay
- status: review
- moscow: should
- value: 8
- points: 3
- depends: S-1
- owner: ana

## S-3 Wishlist
- status: todo
- moscow: could
- value: 9
- points: 10

## S-4 Dark mode
- status: in-progress
- tags: ui
- owner: 12

## S-10 Gift wrapping
- value: 2
- points: 1
- depends: S-3
"""

/// The IDs of the fixture's stories a filter matches, in manual order.
private func matching(_ text: String, _ source: String = filterFixture) throws -> [String] {
    let backlog = try load(source)
    let filter = try StoryFilter.parse(text, in: backlog)
    return backlog.stories.filter(filter.matches).map(\.id.description)
}

/// The problem a filter has, as `column: message`.
private func problem(_ text: String) throws -> String {
    let backlog = try load(filterFixture)
    do {
        _ = try StoryFilter.parse(text, in: backlog)
        return "no problem"
    } catch {
        return "\(error.column(in: text)): \(error.message)"
    }
}

@Suite("The filter language")
struct FilterTests {
    @Test("Each comparison operator on numbers, which compare as numbers (10 > 9)")
    func numbers() throws {
        #expect(try matching("points = 3") == ["S-2"])
        #expect(try matching("points != 3") == ["S-1", "S-3", "S-10"])
        #expect(try matching("points < 5") == ["S-2", "S-10"])
        #expect(try matching("points <= 5") == ["S-1", "S-2", "S-10"])
        #expect(try matching("points > 9") == ["S-3"])
        #expect(try matching("points >= 5") == ["S-1", "S-3"])
        #expect(try matching("value > 8.5") == ["S-1", "S-3"])
        #expect(try matching("sp = 3") == ["S-2"], "an alias names its field")
    }

    @Test("Contains (~) ignores case and looks in any field's text")
    func contains() throws {
        #expect(try matching("title ~ PAY") == ["S-2"])
        #expect(try matching("tags ~ mob") == ["S-1"])
        #expect(try matching("description ~ email") == ["S-1"])
        #expect(try matching("title ~ \"gift wr\"") == ["S-10"])
    }

    @Test("MoSCoW compares in its order: wont < could < should < must")
    func moscow() throws {
        #expect(try matching("moscow >= should") == ["S-1", "S-2"])
        #expect(try matching("moscow < should") == ["S-3"])
        #expect(try matching("moscow = M") == ["S-1"])
    }

    @Test("Statuses compare in the workflow's order; a story without one is todo")
    func statuses() throws {
        #expect(try matching("status < in-progress") == ["S-3", "S-10"])
        #expect(try matching("status >= review") == ["S-1", "S-2"])
        #expect(try matching("status = WIP") == ["S-4"])
        #expect(try matching("status != done") == ["S-2", "S-3", "S-4", "S-10"])
    }

    @Test("IDs in any case and by number; parent-like lists by member; tags by item")
    func idsAndLists() throws {
        #expect(try matching("id = s-10") == ["S-10"])
        #expect(try matching("id < S-3") == ["S-1", "S-2"])
        #expect(try matching("depends = S-1") == ["S-2"])
        #expect(try matching("depends != S-1") == ["S-10"])
        #expect(try matching("tags = mobile") == ["S-1"])
        #expect(try matching("tags != mobile") == ["S-4"])
    }

    @Test("A custom field compares as numbers when both sides are numbers, else as text")
    func customFields() throws {
        #expect(try matching("owner = ANA") == ["S-2"])
        #expect(try matching("owner > 9") == ["S-4"], "a number orders only numbers: 'ana' is not above 9")
        #expect(try matching("owner != 12") == ["S-2"])
        #expect(try matching("owner") == ["S-2", "S-4"])
    }

    @Test("A missing field makes a comparison false; not makes it true (two-valued logic)")
    func missing() throws {
        #expect(try matching("moscow = could") == ["S-3"])
        #expect(try matching("not moscow = could") == ["S-1", "S-2", "S-4", "S-10"])
        #expect(try matching("moscow != could") == ["S-1", "S-2"])
        #expect(try matching("not points") == ["S-4"])
    }

    @Test("Precedence: not binds tightest, then and, then or; parentheses group")
    func precedence() throws {
        // or(points = 1, and(value = 13, moscow = must)) = S-1, S-10.
        #expect(try matching("points = 1 or value = 13 and moscow = must") == ["S-1", "S-10"])
        #expect(try matching("(points = 1 or value = 13) and moscow = must") == ["S-1"])
        #expect(try matching("not points = 1 and value < 9") == ["S-2"])
        #expect(try matching("not (points = 1 or value < 9)") == ["S-1", "S-3", "S-4"])
        #expect(try matching("NOT points = 1 AND value < 9") == ["S-2"], "keywords in any case")
    }

    @Test("ready follows the header's Definition of Ready")
    func ready() throws {
        let header = filterFixture.replacing("- fields: owner", with: "- fields: owner\n- ready: points, criteria, depends-done")
        #expect(try matching("ready", header) == ["S-1"])
        #expect(try matching("ready = no and status != done", header) == ["S-2", "S-3", "S-4", "S-10"])
        // Without the setting, a story is ready when it has points.
        #expect(try matching("not ready") == ["S-4"])
        let backlog = try load(header)
        let judge = ReadyJudge(backlog)
        #expect(judge.missing(backlog.stories[1]) == [.criteria])
        #expect(judge.missing(backlog.stories[4]) == [.criteria, .dependsDone])
    }

    @Test("A value runs over several words up to and, or or a parenthesis; quotes keep anything")
    func values() throws {
        #expect(try matching("title = apple pay and points = 3") == ["S-2"])
        #expect(try matching("(title = dark mode)") == ["S-4"])
        #expect(try matching("title ~ 'and'") == [])
    }

    @Test("Bad expressions are located (column in characters) with a did-you-mean for fields", arguments: [
        ("pionts <= 3", "1: unknown field 'pionts' (did you mean 'points'?)"),
        ("value >= 8 and staus = done", "16: unknown field 'staus' (did you mean 'status'?)"),
        ("points == 3", "8: unknown operator '==' (use '='); use =, !=, <, <=, >, >= or ~"),
        ("(points > 3", "1: '(' is never closed"),
        ("points > 3)", "11: ')' closes no '('"),
        ("points >", "9: expected a value after '>'"),
        ("points 3", "8: expected an operator (=, !=, <, <=, >, >=, ~) after 'points', got '3'"),
        ("points = many", "10: points compares numbers; 'many' is not a number"),
        ("moscow = maybe", "10: unknown MoSCoW value 'maybe' (use must, should, could or wont)"),
        ("status < redy", "10: unknown status 'redy' (did you mean 'ready'? the workflow is todo, ready, in-progress, review, done)"),
        ("tags < a", "6: tags is a list: use =, != or ~"),
        ("id = twelve", "6: 'twelve' is not a story ID (like S-12)"),
        ("title = é and pionts > 1", "15: unknown field 'pionts' (did you mean 'points'?)"),
        ("title ~ \"open", "9: this quote is never closed"),
        ("", "1: an empty filter: write a comparison like 'points <= 3'"),
        ("and points = 1", "1: expected a field name before 'and'"),
        ("points = 1 and", "15: expected a field name at the end, like 'points' or 'status'"),
    ])
    func located(_ text: String, _ expected: String) throws {
        #expect(try problem(text) == expected)
    }

    @Test("A filter nested past 64 levels or longer than 4 KiB is refused, not a crash")
    func bounds() throws {
        #expect(try problem(String(repeating: "(", count: 1_000) + "points = 1") == "65: the filter nests more than 64 levels")
        #expect(try problem(String(repeating: "not ", count: 65) + "points = 1").hasSuffix("the filter nests more than 64 levels"))
        #expect(try problem(String(repeating: "points = 1 or ", count: 400) + "points = 1") == "4097: the filter is longer than 4096 bytes")
        // A long flat chain is no deeper than one level.
        #expect(try matching(String(repeating: "points = 1 or ", count: 250) + "points = 3") == ["S-2", "S-10"])
    }

    @Test("A saved view: a located error when it does not parse, a warning for an unknown field")
    func views() throws {
        let backlog = try load(filterFixture)
        #expect(backlog.header.views.map(\.name) == ["quick wins"])
        #expect(try backlog.header.view(named: "Quick_Wins").expression == " points <= 3 and value >= 8")
        #expect(throws: PrioError("no view 'quick win' (did you mean 'quick wins'? views: quick wins)")) {
            try backlog.header.view(named: "quick win")
        }
        let bad = "# B\n\n- view: broken = points >> 3\n- view: typo = pionts < 3\n- view: broken = value > 1\n- view: nothing\n"
        #expect(errors(bad) == [
            "b.md:3:25: error: unknown operator '>>'; use =, !=, <, <=, >, >= or ~ in view 'broken'",
            "b.md:5:9: error: view 'broken' is declared twice",
            "b.md:6:9: error: a view is NAME = FILTER, such as 'quick wins = points <= 3 and value >= 8'",
        ])
        let warned = try BacklogParser.parse("# B\n\n- view: typo = pionts < 3\n", path: "b.md").warnings.map(\.description)
        #expect(warned == ["b.md:3:16: warning: unknown field 'pionts' (did you mean 'points'?) in view 'typo'"])
    }

    @Test("ready and team settings are checked where they are written")
    func settings() throws {
        #expect(errors("# B\n\n- ready: points, critera\n- team: ana, Ana\n") == [
            "b.md:3:18: error: unknown ready check 'critera' (did you mean 'criteria'? use points, value, criteria or depends-done)",
            "b.md:4:14: error: 'Ana' is named twice in the team",
        ])
    }

    @Test("The canonical spelling parses back to the same expression")
    func spelling() throws {
        let vocabulary = FilterVocabulary(customFields: ["owner"])
        for text in ["not (points = 1 or value < 9) and owner = \"a and b\"", "title ~ 'x)'", "status >= ready"] {
            let parsed = try FilterExpression.parse(text, vocabulary: vocabulary)
            #expect(try FilterExpression.parse(parsed.description, vocabulary: vocabulary) == parsed)
        }
    }

    @Test("Property: random expressions agree with a reference evaluator and round-trip their spelling")
    func againstReference() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix(seed: UInt64(seed))
            let stories = (0..<10).map { _ in ReferenceStory.random(&rng) }
            let text = "# R\n\n- fields: owner\n\n" + stories.enumerated().map { $0.element.block(id: $0.offset + 1) }.joined(separator: "\n")
            guard let backlog = try? load(text) else {
                Issue.record("the generated backlog does not load:\n\(text)")
                return
            }
            let expression = ReferenceExpression.random(&rng, depth: 0)
            let written = expression.text
            let filter: StoryFilter
            do {
                filter = try StoryFilter.parse(written, in: backlog)
            } catch {
                Issue.record("'\(written)' does not parse: \(error)")
                return
            }
            let respelled = try? FilterExpression.parse(filter.expression.description, vocabulary: FilterVocabulary(backlog))
            #expect(respelled == filter.expression)
            for (story, reference) in zip(backlog.stories, stories) {
                #expect(filter.matches(story) == expression.evaluate(reference), "\(written) on \(story.id)")
            }
        }
    }
}

// MARK: The reference evaluator: plain values, no engine code.

private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

private let referenceStatuses = ["todo", "ready", "in-progress", "done"]
private let referenceMoscow = ["wont", "could", "should", "must"]
private let referenceWords = ["alpha", "Beta", "gamma", "delta"]

private struct ReferenceStory {
    var title: String
    var points: Int?
    var value: Int?
    var moscow: String?
    var status: String?
    var tags: [String]
    var owner: String?

    static func random(_ rng: inout SplitMix) -> ReferenceStory {
        ReferenceStory(title: rng.pick(referenceWords) + " " + rng.pick(referenceWords),
                       points: rng.below(3) == 0 ? nil : rng.below(14),
                       value: rng.below(3) == 0 ? nil : rng.below(14),
                       moscow: rng.below(3) == 0 ? nil : rng.pick(referenceMoscow),
                       status: rng.below(4) == 0 ? nil : rng.pick(referenceStatuses),
                       tags: (0..<rng.below(3)).map { _ in rng.pick(referenceWords) },
                       owner: rng.below(3) == 0 ? nil : rng.below(2) == 0 ? String(rng.below(20)) : rng.pick(referenceWords))
    }

    func block(id: Int) -> String {
        var lines = ["## S-\(id) \(title)"]
        if let status { lines.append("- status: \(status)") }
        if let moscow { lines.append("- moscow: \(moscow)") }
        if let value { lines.append("- value: \(value)") }
        if let points { lines.append("- points: \(points)") }
        if !tags.isEmpty { lines.append("- tags: " + tags.joined(separator: ", ")) }
        if let owner { lines.append("- owner: \(owner)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The raw text of a field, nil when absent.
    func raw(_ field: String) -> String? {
        switch field {
        case "title": title
        case "points": points.map(String.init)
        case "value": value.map(String.init)
        case "moscow": moscow
        case "status": status ?? "todo"
        case "tags": tags.isEmpty ? nil : tags.joined(separator: ", ")
        default: owner
        }
    }
}

private indirect enum ReferenceExpression {
    case compare(String, String, String)
    case not(ReferenceExpression)
    case and(ReferenceExpression, ReferenceExpression)
    case or(ReferenceExpression, ReferenceExpression)

    static func random(_ rng: inout SplitMix, depth: Int) -> ReferenceExpression {
        switch depth > 3 ? 0 : rng.below(5) {
        case 1: return .not(random(&rng, depth: depth + 1))
        case 2: return .and(random(&rng, depth: depth + 1), random(&rng, depth: depth + 1))
        case 3: return .or(random(&rng, depth: depth + 1), random(&rng, depth: depth + 1))
        default:
            let field = rng.pick(["title", "points", "value", "moscow", "status", "tags", "owner"])
            let ops = field == "tags" ? ["=", "!=", "~"] : ["=", "!=", "<", "<=", ">", ">=", "~"]
            let op = rng.pick(ops)
            let literal: String
            switch field {
            case "points", "value": literal = String(rng.below(14))
            case "moscow": literal = rng.pick(referenceMoscow)
            case "status": literal = rng.pick(referenceStatuses)
            case "owner": literal = rng.below(2) == 0 ? String(rng.below(20)) : rng.pick(referenceWords)
            default: literal = op == "~" ? String(rng.pick(referenceWords).prefix(3)) : rng.pick(referenceWords)
            }
            return .compare(field, op, literal)
        }
    }

    /// Fully parenthesised, so that precedence cannot make the two sides disagree by accident.
    var text: String {
        switch self {
        case .compare(let field, let op, let literal): "\(field) \(op) \(literal)"
        case .not(let inner): "not (\(inner.text))"
        case .and(let a, let b): "(\(a.text)) and (\(b.text))"
        case .or(let a, let b): "(\(a.text)) or (\(b.text))"
        }
    }

    func evaluate(_ story: ReferenceStory) -> Bool {
        switch self {
        case .not(let inner): return !inner.evaluate(story)
        case .and(let a, let b): return a.evaluate(story) && b.evaluate(story)
        case .or(let a, let b): return a.evaluate(story) || b.evaluate(story)
        case .compare(let field, let op, let literal):
            guard let raw = story.raw(field) else { return false }
            if op == "~" { return raw.lowercased().contains(literal.lowercased()) }
            let order: Int
            switch field {
            case "points", "value":
                order = compare(Int(raw) ?? 0, Int(literal) ?? 0)
            case "moscow":
                order = compare(referenceMoscow.firstIndex(of: raw) ?? 0, referenceMoscow.firstIndex(of: literal) ?? 0)
            case "status":
                order = compare(referenceStatuses.firstIndex(of: raw) ?? 0, referenceStatuses.firstIndex(of: literal) ?? 0)
            case "tags":
                let has = story.tags.contains { $0.lowercased() == literal.lowercased() }
                return op == "=" ? has : !has
            case "owner":
                if let a = Int(raw), let b = Int(literal) {
                    order = compare(a, b)
                } else if Int(literal) != nil, op != "=", op != "!=" {
                    return false
                } else {
                    order = compare(raw.lowercased(), literal.lowercased())
                }
            default:
                order = compare(raw.lowercased(), literal.lowercased())
            }
            switch op {
            case "=": return order == 0
            case "!=": return order != 0
            case "<": return order < 0
            case "<=": return order <= 0
            case ">": return order > 0
            default: return order >= 0
            }
        }
    }

    private func compare<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : a == b ? 0 : 1 }
}
