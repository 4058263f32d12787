import Foundation
import Testing

@Suite("The estimation round in tmux")
struct EstimationEndToEndTests {
    @Test("# runs a round in a real terminal: each estimate hidden, the reveal, Enter writes points and estimates, w saves")
    func round() throws {
        let box = try Sandbox()
        try box.write("backlog.md", """
            # Shop

            - team: ana, ben

            ## S-1 Guest checkout
            - value: 8

            """)
        let screen = try TmuxScreen(box, ["backlog.md"], width: 90, height: 24)
        defer { screen.kill() }

        try screen.wait(for: "Guest checkout")
        try screen.send("-l", "#")
        try screen.wait(for: "ana's turn")
        try screen.send("Enter")
        try screen.send("-l", "3")
        try screen.send("Enter")
        try screen.wait(for: "ben's turn")
        #expect(!(try screen.screen()).contains("points  3"))
        try screen.send("Enter")
        try screen.send("-l", "8")
        try screen.send("Enter")
        // 3 and 8: more than 2× apart; the median 5.5 is nearest to 5.
        try screen.wait(for: "Agreed points: 5")
        #expect(try screen.screen(joined: true).contains("spread: ana 3 .. ben 8, more than 2× apart"))
        try screen.send("Enter")
        try screen.wait(for: "S-1: 5 points from 2 estimates")
        try screen.send("w")
        try screen.waitForHeader("without [+] after the save") { !$0.contains("[+]") }
        try screen.send("q")
        try screen.expectExit(0)
        let block = BacklogText(try box.text("backlog.md")).block("S-1")
        #expect(block?.field("points") == "5")
        #expect(block?.field("points-votes") == "ana 3, ben 8")
    }
}
