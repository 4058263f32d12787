import PrioEngine
import PrioStorage
import Testing

@Suite("Pins")
struct PinTests {
    /// WSJF scores: S-1 6, S-2 5, S-3 4, S-4 3, S-5 2, S-6 done.
    static func backlog(_ pins: [String: String]) -> String {
        var text = "# Pins\n\n"
        for (i, score) in [6, 5, 4, 3, 2, 1].enumerated() {
            let id = "S-\(i + 1)"
            text += "## \(id) Story \(i + 1)\n- value: \(score)\n- time-criticality: 0\n- risk-reduction: 0\n- size: 1\n"
            if i == 5 { text += "- status: done\n" }
            if let pin = pins[id] { text += pin }
            text += "\n"
        }
        return text
    }

    func ranked(_ pins: [String: String], _ strategy: String = "wsjf") throws -> Ranking {
        let backlog = try load(Self.backlog(pins))
        return Ranking(backlog, strategy: try #require(backlog.strategies.strategy(named: strategy)))
    }

    @Test("A pin holds its position; the others keep the strategy's order around it; the explanation says why")
    func one() throws {
        let r = try ranked(["S-4": "- pin: 1\n- pin-reason: promised to the board in Q3\n"])
        #expect(rankedIDs(r) == ["S-4", "S-1", "S-2", "S-3", "S-5"])
        #expect(r.entries.map(\.rank) == [1, 2, 3, 4, 5])
        #expect(r.entries[0].pin == 1)
        #expect(r.explanation(r.entries[0]) == "pinned at 1: promised to the board in Q3; WSJF 3.00 = (3 + 0 + 0) / 1")
        #expect(r.why(r.entries[0]) == "pinned at 1: promised to the board in Q3; (3 + 0 + 0) / 1")
        #expect(r.explanation(r.entries[1]) == "WSJF 6.00 = (6 + 0 + 0) / 1")
    }

    @Test("Two pins on one position keep the manual order; a pin past the end is clamped; done stories stay out")
    func several() throws {
        let r = try ranked(["S-5": "- pin: 2\n", "S-3": "- pin: 2\n", "S-2": "- pin: 40\n", "S-6": "- pin: 1\n"])
        #expect(rankedIDs(r) == ["S-1", "S-3", "S-5", "S-4", "S-2"])
        #expect(r.entries.map(\.pin) == [nil, 2, 2, nil, 40])
    }

    @Test("Pins at the end keep their order when clamped together")
    func clampedTogether() throws {
        let r = try ranked(["S-1": "- pin: 9\n", "S-2": "- pin: 7\n"])
        #expect(rankedIDs(r) == ["S-3", "S-4", "S-5", "S-2", "S-1"])
    }

    @Test("The manual order ignores pins; every computed strategy honours them")
    func manual() throws {
        let pins = ["S-5": "- pin: 1\n"]
        #expect(rankedIDs(try ranked(pins, "manual")) == ["S-1", "S-2", "S-3", "S-4", "S-5"])
        for name in ["wsjf", "value-effort", "moscow", "rice"] {
            #expect(rankedIDs(try ranked(pins, name)).first == "S-5", "\(name)")
        }
    }

    @Test("pin must be a position; setPin pins and unpins with the reason")
    func field() throws {
        #expect(throws: BacklogErrors.self) { try load(Self.backlog(["S-1": "- pin: 0\n"])) }
        #expect(throws: BacklogErrors.self) { try load(Self.backlog(["S-1": "- pin: first\n"])) }
        var story = try #require(try load(Self.backlog([:])).stories.first)
        try story.setPin("3", reason: "legal deadline")
        #expect(story.pin == 3 && story.pinReason == "legal deadline")
        try story.setPin("", reason: nil)
        #expect(story.pin == nil && story.pinReason == nil)
        #expect(throws: FieldProblem.self) { try story.setPin("-1", reason: nil) }
    }
}
