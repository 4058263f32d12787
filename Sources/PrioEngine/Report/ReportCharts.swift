/// The report's three charts as inline SVG (no namespace URL is needed inline, so the page
/// names no URL at all). Each has a `<title>` and a `<desc>`, and the page puts a table with
/// the same numbers beside it. Colours are the Okabe–Ito palette (safe for colour-blind
/// readers), and every series also differs by its dash or its shape.
enum ReportCharts {
    /// The drawing area: a 640 × 360 view box with room for the axes' labels.
    static let width = 640.0, height = 360.0
    static let left = 72.0, right = 24.0, top = 20.0, bottom = 96.0

    static let blue = "#0072B2", vermillion = "#D55E00", green = "#009E73", orange = "#E69F00", ink = "#1b1b1b", grey = "#595959"

    /// A coordinate with one decimal: the same bytes on every machine.
    static func n(_ value: Double) -> String {
        formatFixed(value.isFinite ? value : 0, decimals: 1)
    }

    /// Opens an `<svg>` with its title and description.
    static func begin(_ w: inout HTMLWriter, id: String, title: String, description: String) {
        w.open("svg", ["viewBox": "0 0 \(Int(width)) \(Int(height))", "role": "img", "aria-labelledby": "\(id)-t \(id)-d"])
        w.element("title", ["id": "\(id)-t"], title)
        w.element("desc", ["id": "\(id)-d"], description)
    }

    /// Nice round steps for an axis from 0 to `maximum`: about four of them.
    static func ticks(_ maximum: Double) -> [Double] {
        guard maximum > 0 else { return [0] }
        let raw = maximum / 4
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let count = max(1, Int((maximum / step).rounded(.up)))
        return (0...count).map { Double($0) * step }
    }

    /// The y axis with its ticks and grid lines, and the axis name.
    static func yAxis(_ w: inout HTMLWriter, maximum: Double, name: String) -> (Double) -> Double {
        let steps = ticks(maximum)
        let top = steps.last ?? 1
        let scale: (Double) -> Double = { value in height - bottom - (top > 0 ? value / top : 0) * (height - bottom - Self.top) }
        for tick in steps {
            let y = scale(tick)
            w.void("line", ["x1": n(left), "x2": n(width - right), "y1": n(y), "y2": n(y), "class": "grid"], selfClosing: true)
            w.element("text", ["x": n(left - 8), "y": n(y + 6), "text-anchor": "end"], formatTick(tick))
        }
        w.element("text", ["x": n(16), "y": n(Self.top + (height - bottom - Self.top) / 2), "text-anchor": "middle",
                           "transform": "rotate(-90 16 \(n(Self.top + (height - bottom - Self.top) / 2)))"], name)
        return scale
    }

    static func formatTick(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : formatFixed(value, decimals: 1)
    }

    /// The x labels, turned so that long sprint names fit; on a phone only every few show.
    static func xLabels(_ w: inout HTMLWriter, _ labels: [String], at x: (Int) -> Double) {
        let every = max(1, (labels.count + 19) / 20)
        let phoneEvery = max(1, (labels.count + 4) / 5)
        for (k, label) in labels.enumerated() where k % every == 0 {
            let px = x(k), py = height - bottom + 22
            w.element("text", ["x": n(px), "y": n(py), "text-anchor": "end", "class": k % phoneEvery == 0 ? "major" : "minor",
                               "transform": "rotate(-35 \(n(px)) \(n(py)))"], label)
        }
    }

