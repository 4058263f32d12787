import Foundation
import Testing

private let epicScreenBacklog = """
# Shop

- ready: points, criteria

## S-1 Checkout epic
- points: 1

- [ ] pays in one step

## S-2 Guest checkout
- status: done
- points: 5
- parent: S-1

## S-3 Search box
- points: 2

- [ ] finds by title

## S-4 Apple Pay
- points: 3
- parent: S-1

## S-5 Search epic
- points: 1

- [ ] finds anything

## S-6 Facets
- parent: S-5

## S-7 Gift wrap
- points: 1

"""

@Suite("Epics on the screen in tmux")
struct EpicScreenEndToEndTests {
    @Test("z folds by epic with the roll-ups, J moves the epic with its children, w saves the block order")
    func foldMoveSave() throws {
        let box = try Sandbox()
        try box.write("backlog.md", epicScreenBacklog)
        let screen = try TmuxScreen(box, ["backlog.md"])
        defer { screen.kill() }

        try screen.wait(for: "Checkout epic")
        // ○ marks the open stories that fail the Definition of Ready.
        try screen.wait(for: "the not-ready mark of S-7") { $0.contains("○ S-7 Gift wrap") }
        try screen.send("z")
        try screen.wait(for: "the epic's roll-up") { $0.contains("▸ Checkout epic · 63% of 8 pts done · 2 stories") }
        try screen.send("J")
        try screen.waitForHeader("marked [+]") { $0.contains("[+]") }
        try screen.wait(for: "the move said") { $0.contains("moved S-1 with 2 stories under it") }
        try screen.send("w")
        try screen.waitForHeader("without [+] after the save") { !$0.contains("[+]") }
        try screen.send("q")
        try screen.expectExit(0)
        #expect(BacklogText(try box.text("backlog.md")).ids == ["S-3", "S-5", "S-6", "S-1", "S-2", "S-4", "S-7"])
    }
}
