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
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
        #expect(json.count == 31)
        #expect(Set(json.compactMap { $0["id"] as? String }).count == 31)
    }
}
