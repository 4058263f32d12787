import Foundation
import Testing

/// `prio report` end to end, read back from the page as a reader would, and the exports for
/// people (`--format text`, the why in words, the forecast with its last day, `--bom`).
@Suite("prio report")
struct ReportCLITests {
    /// The cells of the table rows of a page that carry `label` (one `<tr>` per line), by the row's ID.
    static func rows(_ html: String, having label: String) -> [String: String] {
        var rows: [String: String] = [:]
        for line in html.split(separator: "\n") where line.contains("data-label=\"\(label)\"") {
            guard let match = line.firstMatch(of: /<td class="id" data-label="ID">([^<]*)<\/td>/) else { continue }
            rows[String(match.1)] = String(line)
        }
        return rows
    }

    /// The IDs in bold under each h3 of the roadmap, by the heading's first word.
    static func roadmap(_ html: String) throws -> [String: [String]] {
        let start = try #require(html.range(of: "<section id=\"roadmap\""))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        let section = html[start.upperBound..<end.lowerBound]
        var out: [String: [String]] = [:]
        for part in section.components(separatedBy: "<h3>").dropFirst() {
            let word = String(part.prefix { $0.isLetter })
            out[word] = part.matches(of: /<strong>([^<]*)<\/strong>/).map { String($0.1) }
        }
        return out
    }

    @Test("prio report writes report.html; -o - gives the same bytes; the same day and seed give the same page")
    func writesPage() throws {
        let box = try Sandbox()
        try box.initSample()
        let written = try box.run("report")
        #expect(written.status == 0, "\(written)")
        #expect(written.stderr.hasPrefix("wrote the report (top 10, "))
        #expect(written.stderr.hasSuffix("KB) to report.html\n"))
        let page = try box.read("report.html")
        let again = try box.run("report", "-o", "-")
        #expect(again.status == 0)
        #expect(again.stdoutData == page)
        let seeded = try box.run("report", "-o", "-", "--seed", "1")
        #expect(seeded.stdoutData == page, "the default seed is 1")
        #expect(page.count < 1_000_000)
        // Never the backlog itself.
        let refused = try box.run("report", "-o", "backlog.md")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the backlog itself"))
        #expect(try box.read("backlog.md") == (try box.initSampleBytes()))
    }

