import Foundation
import Testing

@Suite("Planning on the screen, end to end")
struct PlanningEndToEndTests {
    @Test("open, P, auto-fill, commit with w, quit: the file holds the plan")
    func planFillCommit() throws {
        let box = try Sandbox()
        let original = String(decoding: try box.initSample(), as: UTF8.self)
        // The same plan the command line makes: Sprint 4 at its declared 20 points, by WSJF.
        let expected = try box.run("plan", "--sprint", "Sprint 4", "--format", "json")
        #expect(expected.status == 0, "\(expected)")
        let json = try JSONSerialization.jsonObject(with: Data(expected.stdout.utf8)) as? [String: Any]
        let selected = (json?["selected"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(!selected.isEmpty)

        let screen = try TmuxScreen(box, ["backlog.md"], width: 120, height: 32)
        defer { screen.kill() }
        try screen.wait(for: "Northwind Webshop")
        try screen.send("s")
        try screen.send("s")
        try screen.wait(for: "WSJF (SAFe)")
        try screen.send("P")
        try screen.wait(for: "Sprint 4 · capacity 20 pts")
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
        // Only sprint lines were added: removing them gives back the original file.
        #expect(saved.replacing("- sprint: Sprint 4\n", with: "") == original)
    }
}
