import Foundation
import PrioEngine
import Testing

/// The stakeholder report against the engine's own models: the sections' stories and numbers,
/// the escaping of hostile text, the page's safety promises and its repeatability.
@Suite("The stakeholder report")
struct ReportTests {
    /// The sample's anchor day: Sprint 4 active, three closed sprints and an ended one before it.
    static let today = "2026-12-09"

    static func sample() throws -> Backlog {
        try BacklogParser.parse(String(decoding: SampleBacklog.bytes, as: UTF8.self), path: "sample.md").backlog
    }

    static func report(_ backlog: Backlog, strategy: any Strategy = WSJFStrategy(), top: Int = 10, seed: UInt64 = 7) -> StakeholderReport {
        StakeholderReport(backlog, today: today, options: .init(strategy: strategy, top: top, seed: seed), sourceName: "b.md")
    }

    @Test("Now, Next and Later hold each story once: Now is the current sprint, Next the forecast's next sprint, Later the rest of the top N")
    func horizonOnce() throws {
        let backlog = try Self.sample()
        for top in [1, 5, 10, 30] {
            let report = Self.report(backlog, top: top)
            let now = report.horizon.now.map(\.storyIndex)
            let next = report.horizon.next.map(\.storyIndex)
            let later = report.horizon.later.map(\.storyIndex)
            let all = now + next + later
            #expect(Set(all).count == all.count, "a story in two of Now, Next, Later (top \(top))")
            let timeline = SprintTimeline(backlog, today: Self.today)
            #expect(now.sorted() == (timeline.currentStatus?.storyIndices ?? []).sorted())
            #expect(report.horizon.nowSprint == timeline.current.name)
            // Later: the top N not already now or next, in rank order.
            let ranking = Ranking(backlog, strategy: WSJFStrategy())
            let topIndices = ranking.top(top).map(\.storyIndex)
            #expect(later == topIndices.filter { !now.contains($0) && !next.contains($0) })
            // Next: what the export's forecast column puts after the current sprint (or into its room).
            let landing = SprintLanding(backlog, strategy: WSJFStrategy(), today: Self.today)
            for index in next {
                let sprint = landing.sprint(ofStory: index)
                #expect(sprint == timeline.current.name || report.horizon.nextSprint?.hasSuffix(sprint ?? "?") == true)
            }
        }
    }

    @Test("The forecast's dates are the confidence forecast's for the same seed and day")
    func forecastDates() throws {
        let backlog = try Self.sample()
        for seed: UInt64 in [1, 7, 12345] {
            let report = Self.report(backlog, seed: seed)
            let forecast = try ConfidenceForecast(backlog, timeline: SprintTimeline(backlog, today: Self.today), strategy: WSJFStrategy(),
                                                  trials: 10_000, seed: seed)
            let ranking = Ranking(backlog, strategy: WSJFStrategy())
            for (entry, outlook) in zip(ranking.top(10), report.forecast.outlooks) {
                let expected = try #require(forecast.outlook(of: entry.storyIndex))
                func label(_ l: ConfidenceForecast.Landing?) -> String? { l.map { "\($0.sprint), ends \($0.end ?? "")" } }
                #expect(outlook.id == backlog.stories[entry.storyIndex].id.description)
                #expect(outlook.p50 == label(expected.p50))
                #expect(outlook.p85 == label(expected.p85))
                #expect(outlook.p95 == label(expected.p95))
            }
            #expect(report.top.map(\.forecast85) == report.forecast.outlooks.map(\.p85))
            // The sponsor's sentence names the latest 85 % sprint of the top 10, and the fan reaches 0 there.
            let sentence = try #require(report.forecast.sentence)
            let last = try #require(report.forecast.steps.first { $0.p85 == Fraction(0) })
            #expect(sentence.hasPrefix("85 % chance the top 10 are done by \(last.end ?? "?") (\(last.sprint))"))
            #expect(report.forecast.outlooks.compactMap(\.p85).contains { $0.hasPrefix(last.sprint + ",") })
        }
    }

    @Test("The fan chart's lines: the points of the top N left after each sprint, never rising, ordered p50 <= p85 <= p95")
    func fanLines() throws {
        let report = Self.report(try Self.sample())
        var previous = (report.forecast.total, report.forecast.total, report.forecast.total)
        for step in report.forecast.steps {
            #expect(step.p50 <= step.p85 && step.p85 <= step.p95)
            #expect(step.p50 <= previous.0 && step.p85 <= previous.1 && step.p95 <= previous.2)
            previous = (step.p50, step.p85, step.p95)
        }
        #expect(report.forecast.steps.last?.p95 == Fraction(0))
    }

