import Foundation
import PrioApp
import PrioEngine
import Testing

/// The column where `text` first starts on a screen row (wide characters before it count twice).
private func column(of text: String, in buffer: ScreenBuffer, row: Int) -> Int? {
    let line = buffer.lines[row]
    guard let range = line.range(of: text) else { return nil }
    return DisplayWidth.of(String(line[..<range.lowerBound]))
}

/// The screen row showing a story (the line that contains its ID as a word).
private func row(of id: String, in buffer: ScreenBuffer) -> Int? {
    buffer.lines.firstIndex { $0.split(separator: " ").contains(Substring(id)) }
}

/// The status line.
private func status(_ session: TestSession) -> String { session.screen.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? "" }

/// Twelve stories with "alpha" in the title, three without.
private let alphaBacklog: String = {
    var text = "# Alphas\n\n"
    for i in 1...15 { text += "## S-\(i) Story \(i)\(i % 5 == 0 ? " beta" : " alpha")\n\n" }
    return text
}()

@Suite("Search")
struct SearchTests {
    @Test("The matched text is highlighted in the title cells while typing and after Enter")
    func highlight() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("/"))
        session.type("gift")
        var buffer = session.render()
        let y = try #require(row(of: "S-3", in: buffer))
        let x = try #require(column(of: "Gift", in: buffer, row: y))
        for c in x..<(x + 4) {
            #expect(buffer[y, c].style.underline)
            #expect(buffer[y, c].style.color == .yellow)
        }
        #expect(!buffer[y, x + 4].style.underline)
        // The cursor bar is reverse: the match flips back to normal video on it, so it shows without colour.
        #expect(!buffer[y, x].style.reverse && buffer[y, x + 4].style.reverse)
        session.send(.enter, .character("g"))
        buffer = session.render()
        #expect(buffer[y, x].style.underline && buffer[y, x].style.reverse)
        // Other rows: nothing highlighted.
        let other = try #require(row(of: "S-5", in: buffer))
        #expect((0..<buffer.width).allSatisfy { !buffer[other, $0].style.underline })
    }

    @Test("The status line gives the match's position among all matches: 1/12, then 3/12")
    func position() throws {
        let file = try TestBacklog(alphaBacklog)
        let session = try file.session()
        session.send(.character("/"))
        session.type("alpha")
        session.send(.enter)
        #expect(status(session).contains("'alpha' 1/12"))
        session.send(.character("n"), .character("n"))
        #expect(session.state.selectedStory?.id.description == "S-3")
        #expect(status(session).contains("3/12"))
        session.send(.character("n"), .character("n"))  // past S-5 (beta)
        #expect(session.state.selectedStory?.id.description == "S-6")
        #expect(status(session).contains("5/12"))
        session.send(.character("N"))
        #expect(status(session).contains("4/12"))
        #expect(!status(session).contains("wrapped"))
    }

    @Test("n past the last match says the search wrapped to the top; N before the first, to the bottom")
    func wraps() throws {
        let file = try TestBacklog(alphaBacklog)
        let session = try file.session()
        session.send(.character("/"))
        session.type("alpha")
        session.send(.enter, .character("G"))  // S-15, beta
        session.send(.character("n"))
        #expect(session.state.selectedStory?.id.description == "S-1")
        #expect(status(session).contains("1/12"))
        #expect(status(session).contains("search wrapped to the top"))
        session.send(.character("N"))
        #expect(session.state.selectedStory?.id.description == "S-14")
        #expect(status(session).contains("12/12"))
        #expect(status(session).contains("search wrapped to the bottom"))
        // A search typed below the last match finds the first one and says so at Enter.
        session.send(.character("/"))
        session.type("story 2 ")
        session.send(.enter)
        #expect(session.state.selectedStory?.id.description == "S-2")
        #expect(status(session).contains("search wrapped to the top"))
    }

    @Test("The count follows edits: after deleting a match, n counts 11, and undo brings 12 back")
    func countFollowsEdits() throws {
        let file = try TestBacklog(alphaBacklog)
        let session = try file.session()
        session.send(.character("/"))
        session.type("alpha")
        session.send(.enter)
        #expect(status(session).contains("1/12"))
        session.send(.character("d"), .character("y"))  // S-1
        session.send(.character("n"))
        #expect(status(session).contains("/11"))
        session.send(.character("u"), .character("g"), .character("n"))
        #expect(status(session).contains("2/12"))
    }

    @Test("A match outside the title says where it is: description, tags, ID")
    func place() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("/"))
        session.type("first-time")
        session.send(.enter)
        #expect(session.state.selectedStory?.id.description == "S-1")
        #expect(status(session).contains("match in description"))
        session.send(.character("/"))
        session.type("i18n")
        session.send(.enter)
        #expect(session.state.selectedStory?.id.description == "S-2")
        #expect(status(session).contains("match in tags"))
        session.send(.character("/"))
        session.type("s-5")
        session.send(.enter)
        #expect(status(session).contains("match in ID"))
        session.send(.character("/"))
        session.type("wish")
        session.send(.enter)
        #expect(status(session).contains("1/1"))
        #expect(!status(session).contains("match in"))
    }

    @Test("On a large backlog matches are counted once per query; n and N only look up the cursor")
    func largeBacklog() throws {
        // 100,000 stories with PRIO_LONG_TESTS (as .ci/run); 20,000 in a quick run (loading dominates in debug).
        let long = !(ProcessInfo.processInfo.environment["PRIO_LONG_TESTS"] ?? "").isEmpty
        let count = long ? 100_000 : 20_000
        let file = try TestBacklog(String(decoding: BacklogGenerator.markdown(count: count), as: UTF8.self))
        let session = try file.session()
        let clock = ContinuousClock()
        session.send(.character("/"))
        session.type("s-99")
        let counting = clock.measure { session.send(.enter) }
        // Only IDs contain "s-99" in generated stories (titles end in "#N", descriptions say "story N").
        let expected = (1...count).filter { "s-\($0)".contains("s-99") }.count
        #expect(status(session).contains("'s-99' 1/\(expected)"))
        let steps = clock.measure {
            for _ in 0..<200 { session.send(.character("n")) }
            for _ in 0..<200 { session.send(.character("N")) }
        }
        #expect(status(session).contains("1/\(expected)"))
        // 400 steps cost less than counting twice (they would cost 400 counts if each recounted).
        #expect(steps < counting * 2, "400 n/N took \(steps), one count \(counting)")
    }
}

