import Foundation
import Testing

@Suite("prio strategies")
struct StrategiesTests {
    @Test("strategies lists the five strategies with formula and fields")
    func listsFive() throws {
        let box = try Sandbox()
        let result = try box.run("strategies")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        let names = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }
            .map { String($0.split(separator: " ")[0]) }
        #expect(names == ["manual", "moscow", "wsjf", "value-effort", "rice"])
        #expect(result.stdout == """
            manual  Manual order
                the order of the stories in the file
            moscow  MoSCoW
                must > should > could > wont, then manual order
                fields: moscow
            wsjf  WSJF (SAFe)
                (value + time-criticality + risk-reduction) / size; size falls back to points
                fields: value, time-criticality, risk-reduction, size, points
            value-effort  Value / effort
                value / effort; effort falls back to points; quadrant split at the medians
                fields: value, effort, points
            rice  RICE (Intercom)
                reach × impact × confidence% / effort; effort falls back to points
                fields: reach, impact, confidence, effort, points

            """)
        // It needs no backlog file.
        #expect(try box.listing() == [])
    }

    @Test("every listed strategy ranks the sample", arguments: ["manual", "moscow", "wsjf", "value-effort", "rice"])
    func eachRanks(strategy: String) throws {
        let box = try Sandbox()
        try box.initSample()
        let result = try box.run("rank", "--strategy", strategy, "--format", "json")
        #expect(result.status == 0, "\(result)")
        let json = try #require(try rankedStories(result.stdoutData))
        #expect(json.count == 31)
        #expect(Set(json.compactMap { $0["id"] as? String }).count == 31)
    }
}

@Suite("prio pin, prio unpin and formula strategies")
struct PinAndFormulaCLITests {
    static let backlog = """
        # Pins

        - formula: delay = (value + time-criticality) / size

        ## S-1 First
        - value: 8
        - time-criticality: 4
        - size: 2

        ## S-2 Second
        - value: 3
        - time-criticality: 1
        - size: 1

        """

    @Test("pin writes pin and pin-reason, rank honours it, unpin removes both")
    func pinAndUnpin() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.backlog)
        var result = try box.run("pin", "b.md", "S-2", "1", "--reason", "promised to the board")
        #expect(result.status == 0, "\(result)")
        #expect(try box.text("b.md").contains("## S-2 Second\n- value: 3\n- time-criticality: 1\n- size: 1\n- pin: 1\n- pin-reason: promised to the board\n"))
        result = try box.run("rank", "b.md", "--strategy", "delay")
        #expect(result.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: " ", omittingEmptySubsequences: true)[1]) } == ["S-2", "S-1"])
        #expect(result.stdout.contains("pinned at 1: promised to the board; delay 4.00 = (3 + 1) / 1"))
        result = try box.run("unpin", "b.md", "S-2")
        #expect(result.status == 0, "\(result)")
        #expect(try box.text("b.md") == Self.backlog)
        result = try box.run("unpin", "b.md", "S-2")
        #expect(result.status == 1)
        #expect(result.stderr == "prio: error: S-2 is not pinned\n")
        result = try box.run("pin", "b.md", "S-1", "0")
        #expect(result.stderr == "prio: error: pin must be a position like 1 or 3, got '0'\n")
        #expect(try box.text("b.md") == Self.backlog)
    }

    @Test("strategies FILE lists the backlog's formulas after the built-ins; a bad one is a located error")
    func formulas() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.backlog)
        let result = try box.run("strategies", "b.md")
        #expect(result.stdout.hasSuffix("delay  delay (formula)\n    delay = (value + time-criticality) / size\n    fields: value, time-criticality, size\n"))
        try box.write("bad.md", Self.backlog.replacing("(value + time-criticality)", with: "(valeu + time-criticality)"))
        let bad = try box.run("rank", "bad.md")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.md:3:21: error: unknown field 'valeu' in formula 'delay' (did you mean 'value'?)"), "\(bad.stderr)")
    }
}