    /// The fan chart: the points of the top N left after each sprint, at 50, 85 and 95 %.
    static func fan(_ w: inout HTMLWriter, _ forecast: StakeholderReport.ForecastSection, topCount: Int) {
        let steps = forecast.steps
        let total = forecast.total.doubleValue
        begin(&w, id: "fan", title: "Forecast of the top \(topCount): points left after each sprint",
              description: "Points of the top \(topCount) still to do: \(formatPoints(forecast.total)) now; "
                + steps.map { "\($0.sprint): \(formatPoints($0.p50)) at 50 %, \(formatPoints($0.p85)) at 85 %, \(formatPoints($0.p95)) at 95 %" }
                .joined(separator: "; "))
        let y = yAxis(&w, maximum: max(total, 1), name: "points left")
        let count = steps.count + 1
        let x: (Int) -> Double = { k in left + (count > 1 ? Double(k) / Double(count - 1) : 0.5) * (width - left - right) }
        func points(_ values: [Double]) -> String {
            values.enumerated().map { "\(n(x($0.offset))),\(n(y($0.element)))" }.joined(separator: " ")
        }
        let p50 = [total] + steps.map(\.p50.doubleValue)
        let p85 = [total] + steps.map(\.p85.doubleValue)
        let p95 = [total] + steps.map(\.p95.doubleValue)
        // The band between the optimistic and the cautious line.
        let band = points(p50) + " " + p95.enumerated().reversed().map { "\(n(x($0.offset))),\(n(y($0.element)))" }.joined(separator: " ")
        w.void("polygon", ["points": band, "fill": "#56B4E9", "fill-opacity": "0.35", "stroke": "none"], selfClosing: true)
        w.void("polyline", ["points": points(p50), "fill": "none", "stroke": blue, "stroke-width": "3"], selfClosing: true)
        w.void("polyline", ["points": points(p85), "fill": "none", "stroke": vermillion, "stroke-width": "4",
                            "stroke-dasharray": "10 5"], selfClosing: true)
        w.void("polyline", ["points": points(p95), "fill": "none", "stroke": ink, "stroke-width": "2.5",
                            "stroke-dasharray": "2 4"], selfClosing: true)
        w.void("line", ["x1": n(left), "x2": n(width - right), "y1": n(y(0)), "y2": n(y(0)), "class": "axis"], selfClosing: true)
        xLabels(&w, ["today"] + steps.map(\.sprint), at: x)
        w.close("svg")
    }

    /// The burn-up: done points per sprint as bars, the running total, and the scope.
    static func burnUp(_ w: inout HTMLWriter, _ burn: StakeholderReport.BurnUp) {
        let steps = burn.steps
        let maximum = steps.map { max($0.cumulative.doubleValue, $0.scope.doubleValue) }.max() ?? 1
        begin(&w, id: "burn", title: "Burn-up: points done per sprint, in total, against the scope",
              description: steps.map { "\($0.sprint): \(formatPoints($0.done)) done, \(formatPoints($0.cumulative)) in total, scope \(formatPoints($0.scope))" }
                .joined(separator: "; "))
        let y = yAxis(&w, maximum: max(maximum, 1), name: "points")
        let slot = (width - left - right) / Double(max(1, steps.count))
        let x: (Int) -> Double = { k in left + slot * (Double(k) + 0.5) }
        for (k, step) in steps.enumerated() {
            let barWidth = min(48, slot * 0.5)
            w.void("rect", ["x": n(x(k) - barWidth / 2), "y": n(y(step.done.doubleValue)), "width": n(barWidth),
                            "height": n(max(0, y(0) - y(step.done.doubleValue))), "fill": blue], selfClosing: true)
        }
        let cumulative = steps.enumerated().map { "\(n(x($0.offset))),\(n(y($0.element.cumulative.doubleValue)))" }.joined(separator: " ")
        let scope = steps.enumerated().map { "\(n(x($0.offset))),\(n(y($0.element.scope.doubleValue)))" }.joined(separator: " ")
        w.void("polyline", ["points": cumulative, "fill": "none", "stroke": vermillion, "stroke-width": "3"], selfClosing: true)
        for (k, step) in steps.enumerated() {
            w.void("circle", ["cx": n(x(k)), "cy": n(y(step.cumulative.doubleValue)), "r": "6", "fill": vermillion,
                              "stroke": ink, "stroke-width": "1"], selfClosing: true)
        }
        w.void("polyline", ["points": scope, "fill": "none", "stroke": ink, "stroke-width": "2.5", "stroke-dasharray": "10 5"], selfClosing: true)
        w.void("line", ["x1": n(left), "x2": n(width - right), "y1": n(y(0)), "y2": n(y(0)), "class": "axis"], selfClosing: true)
        xLabels(&w, steps.map(\.sprint), at: x)
        w.close("svg")
    }