@Suite("Text filter")
struct TextFilterTests {
    @Test("f then / filters by text in ID, title, tags or description; the header says so")
    func narrows() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("f"), .character("/"))
        session.type("gift")
        session.send(.enter)
        let buffer = session.render()
        #expect(buffer.lines[0].contains("filter: text:\"gift\""))
        #expect(row(of: "S-3", in: buffer) != nil)
        #expect(["S-1", "S-2", "S-4", "S-5"].allSatisfy { row(of: $0, in: buffer) == nil })
        // Tags and descriptions count too.
        session.send(.character("f"), .character("/"), .control("u"))
        session.type("mobile")
        session.send(.enter)
        #expect(row(of: "S-1", in: session.render()) != nil)
        #expect(row(of: "S-3", in: session.render()) == nil)
    }

    @Test("The text filter combines with the status filter, and F clears both")
    func combinesAndClears() throws {
        let file = try TestBacklog()
        let session = try file.session()
        // "e": S-1 Guest checkout and S-4 Old search.
        session.send(.character("f"), .character("/"))
        session.type("e")
        session.send(.enter)
        var buffer = session.render()
        #expect(row(of: "S-1", in: buffer) != nil && row(of: "S-4", in: buffer) != nil)
        #expect(row(of: "S-2", in: buffer) == nil && row(of: "S-5", in: buffer) == nil)
        // And status: done (the menu's fourth entry).
        session.send(.character("f"), .character("j"), .character("j"), .character("j"), .character(" "), .escape)
        buffer = session.render()
        #expect(buffer.lines[0].contains("filter: status:done text:\"e\""))
        #expect(row(of: "S-4", in: buffer) != nil && row(of: "S-1", in: buffer) == nil)
        session.send(.character("F"))
        buffer = session.render()
        #expect(!buffer.lines[0].contains("filter:"))
        #expect(["S-1", "S-2", "S-3", "S-4", "S-5"].allSatisfy { row(of: $0, in: buffer) != nil })
    }

    @Test("An empty text removes the text filter; Esc keeps it as it was")
    func emptyRemoves() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("f"), .character("/"))
        session.type("wish")
        session.send(.enter)
        session.send(.character("f"), .character("/"))
        session.type("x")
        session.send(.escape)
        #expect(session.render().lines[0].contains("text:\"wish\""))
        session.send(.character("f"), .character("/"), .backspace, .backspace, .backspace, .backspace, .enter)
        #expect(!session.render().lines[0].contains("filter:"))
    }
}