    @Test("The value/effort quadrants are prio matrix's")
    func quadrants() throws {
        let backlog = try Self.sample()
        let report = Self.report(backlog)
        let matrix = ValueEffortMatrix(backlog)
        #expect(report.matrix.showsAll)
        #expect(report.matrix.points.map(\.id) == matrix.points.map { backlog.stories[$0.storyIndex].id.description })
        #expect(report.matrix.points.map(\.quadrant) == matrix.points.map(\.quadrant))
        #expect(report.matrix.counts.map(\.count) == ValueEffortMatrix.quadrants.map { matrix.points(in: $0).count })
        #expect(report.matrix.unscored == matrix.unscored.count)
    }

    @Test("The burn-up: each past sprint's done points, their running total, and the scope given by the history")
    func burnUp() throws {
        let backlog = try Self.sample()
        let timeline = SprintTimeline(backlog, today: Self.today)
        let past = timeline.sprints.filter { $0.state == .ended || $0.state == .closed }
        let report = Self.report(backlog)
        #expect(report.burnUp.steps.map(\.sprint) == past.map(\.name))
        #expect(report.burnUp.steps.map(\.done) == past.map(\.done))
        var total = Fraction(0)
        for (step, sprint) in zip(report.burnUp.steps, past) {
            total = try #require(total.adding(sprint.done))
            #expect(step.cumulative == total)
            #expect(step.scope == StakeholderReport.scope(of: backlog))
        }
        #expect(!report.burnUp.scopeFromHistory)
        let history = Dictionary(uniqueKeysWithValues: past.enumerated().map { ($0.element.name, Fraction(100 + $0.offset)) })
        let withHistory = StakeholderReport(backlog, today: Self.today, options: .init(strategy: WSJFStrategy()), sourceName: "b.md",
                                            scope: history)
        #expect(withHistory.burnUp.steps.map(\.scope) == past.map { history[$0.name] ?? Fraction(0) })
        #expect(withHistory.burnUp.scopeFromHistory)
    }

    @Test("Stakeholders: each declared one with their weight, and the stories where their vote is furthest from the panel's")
    func stakeholders() throws {
        let backlog = try load("""
            # Votes
            - stakeholder: alice | weight 2
            - stakeholder: bob
            - stakeholder: carol

            ## S-1 Agreed
            - value-votes: alice 5, bob 5
            - points: 3

            ## S-2 Split
            - value-votes: alice 13, bob 2
            - points: 3

            """)
        let report = Self.report(backlog)
        #expect(report.stakeholders.map(\.name) == ["alice", "bob", "carol"])
        #expect(report.stakeholders.map(\.weight) == ["2", "1", "1"])
        #expect(report.stakeholders.map(\.votes) == [2, 2, 0])
        // The weighted mean of alice 13 ×2 and bob 2 is 28 / 3 = 9.33: both disagree on S-2 only.
        #expect(report.stakeholders[0].disagreements.map(\.id) == ["S-2"])
        #expect(report.stakeholders[1].disagreements.map(\.panel) == ["9.33"])
        #expect(report.stakeholders[2].disagreements.isEmpty)
        #expect(report.top.first { $0.id == "S-2" }?.disagreements.isEmpty == false)
    }

    @Test("Hostile titles and names show as text: nothing from the file becomes markup", arguments: [
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' onmouseover='alert(1)", "</style><b>x</b>",
    ])
    func hostileTitles(title: String) throws {
        let backlog = try load("""
            # \(title)
            - vision: \(title)
            - sprint: \(title.replacing("|", with: "")) | capacity 10 | 2026-11-30 .. 2026-12-13
            - stakeholder: eve
            - stakeholder: bob

            ## S-1 \(title)
            - value: 8
            - points: 3
            - tags: \(title.replacing(",", with: ""))
            - value-votes: eve 13, bob 1

            """)
        let page = ReportHTML.page(StakeholderReport(backlog, today: Self.today, options: .init(strategy: WSJFStrategy(), title: title),
                                                     sourceName: title))
        #expect(!page.contains("<script"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<b>"))
        #expect(!page.contains("onerror=alert") || page.contains("onerror=alert(1)&gt;"))
        #expect(!page.contains("' onmouseover"))
        #expect(page.contains(HTMLEscaping.escape(title)))
        #expect(page.components(separatedBy: "</style>").count == 2, "only the page's own style sheet ends")
    }