    @Test("The forecast's dates are prio forecast --confidence's for the same seed and day")
    func forecastAgrees() throws {
        let box = try Sandbox()
        try box.initSample()
        let html = try box.run("report", "-o", "-", "--seed", "99").stdout
        let json = try box.run("forecast", "--confidence", "--seed", "99", "--format", "json").stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let stories = try #require(object["stories"] as? [[String: Any]])
        let ranked = try #require(try JSONSerialization.jsonObject(with: Data(try box.run("rank", "--top", "10", "--format", "json").stdoutData))
            as? [String: Any])
        let top = try #require(ranked["stories"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(top.count == 10)
        let rows = Self.rows(html, having: "85 %")
        func label(_ value: Any?) -> String {
            guard let landing = value as? [String: Any], let sprint = landing["sprint"] as? String else { return "–" }
            return (landing["end"] as? String).map { "\(sprint), ends \($0)" } ?? sprint
        }
        for id in top {
            let story = try #require(stories.first { $0["id"] as? String == id })
            let row = try #require(rows[id], "no forecast row for \(id)")
            #expect(row.contains("<td class=\"when\" data-label=\"50 %\">\(label(story["p50"]))</td>"
                + "<td class=\"when\" data-label=\"85 %\">\(label(story["p85"]))</td>"
                + "<td class=\"when\" data-label=\"95 %\">\(label(story["p95"]))</td>"), "\(id): \(row)")
        }
        // The sponsor's sentence: the latest 85 % sprint of the top 10.
        let latest = try top.compactMap { id -> (String, String)? in
            let story = try #require(stories.first { $0["id"] as? String == id })
            guard let p85 = story["p85"] as? [String: Any], let end = p85["end"] as? String, let sprint = p85["sprint"] as? String else { return nil }
            return (end, sprint)
        }.max { $0.0 < $1.0 }
        let (end, sprint) = try #require(latest)
        #expect(html.contains("<p class=\"lead\">85 % chance the top 10 are done by \(end) (\(sprint))"))
    }

    @Test("Now, Next and Later: each story once, Now the active sprint's stories, Later only from the top 10")
    func roadmapOnce() throws {
        let box = try Sandbox()
        let text = String(decoding: try box.initSample(), as: UTF8.self)
        let html = try box.run("report", "-o", "-").stdout
        let sections = try Self.roadmap(html)
        #expect(Set(sections.keys) == ["Now", "Next", "Later"])
        let all = sections.values.flatMap { $0 }
        #expect(Set(all).count == all.count, "\(sections)")
        // Sprint 4 is active on the test day (2026-11-30 .. 2026-12-13): the stories whose sprint field names it.
        let backlog = BacklogText(text)
        #expect(html.contains("<h3>Now: Sprint 4</h3>"))
        let inSprint: [String] = backlog.blocks.filter { $0.field("sprint") == "Sprint 4" }.map(\.id)
        let now: [String] = sections["Now"] ?? []
        #expect(Set(now) == Set(inSprint))
        let ranked = try #require(try JSONSerialization.jsonObject(with: Data(try box.run("rank", "--top", "10", "--format", "json").stdoutData))
            as? [String: Any])
        let top = try #require(ranked["stories"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(Set(sections["Later"] ?? []).isSubset(of: Set(top)))
        // Every top 10 story is somewhere on the roadmap.
        #expect(Set(top).isSubset(of: Set(all)))
    }

    @Test("The value/effort quadrants are prio matrix's")
    func quadrantsAgree() throws {
        let box = try Sandbox()
        try box.initSample()
        let html = try box.run("report", "-o", "-").stdout
        let json = try box.run("matrix", "--format", "json").stdoutData
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let quadrants = try #require(object["quadrants"] as? [String: [String]])
        let rows = Self.rows(html, having: "Quadrant")
        #expect(rows.count == quadrants.values.map(\.count).reduce(0, +))
        for (quadrant, ids) in quadrants {
            for id in ids { #expect(rows[id]?.contains("<td data-label=\"Quadrant\">\(quadrant)</td>") == true, "\(id)") }
            #expect(html.contains("<td data-label=\"Quadrant\">\(quadrant)</td><td class=\"num\" data-label=\"Stories\">\(ids.count)</td>"))
        }
    }

    @Test("Hostile titles show as text", arguments: ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"])
    func hostile(title: String) throws {
        let box = try Sandbox()
        try box.initSample()
        #expect(try box.run("add", "--title", title, "value=100", "points=1", "time-criticality=20", "risk-reduction=20").status == 0)
        let page = try box.run("report", "-o", "-", "--title", title)
        #expect(page.status == 0, "\(page)")
        #expect(!page.stdout.contains("<script") && !page.stdout.contains("<img"))
        let escaped = title.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
            .replacing("\"", with: "&quot;")
        #expect(page.stdout.contains("<title>\(escaped)</title>"))
        #expect(page.stdout.contains("<td data-label=\"Title\">\(escaped)</td>"))
    }

    /// Runs git in a sandbox as a fixed author, committing on `day`.
    @discardableResult
    static func git(_ box: Sandbox, _ arguments: [String], day: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = box.url
        var environment = ProcessInfo.processInfo.environment
        for key in ["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"] { environment[key] = "Ada" }
        for key in ["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"] { environment[key] = "ada@example.com" }
        for key in ["GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"] { environment[key] = day + "T12:00:00" }
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["HOME"] = box.url.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("Where the backlog is in git, the burn-up's scope follows its history")
    func scopeFromGit() throws {
        let box = try Sandbox()
        let sample = String(decoding: try box.initSample("b.md"), as: UTF8.self)
        #expect(try Self.git(box, ["init", "-q", "-b", "main"], day: "2026-10-20") == 0)
        #expect(try Self.git(box, ["add", "b.md"], day: "2026-10-20") == 0)
        #expect(try Self.git(box, ["commit", "-q", "-m", "base"], day: "2026-10-20") == 0)
        // After Sprint 2 ended (2026-11-15), a story of 100 points is added.
        try box.write("b.md", sample + "\n## S-99 Late addition\n- points: 100\n")
        #expect(try Self.git(box, ["commit", "-q", "-am", "more"], day: "2026-11-20") == 0)
        let html = try box.run("report", "b.md", "-o", "-").stdout
        #expect(html.contains("from its history in git"))
        let rows = html.split(separator: "\n").filter { $0.contains("data-label=\"Scope\"") }
        let scopes = rows.compactMap { $0.firstMatch(of: /data-label="Scope">([0-9.]+)</)?.1 }.map { Double($0) ?? -1 }
        // Sprints 1 to 3 ended on 2026-11-01, 11-15 and 11-29 (Sprint 4 is active on the test day).
        #expect(scopes.count == 3, "\(scopes)")
        #expect(scopes.first.map { $0 + 100 } == scopes.last, "\(scopes)")
        #expect(scopes.count == 3 && scopes[0] == scopes[1], "\(scopes)")
    }

    @Test("export --format text: the Markdown's columns as aligned plain text, nothing cut, no table syntax")
    func textExport() throws {
        let box = try Sandbox()
        try box.initSample()
        let text = try box.run("export", "--format", "text", "--top", "3", "--strategy", "wsjf")
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Northwind Webshop: top 3 by WSJF (SAFe)")
        #expect(!text.stdout.contains("|") && !text.stdout.contains("**") && !text.stdout.contains("\u{1B}"))
        let heading = try #require(lines.first { $0.hasPrefix("Rank  ") })
        for column in ["ID", "Title", "Points", "MoSCoW", "Score", "Why", "Forecast"] { #expect(heading.contains(column)) }
        // Columns line up: the Why and Forecast columns start at the same place in every row.
        let rows = lines.drop { !$0.hasPrefix("Rank  ") }.filter { !$0.isEmpty }
        #expect(rows.count == 4)
        let whyAt = try #require(heading.range(of: "Why")).lowerBound.utf16Offset(in: heading)
        for row in rows.dropFirst() {
            #expect(row.contains("Cookie consent banner rework") || row.contains("GDPR data export") || row.contains("PayPal refunds from admin"))
            #expect(row.contains(", ends 2026-12-"))
            let cell = row.utf16.dropFirst(whyAt).prefix(4)
            #expect(["low ", "high"].contains(String(decoding: Array(cell), as: UTF16.self)), "\(row)")
        }
        // The same words as the Markdown's why column and the report's.
        let markdown = try box.run("export", "--format", "markdown", "--top", "3", "--strategy", "wsjf").stdout
        let report = try box.run("report", "-o", "-", "--top", "3", "--strategy", "wsjf").stdout
        let words = "low value 3, urgent 13, reduces risk 8, small 2 pts"
        #expect(markdown.contains("| \(words) |") && text.stdout.contains(words) && report.contains(">\(words)</td>"))
    }

    @Test("export --format csv --bom starts with the UTF-8 byte-order mark; --bom without csv is refused")
    func bom() throws {
        let box = try Sandbox()
        try box.initSample()
        let plain = try box.run("export", "--format", "csv")
        let marked = try box.run("export", "--format", "csv", "--bom", "-o", "out.csv")
        #expect(marked.status == 0)
        let bytes = try box.read("out.csv")
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(bytes.dropFirst(3) == plain.stdoutData)
        #expect(String(decoding: bytes, as: UTF8.self).contains("Gift wrapping 🎁 option"))
        let refused = try box.run("export", "--format", "markdown", "--bom")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--bom goes with --format csv"))
    }
}

extension Sandbox {
    /// The bytes `prio init --sample` writes on the test day.
    func initSampleBytes() throws -> Data {
        let other = try Sandbox()
        return try other.initSample()
    }
}
