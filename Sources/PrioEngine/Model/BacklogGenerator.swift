/// Makes large, realistic, deterministic backlogs for benchmarks and tests.
public enum BacklogGenerator {
    /// The most stories (or rows) one generated file may have: about 300 MB of backlog.
    public static let maximumCount = 1_000_000

    /// A backlog file of `count` stories; the same seed always gives the same bytes.
    public static func markdown(count: Int, seed: UInt64 = 42) -> [UInt8] {
        let count = min(max(count, 0), maximumCount)
        var rng = SplitMix64(seed: seed)
        var out = "# Generated backlog\n\n- strategy: wsjf\n- prefix: S\n\nA generated backlog of \(count) stories.\n"
        out.reserveCapacity(count * 330)
        let verbs = ["Add", "Improve", "Fix", "Redesign", "Speed up", "Localise", "Simplify", "Automate"]
        let things = ["checkout", "search", "wishlist", "order tracking", "returns", "invoices", "login",
                      "product page", "cart", "newsletter", "reviews", "gift cards", "日本語の商品説明", "🎁 gift wrap"]
        let fib = ["1", "2", "3", "5", "8", "13", "20"]
        let moscow = ["must", "should", "should", "could", "could", "wont"]
        let statuses = ["todo", "todo", "todo", "ready", "ready", "in-progress", "done"]
        let tags = ["checkout", "mobile", "search", "payments", "accounts", "seo", "admin", "i18n"]
        for n in 1...max(1, count) where count > 0 {
            out += "\n## S-\(n) \(verbs[rng.below(verbs.count)]) \(things[rng.below(things.count)]) #\(n)\n"
            out += "- status: \(statuses[rng.below(statuses.count)])\n"
            out += "- moscow: \(moscow[rng.below(moscow.count)])\n"
            out += "- value: \(fib[rng.below(fib.count)])\n"
            out += "- time-criticality: \(fib[rng.below(fib.count)])\n"
            out += "- risk-reduction: \(fib[rng.below(fib.count)])\n"
            if rng.below(10) > 0 { out += "- points: \(fib[rng.below(6)])\n" }
            if rng.below(4) == 0 { out += "- effort: \(rng.below(20) + 1).5\n" }
            out += "- reach: \(rng.below(10_000) + 100)\n"
            out += "- impact: \(["3", "2", "1", "0.5", "0.25"][rng.below(5)])\n"
            out += "- confidence: \(["100", "80", "50"][rng.below(3)])%\n"
            out += "- tags: \(tags[rng.below(tags.count)]), \(tags[rng.below(tags.count)])\n"
            if n > 10 && rng.below(8) == 0 { out += "- depends: S-\(rng.below(n - 1) + 1)\n" }
            out += "\nAs a shopper I want story \(n) done so that the shop gets better.\n"
            if rng.below(3) == 0 { out += "\n### Acceptance criteria\n- It works on mobile\n- It is measured\n" }
        }
        return Array(out.utf8)
    }

    /// A CSV file of `count` rows with Jira-style headers, for import benchmarks.
    public static func csv(count: Int, seed: UInt64 = 7) -> [UInt8] {
        let count = min(max(count, 0), maximumCount)
        var rng = SplitMix64(seed: seed)
        var out = "Summary,Story Points,Business Value,Time Criticality,Risk Reduction,MoSCoW,Labels,Description\r\n"
        out.reserveCapacity(count * 120)
        for n in 0..<max(0, count) {
            out += "\"Imported story \(n), part \(rng.below(100))\",\(rng.below(13) + 1),\(rng.below(20) + 1),"
            out += "\(rng.below(20) + 1),\(rng.below(20) + 1),\(["must", "should", "could", "wont"][rng.below(4)]),"
            out += "imported,\"Line one of \(n)\nline \"\"two\"\"\"\r\n"
        }
        return Array(out.utf8)
    }
}

/// A small fast deterministic random number generator (SplitMix64).
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(max(1, bound)))
    }
}
