import PrioEngine
import PrioStorage
import Testing

/// Parses text that must be valid.
func load(_ text: String, path: String = "b.md") throws -> Backlog {
    try BacklogParser.parse(text, path: path).backlog
}

/// Writes a backlog as a string.
func written(_ backlog: Backlog) -> String {
    String(decoding: BacklogWriter.write(backlog), as: UTF8.self)
}

/// The errors of a malformed text, rendered.
func errors(_ text: String, path: String = "b.md") -> [String] {
    do {
        _ = try BacklogParser.parse(text, path: path)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// Lines that differ between two texts (positions compared one to one, plus length change).
func changedLines(_ a: String, _ b: String) -> [String] {
    let x = a.split(separator: "\n", omittingEmptySubsequences: false)
    let y = b.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(x.count, y.count) {
        let l = i < x.count ? String(x[i]) : "<none>"
        let r = i < y.count ? String(y[i]) : "<none>"
        if l != r { out.append("\(l) -> \(r)") }
    }
    return out
}

/// The IDs in manual order.
func ids(_ backlog: Backlog) -> [String] {
    backlog.stories.map(\.id.description)
}

/// The IDs of a ranking in rank order.
func rankedIDs(_ ranking: Ranking) -> [String] {
    ranking.entries.map { ranking.story($0).id.description }
}

let canonicalFixture = """
# Webshop

- strategy: wsjf
- prefix: S

Our shop's backlog.

## S-12 Guest checkout
- status: ready
- moscow: must
- value: 13
- time-criticality: 8
- risk-reduction: 3
- points: 5
- tags: checkout, mobile

As a first-time shopper I want to check out without an account
so that I can buy in under a minute.

### Acceptance criteria
- Email is the only required field

## S-13 Wishlist
- moscow: could
- value: 3
- points: 2

## S-14 Search autocomplete
- moscow: should
- value: 8
- time-criticality: 2
- risk-reduction: 1
- points: 3
- depends: S-12

```bash
## not a story: inside a code fence
curl https://example.com
```

"""
