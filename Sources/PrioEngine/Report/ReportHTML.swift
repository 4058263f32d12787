/// `prio report`'s page: one self-contained HTML file from a `StakeholderReport`. Inline CSS
/// and SVG only, a Content-Security-Policy that allows no script and no fetch, every string
/// from the backlog escaped (`HTMLWriter`), a print style sheet for A4. The same report gives
/// the same bytes.
public enum ReportHTML {
    /// The policy: nothing is loaded from anywhere; only the inline style sheet applies. Only
    /// directives a `<meta>` may carry (no frame-ancestors, report-uri or sandbox).
    public static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; "
        + "base-uri 'none'; form-action 'none'"

    /// The whole page.
    public static func page(_ report: StakeholderReport) -> String {
        var w = HTMLWriter()
        w.markup("<!DOCTYPE html>\n")
        w.open("html", ["lang": "en"])
        w.newline()
        w.element("head") { w in
            w.void("meta", ["charset": "utf-8"])
            w.void("meta", ["http-equiv": "Content-Security-Policy", "content": contentSecurityPolicy])
            w.void("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
            w.void("meta", ["name": "generator", "content": "prio report"])
            w.element("title", [:], report.header.title)
            w.newline()
            w.element("style") { $0.markup(styleSheet) }
            w.newline()
        }
        w.newline()
        w.element("body") { w in
            w.element("main") { w in
                header(&w, report)
                horizon(&w, report)
                topTable(&w, report)
                forecast(&w, report)
                burnUp(&w, report)
                matrix(&w, report)
                stakeholders(&w, report)
                w.element("footer") { w in
                    w.element("p", [:], "Made with prio report on \(report.header.date) from \(report.header.source). "
                        + "This page loads nothing from anywhere and runs no script; every chart has its numbers in a table.")
                }
            }
        }
        w.newline()
        w.close("html")
        w.newline()
        return w.text
    }

    static func section(_ w: inout HTMLWriter, id: String, title: String, body: (inout HTMLWriter) -> Void) {
        w.newline()
        w.open("section", ["id": id, "aria-labelledby": "\(id)-h"])
        w.element("h2", ["id": "\(id)-h"], title)
        body(&w)
        w.close("section")
    }

    /// A table: a caption, headings, rows; cells of numeric columns right-aligned. `stack`: on
    /// a phone each row becomes a card, each cell labelled with its heading.
    static func table(_ w: inout HTMLWriter, caption: String, headings: [String], numeric: Set<Int> = [], rows: [[String]],
                      stack: Bool = false) {
        let idColumn = headings.firstIndex(of: "ID")
        w.open("div", ["class": "table"])
        w.open("table", stack ? ["class": "stack"] : [:])
        w.element("caption", [:], caption)
        w.element("thead") { w in
            w.element("tr") { w in
                for (k, heading) in headings.enumerated() {
                    w.element("th", numeric.contains(k) ? ["scope": "col", "class": "num"] : ["scope": "col"], heading)
                }
            }
        }
        w.open("tbody")
        for row in rows {
            w.newline()
            w.open("tr")
            for (k, cell) in row.enumerated() {
                let heading = k < headings.count ? headings[k] : ""
                if numeric.contains(k) {
                    w.element("td", ["class": "num", "data-label": heading], cell)
                } else if heading.hasSuffix("%") || heading.hasSuffix("%)") {
                    w.element("td", ["class": "when", "data-label": heading], cell)
                } else if k == idColumn {
                    w.element("td", ["class": "id", "data-label": heading], cell)
                } else {
                    w.element("td", ["data-label": heading], cell)
                }
            }
            w.close("tr")
        }
        w.close("tbody")
        w.close("table")
        w.close("div")
    }

    static func header(_ w: inout HTMLWriter, _ report: StakeholderReport) {
        let header = report.header
        w.element("header") { w in
            w.element("h1", [:], header.title)
            w.open("dl")
            func item(_ term: String, _ value: String?) {
                guard let value, !value.isEmpty else { return }
                w.element("dt", [:], term)
                w.element("dd", [:], value)
            }
            if header.title != header.name { item("Backlog", header.name) }
            item("Vision", header.vision)
            item("Goal", header.goal)
            item("Date", header.date)
            item("Ranked by", "\(header.strategyTitle): \(header.strategyFormula)")
            if let sprint = header.sprint {
                let details = [header.sprintState, header.sprintDates].compactMap { $0 }.joined(separator: ", ")
                item("Sprint", details.isEmpty ? sprint : "\(sprint) (\(details))")
            }
            w.close("dl")
        }
    }

    /// "S-4 Apple Pay and Google Pay, 5 pts, in progress".
    static func storyItem(_ w: inout HTMLWriter, _ line: StakeholderReport.StoryLine, status: Bool) {
        w.element("li") { w in
            w.element("strong", [:], line.id)
            w.write(" " + line.title)
            var details: [String] = []
            if let points = line.points { details.append(points == "1" ? "1 pt" : "\(points) pts") }
            if status { details.append(line.status) }
            if let rank = line.rank { details.append("rank \(rank)") }
            if !details.isEmpty { w.element("span", ["class": "muted"], " · " + details.joined(separator: " · ")) }
        }
    }

    static func horizon(_ w: inout HTMLWriter, _ report: StakeholderReport) {
        let horizon = report.horizon
        section(&w, id: "roadmap", title: "Roadmap") { w in
            w.open("div", ["class": "columns"])
            w.element("div", ["class": "column"]) { w in
                w.element("h3", [:], "Now" + (horizon.nowSprint.map { ": \($0)" } ?? ""))
                list(&w, horizon.now, status: true, empty: horizon.nowSprint == nil ? "No sprint is running." : "Nothing is planned into it yet.")
            }
            w.element("div", ["class": "column"]) { w in
                w.element("h3", [:], "Next" + (horizon.nextSprint.map { ": \($0)" } ?? ""))
                list(&w, horizon.next, status: false, empty: "Nothing is forecast for it (no velocity yet, or nothing fits).")
            }
            w.element("div", ["class": "column"]) { w in
                w.element("h3", [:], "Later: the rest of the top \(report.topCount)")
                list(&w, horizon.later, status: false, empty: "The top \(report.topCount) are all now or next.")
            }
            w.close("div")
        }
    }

    static func list(_ w: inout HTMLWriter, _ lines: [StakeholderReport.StoryLine], status: Bool, empty: String) {
        guard !lines.isEmpty else {
            w.element("p", ["class": "muted"], empty)
            return
        }
        w.element("ul") { w in
            for line in lines { storyItem(&w, line, status: status) }
        }
    }

    /// The marks of a story: pinned, waiting for a dependency, stakeholders disagree.
    static func marks(_ line: StakeholderReport.StoryLine) -> String {
        var marks: [String] = []
        if line.pinned { marks.append("pinned") }
        if !line.waitsFor.isEmpty { marks.append("waits for " + line.waitsFor.joined(separator: ", ")) }
        if !line.disagreements.isEmpty { marks.append("stakeholders disagree") }
        return marks.joined(separator: "; ")
    }

    static func topTable(_ w: inout HTMLWriter, _ report: StakeholderReport) {
        section(&w, id: "top", title: "Top \(report.topCount)") { w in
            guard !report.top.isEmpty else {
                w.element("p", [:], "No story is left to rank.")
                return
            }
            table(&w, caption: "The top \(report.top.count) by \(report.header.strategyTitle), with why and when",
                  headings: ["Rank", "ID", "Title", "Points", "MoSCoW", "Score", "Why", "Done by (85 %)", "Marks"],
                  numeric: [0, 3, 5],
                  rows: report.top.map { line in
                      [line.rank.map(String.init) ?? "", line.id, line.title, line.points ?? "–", line.moscow ?? "", line.score ?? "–",
                       line.why, line.forecast85 ?? "–", marks(line)]
                  }, stack: true)
        }
    }

    static func forecast(_ w: inout HTMLWriter, _ report: StakeholderReport) {
        let forecast = report.forecast
        section(&w, id: "forecast", title: "Forecast") { w in
            if let problem = forecast.problem {
                w.element("p", [:], "No forecast with confidence yet: \(problem).")
                return
            }
            if let sentence = forecast.sentence { w.element("p", ["class": "lead"], sentence) }
            if !forecast.steps.isEmpty {
                w.element("figure") { w in
                    ReportCharts.fan(&w, forecast, topCount: report.topCount)
                    w.element("figcaption", [:], "Points of the top \(report.topCount) left after each sprint. Solid blue: 50 % "
                        + "(as likely as not); dashed vermillion: 85 %; dotted black: 95 %. The shaded band runs from 50 % to 95 %.")
                }
                table(&w, caption: "Points left after each sprint", headings: ["Sprint", "Ends", "50 %", "85 %", "95 %"],
                      numeric: [2, 3, 4], rows: [["today", report.header.date] + Array(repeating: formatPoints(forecast.total), count: 3)]
                        + forecast.steps.map { [$0.sprint, $0.end ?? "", formatPoints($0.p50), formatPoints($0.p85), formatPoints($0.p95)] })
            }
            table(&w, caption: "Done by, per story (as prio forecast --confidence)", headings: ["ID", "Title", "Points", "50 %", "85 %", "95 %"],
                  numeric: [2], rows: forecast.outlooks.map { [$0.id, $0.title, $0.points ?? "–", $0.p50 ?? $0.note ?? "–", $0.p85 ?? "–", $0.p95 ?? "–"] },
                  stack: true)
            if let method = forecast.method { w.element("p", ["class": "muted"], method) }
        }
    }

    static func burnUp(_ w: inout HTMLWriter, _ report: StakeholderReport) {
        let burn = report.burnUp
        section(&w, id: "burn-up", title: "Burn-up") { w in
            guard !burn.steps.isEmpty else {
                w.element("p", [:], "No sprint has ended yet: the burn-up starts once one has.")
                return
            }
            w.element("figure") { w in
                ReportCharts.burnUp(&w, burn)
                w.element("figcaption", [:], "Blue bars: points done in each sprint; vermillion line with dots: points done in total; "
                    + "dashed black line: the scope, "
                    + (burn.scopeFromHistory ? "all the points in the backlog when each sprint ended (from its history in git)."
                        : "all the points in the backlog today (it is not in git, so its earlier scope is unknown)."))
            }
            table(&w, caption: "Points per sprint", headings: ["Sprint", "Ended", "Done", "Done in total", "Scope"], numeric: [2, 3, 4],
                  rows: burn.steps.map { [$0.sprint, $0.end ?? "", formatPoints($0.done), formatPoints($0.cumulative), formatPoints($0.scope)] })
        }
    }

    static func matrix(_ w: inout HTMLWriter, _ report: StakeholderReport) {
        let matrix = report.matrix
        section(&w, id: "value-effort", title: "Value and effort") { w in
            guard !matrix.points.isEmpty || matrix.counts.contains(where: { $0.count > 0 }) else {
                w.element("p", [:], "No story has both a value and an effort (or points): nothing to place.")
                return
            }
            w.element("figure") { w in
                ReportCharts.matrix(&w, matrix)
                w.element("figcaption", [:], "Split at the medians (value \(matrix.valueMedian.map(formatPoints) ?? "–"), effort "
                    + "\(matrix.effortMedian.map(formatPoints) ?? "–")), as prio matrix. Green: quick win; blue: big bet; orange: fill-in; "
                    + "vermillion: money pit. " + (matrix.showsAll ? "The top \(report.topCount) are the larger dots, named."
                        : "Only the top \(report.topCount) are drawn."))
            }
            table(&w, caption: "Stories per quadrant", headings: ["Quadrant", "Stories"], numeric: [1],
                  rows: matrix.counts.map { [$0.quadrant, String($0.count)] } + (matrix.unscored > 0 ? [["unscored", String(matrix.unscored)]] : []))
            table(&w, caption: matrix.showsAll ? "Every placed story" : "The top \(report.topCount)", headings: ["ID", "Title", "Value", "Effort", "Quadrant"],
                  numeric: [2, 3], rows: matrix.points.map { [$0.id, $0.title, formatPoints($0.value), formatPoints($0.effort), $0.quadrant] })
        }
    }

    static func stakeholders(_ w: inout HTMLWriter, _ report: StakeholderReport) {
        section(&w, id: "stakeholders", title: "Stakeholders") { w in
            guard !report.stakeholders.isEmpty else {
                w.element("p", [:], "No stakeholder is declared (add '- stakeholder: NAME | weight 2' to the header, then prio vote).")
                return
            }
            w.element("p", [:], "Votes combine as a weighted \(report.aggregate); each stakeholder's weight is how much their votes count.")
            table(&w, caption: "Stakeholders and where they disagree most", headings: ["Stakeholder", "Weight", "Votes", "Disagrees most on"],
                  numeric: [1, 2], rows: report.stakeholders.map { line in
                      [line.name, line.weight, String(line.votes),
                       line.disagreements.isEmpty ? "no disagreement"
                           : line.disagreements.map { "\($0.id) \($0.title): \($0.field) \($0.vote), the panel \($0.panel) (\($0.why))" }
                           .joined(separator: "; ")]
                  }, stack: true)
        }
    }

    /// The style sheet: 16 px text (14 px at the smallest), dark on white (AA contrast), the
    /// Okabe–Ito colours, tables as cards on a phone, and A4 pages that keep sections whole.
    static let styleSheet: StaticString = """
        :root{color-scheme:light}
        *{box-sizing:border-box}
        body{margin:0;background:#fff;color:#1b1b1b;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
        main{max-width:1000px;margin:0 auto;padding:16px 20px 32px}
        h1{font-size:30px;line-height:1.2;margin:8px 0 12px}
        h2{font-size:23px;margin:36px 0 12px;padding-bottom:4px;border-bottom:3px solid #0072B2}
        h3{font-size:18px;margin:12px 0 6px}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
        dt{font-weight:700}dd{margin:0;overflow-wrap:break-word}
        .columns{display:grid;grid-template-columns:repeat(3,1fr);gap:20px}
        .column ul{margin:0;padding-left:20px}.column li{margin:4px 0;overflow-wrap:break-word}
        .muted{color:#4a4a4a}
        .lead{font-size:20px;font-weight:700;margin:8px 0 16px}
        figure{margin:16px 0}figcaption{color:#4a4a4a;margin-top:6px}
        svg{display:block;width:100%;max-width:760px;height:auto}
        svg text{font-size:16px;fill:#1b1b1b}
        svg .quadrant{font-weight:700}svg .label{font-weight:700}
        svg .grid{stroke:#d0d0d0;stroke-width:1}svg .axis{stroke:#1b1b1b;stroke-width:1.5}
        svg .median{stroke:#595959;stroke-width:2;stroke-dasharray:6 4}
        .table{margin:12px 0;overflow-x:auto}
        table{border-collapse:collapse;width:100%}
        caption{text-align:left;font-weight:700;padding:4px 0}
        th,td{padding:6px 8px;border-bottom:1px solid #b3b3b3;text-align:left;vertical-align:top;overflow-wrap:break-word}
        td.num,td.id,td.when{white-space:nowrap}
        th{background:#eef3f8}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        footer{margin-top:40px;color:#4a4a4a;border-top:1px solid #b3b3b3;padding-top:8px}
        @media (max-width:700px){
        main{padding:12px}
        h1{font-size:24px}
        .columns{grid-template-columns:1fr;gap:4px}
        dl{grid-template-columns:1fr}dd{margin-bottom:6px}
        svg text{font-size:28px}svg text.minor{display:none}
        th,td{padding:4px 5px;overflow-wrap:anywhere}
        table.stack thead{display:none}
        table.stack tr{display:block;border:1px solid #b3b3b3;border-radius:6px;margin:0 0 10px;padding:4px 8px}
        table.stack td{display:grid;grid-template-columns:8em minmax(0,1fr);gap:8px;border:0;padding:2px 0;text-align:left}
        table.stack td.num,table.stack td.when{text-align:left;white-space:normal}
        table.stack td::before{content:attr(data-label);font-weight:700}
        }
        @media print{
        @page{size:A4;margin:14mm}
        body{font-size:11pt}
        main{max-width:none;padding:0}
        section,figure,tr,.table{break-inside:avoid;page-break-inside:avoid}
        h2,h3,caption{break-after:avoid;page-break-after:avoid}
        svg{max-width:150mm}
        svg text{font-size:16px}svg text.minor{display:inline}
        th{background:none}
        }
        """
}