@Suite("Colour")
struct ColourTests {
    @Test("MoSCoW and status cells carry colours; a done row is dim all along")
    func listColours() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("G"))  // the cursor bar is plain reverse: move it off S-1
        let buffer = session.render()
        let must = try #require(row(of: "S-1", in: buffer))
        let x = try #require(column(of: "must", in: buffer, row: must))
        #expect((x..<(x + 4)).allSatisfy { buffer[must, $0].style.color == .red && buffer[must, $0].style.bold })
        let ready = try #require(column(of: "ready", in: buffer, row: must))
        #expect(buffer[must, ready].style.color == .green)
        let should = try #require(row(of: "S-3", in: buffer))
        let could = try #require(column(of: "could", in: buffer, row: should))
        #expect(buffer[should, could].style.color == .cyan)
        let done = try #require(row(of: "S-4", in: buffer))
        let cells = (0..<buffer.width).map { buffer[done, $0] }.filter { $0.text != " " && !$0.isContinuation }
        #expect(!cells.isEmpty && cells.allSatisfy { $0.style.dim && $0.style.color == .normal })
    }

    @Test("A ranking draws a score bar scaled to the top score; unscored rows are dim")
    func scoreBar() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("s"), .character("s"))  // WSJF: S-3 5.00, S-1 4.80, S-2 2.67, S-5 unscored
        let buffer = session.render()
        let text = buffer.text
        // The number stays, right-aligned after the bar.
        #expect(text.contains("▇▇▇▇▇ 5.00"))
        #expect(text.contains("▇▇▇▇▁ 4.80"))
        #expect(text.contains("▇▇▁▁▁ 2.67"))
        let top = try #require(row(of: "S-3", in: buffer))
        let bar = try #require(column(of: "▇", in: buffer, row: top))
        #expect(buffer[top, bar].style.color == .green)
        let unscored = try #require(row(of: "S-5", in: buffer))
        #expect(!buffer.lines[unscored].contains("▇"))
        let cells = (0..<buffer.width).map { buffer[unscored, $0] }.filter { $0.text != " " }
        #expect(cells.allSatisfy { $0.style.dim })
    }

    @Test("Warnings and the unsaved marker are in colour, and in words")
    func warningsAndMarker() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("n"))  // no search yet: not an error
        session.send(.character("/"))
        session.type("zzz")
        session.send(.enter)
        var buffer = session.render()
        #expect(buffer.lines[buffer.height - 1].contains("no match for 'zzz'"))
        #expect(buffer[buffer.height - 1, 2].style.color == .red && buffer[buffer.height - 1, 2].style.bold)
        session.send(.character("J"))
        buffer = session.render()
        let marker = try #require(column(of: "[+]", in: buffer, row: 0))
        #expect(buffer[0, marker].style.color == .yellow)
    }
}
