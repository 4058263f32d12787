import Foundation
import Testing

@Suite("Planning on the screen, end to end")
struct PlanningEndToEndTests {
    @Test("open, P, auto-fill, commit with w, quit: the file is byte for byte what prio plan --apply writes on a copy")
    func planFillCommit() throws {
        let box = try Sandbox()
        let original = String(decoding: try box.initSample(), as: UTF8.self)
        try box.write("copy.md", original)
        // The command line: the current sprint (Sprint 4, active, 18 of 20 points in it), along the
        // backlog's strategy (WSJF), applied to a copy.
        let expected = try box.run("plan", "copy.md", "--format", "json")
        #expect(expected.status == 0, "\(expected)")
        let json = try JSONSerialization.jsonObject(with: Data(expected.stdout.utf8)) as? [String: Any]
        #expect(json?["sprint"] as? String == "Sprint 4")
        let selected = (json?["selected"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(selected.count > 3, "the plan adds to what is in the sprint: \(selected)")
        let applied = try box.run("plan", "copy.md", "--apply")
        #expect(applied.status == 0, "\(applied)")

        // The screen opens in the manual order; P fills along the backlog's strategy all the same.
        let screen = try TmuxScreen(box, ["backlog.md"], width: 120, height: 32)
        defer { screen.kill() }
        try screen.wait(for: "Northwind Webshop")
        try screen.send("P")
        try screen.wait(for: "Sprint 4 · capacity 20 pts")
        try screen.wait(for: "filling by WSJF (SAFe)")
        try screen.send("f")
        try screen.wait(for: "filled Sprint 4")
        try screen.send("w")
        try screen.waitForHeader("without [+] after the save") { !$0.contains("[+]") }
        try screen.send("Escape")
        try screen.send("q")
        try screen.expectExit(0)

        let saved = try box.text("backlog.md")
        var planned: [String] = []
        var current: String?
        for line in saved.split(separator: "\n") {
            if line.hasPrefix("## ") { current = String(line.split(separator: " ")[1]) }
            if line == "- sprint: Sprint 4", let current { planned.append(current) }
        }
        #expect(Set(planned) == Set(selected))
        // P f w and prio plan --apply give the same file.
        #expect(saved == (try box.text("copy.md")))
        // Only sprint lines were added: removing them gives back the original without its own.
        #expect(saved.replacing("- sprint: Sprint 4\n", with: "") == original.replacing("- sprint: Sprint 4\n", with: ""))
    }
}