    /// The colour of a quadrant's points.
    static func colour(_ quadrant: String) -> String {
        switch quadrant {
        case "quick win": green
        case "big bet": blue
        case "fill-in": orange
        default: vermillion
        }
    }

    /// The value/effort 2×2: effort across, value up, split at the medians, quadrants named.
    static func matrix(_ w: inout HTMLWriter, _ matrix: StakeholderReport.MatrixSection) {
        let points = matrix.points
        begin(&w, id: "matrix", title: "Value and effort: quick wins, big bets, fill-ins and money pits",
              description: matrix.counts.map { "\($0.quadrant): \($0.count)" }.joined(separator: ", ")
                + "; split at the medians, value \(matrix.valueMedian.map(formatPoints) ?? "–"), effort \(matrix.effortMedian.map(formatPoints) ?? "–")")
        let maxValue = max(1, points.map(\.value.doubleValue).max() ?? 1, matrix.valueMedian?.doubleValue ?? 0)
        let maxEffort = max(1, points.map(\.effort.doubleValue).max() ?? 1, matrix.effortMedian?.doubleValue ?? 0)
        let y = yAxis(&w, maximum: maxValue * 1.08, name: "value")
        let xTop = ticks(maxEffort * 1.08).last ?? maxEffort
        let x: (Double) -> Double = { effort in left + effort / xTop * (width - left - right) }
        for tick in ticks(maxEffort * 1.08) {
            w.element("text", ["x": n(x(tick)), "y": n(height - bottom + 24), "text-anchor": "middle"], formatTick(tick))
        }
        w.element("text", ["x": n(left + (width - left - right) / 2), "y": n(height - bottom + 56), "text-anchor": "middle"], "effort (or points)")
        if let vm = matrix.valueMedian, let em = matrix.effortMedian {
            w.void("line", ["x1": n(x(em.doubleValue)), "x2": n(x(em.doubleValue)), "y1": n(top), "y2": n(y(0)), "class": "median"], selfClosing: true)
            w.void("line", ["x1": n(left), "x2": n(width - right), "y1": n(y(vm.doubleValue)), "y2": n(y(vm.doubleValue)), "class": "median"], selfClosing: true)
        }
        let counts = Dictionary(matrix.counts.map { ($0.quadrant, $0.count) }, uniquingKeysWith: { a, _ in a })
        let corners: [(String, Double, Double, String)] = [
            ("quick win", left + 8, top + 22, "start"), ("big bet", width - right - 8, top + 22, "end"),
            ("fill-in", left + 8, height - bottom - 10, "start"), ("money pit", width - right - 8, height - bottom - 10, "end"),
        ]
        for (name, cx, cy, anchor) in corners {
            w.element("text", ["x": n(cx), "y": n(cy), "text-anchor": anchor, "class": "quadrant"], "\(name) (\(counts[name] ?? 0))")
        }
        // The others first, the top N over them; the top N's IDs once per place ("S-4, S-11"
        // where two share it).
        var labels: [(x: Double, y: Double, ids: [String])] = []
        for point in points.sorted(by: { !$0.inTop && $1.inTop }) {
            let px = x(point.effort.doubleValue), py = y(point.value.doubleValue)
            w.element("circle", ["cx": n(px), "cy": n(py), "r": point.inTop ? "8" : "5", "fill": colour(point.quadrant),
                                 "stroke": ink, "stroke-width": "1"]) { w in
                w.element("title", [:], "\(point.id) \(point.title): value \(formatPoints(point.value)), effort \(formatPoints(point.effort)), \(point.quadrant)")
            }
            guard point.inTop else { continue }
            if let k = labels.firstIndex(where: { $0.x == px && $0.y == py }) {
                labels[k].ids.append(point.id)
            } else {
                labels.append((px, py, [point.id]))
            }
        }
        for label in labels {
            w.element("text", ["x": n(label.x + 10), "y": n(label.y - 8), "class": "label"], label.ids.joined(separator: ", "))
        }
        w.void("line", ["x1": n(left), "x2": n(width - right), "y1": n(y(0)), "y2": n(y(0)), "class": "axis"], selfClosing: true)
        w.close("svg")
    }
}