    @Test("The page: language and title set, a CSP that forbids scripts with only meta-allowed directives, no URL at all")
    func safePage() throws {
        let page = ReportHTML.page(Self.report(try Self.sample()))
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(page.contains("<title>Northwind Webshop: backlog report</title>"))
        let policy = ReportHTML.contentSecurityPolicy
        #expect(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLEscaping.escape(policy))\">"))
        #expect(policy.contains("script-src 'none'") && policy.contains("default-src 'none'"))
        for forbidden in ["frame-ancestors", "report-uri", "sandbox"] { #expect(!policy.contains(forbidden)) }
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("url("))
        #expect(!page.contains("<script") && !page.contains("<img") && !page.contains("<link"))
        // Every chart has a title, a description, and a table.
        #expect(page.components(separatedBy: "<svg ").count - 1 == 3)
        #expect(page.components(separatedBy: "<title id=").count - 1 == 3)
        #expect(page.components(separatedBy: "<desc id=").count - 1 == 3)
        // The sections in order.
        let order = ["<header>", "id=\"roadmap\"", "id=\"top\"", "id=\"forecast\"", "id=\"burn-up\"", "id=\"value-effort\"", "id=\"stakeholders\""]
        let positions = order.map { page.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 }.sorted() == positions.compactMap { $0 })
    }

    /// WCAG's relative luminance of `#rrggbb`.
    static func luminance(_ hex: Substring) -> Double {
        let value = Int(hex, radix: 16) ?? 0
        func channel(_ shift: Int) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    @Test("The style sheet: every text colour passes WCAG AA (4.5:1) on the page's white and the table headings' tint; no text under 14 px")
    func readable() throws {
        let page = ReportHTML.page(Self.report(try Self.sample()))
        let start = try #require(page.range(of: "<style>")), end = try #require(page.range(of: "</style>"))
        let css = page[start.upperBound..<end.lowerBound]
        let backgrounds = css.matches(of: /background:#([0-9a-fA-F]{6})/).map { Self.luminance($0.1) } + [1.0]
        let colours = css.matches(of: /(?:[^-]color|fill):#([0-9a-fA-F]{6})/).map { Self.luminance($0.1) }
        #expect(colours.count >= 3)
        for colour in colours {
            for background in backgrounds {
                let ratio = (max(colour, background) + 0.05) / (min(colour, background) + 0.05)
                #expect(ratio >= 4.5, "contrast \(ratio)")
            }
        }
        // Screen sizes in px; print in pt (11 pt is 14.7 px).
        let sizes = css.matches(of: /font-size:([0-9.]+)px/).compactMap { Double($0.1) }
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= 14 }, "\(sizes)")
        #expect(css.matches(of: /font-size:([0-9.]+)pt/).allSatisfy { (Double($0.1) ?? 0) * 4 / 3 >= 14 })
    }

    @Test("The same file, day and seed give the same bytes")
    func repeatable() throws {
        let backlog = try Self.sample()
        let first = ReportHTML.page(Self.report(backlog, seed: 3))
        let second = ReportHTML.page(Self.report(try Self.sample(), seed: 3))
        #expect(first == second)
    }

    @Test("The why in words: each input named with the story's number, high or low by the thirds of the ranked stories")
    func whyWords() throws {
        // Three scored stories: per input the lowest number is low, the highest high, the middle
        // one neither (the thirds of 1, 5, 13 are 1 and 13).
        let backlog = try load("""
            # Three
            - stakeholder: x

            ## S-1 Big and urgent
            - value: 13
            - time-criticality: 8
            - risk-reduction: 1
            - points: 1

            ## S-2 Middle
            - value: 5
            - time-criticality: 3
            - risk-reduction: 2
            - points: 3

            ## S-3 Small value
            - value: 1
            - time-criticality: 1
            - risk-reduction: 3
            - points: 8

            ## S-4 Not estimated yet
            - tags: later

            """)
        let ranking = Ranking(backlog, strategy: WSJFStrategy())
        let words = WhyWords(ranking)
        let texts = Dictionary(uniqueKeysWithValues: ranking.entries.map { (ranking.story($0).id.description, words.text($0)) })
        #expect(texts["S-1"] == "high value 13, urgent 8, little risk reduction 1, small 1 pt")
        #expect(texts["S-2"] == "value 5, urgency 3, risk reduction 2, 3 pts")
        #expect(texts["S-3"] == "low value 1, not urgent 1, reduces risk 3, large 8 pts")
        // Unscored: the strategy's own words for what is missing.
        #expect(texts["S-4"] == WSJFStrategy().why(backlog.stories[3], score: WSJFStrategy().score(backlog.stories[3]), context: nil))
    }
}

/// The report's escaping, as a test sees it.
enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
