import Foundation
import PrioApp
import PrioEngine
import Testing

/// A small backlog with CJK and emoji titles, a done story and a dependency.
let fixture = """
# Webshop

- strategy: wsjf

## S-1 Guest checkout
- status: ready
- moscow: must
- value: 13
- time-criticality: 8
- risk-reduction: 3
- points: 5
- tags: checkout, mobile

As a first-time shopper I want to check out without an account.

## S-2 日本語の商品説明
- moscow: should
- value: 5
- time-criticality: 2
- risk-reduction: 1
- points: 3
- tags: i18n

## S-3 Gift wrapping 🎁 option
- moscow: could
- value: 3
- time-criticality: 1
- risk-reduction: 1
- points: 1
- depends: S-1

## S-4 Old search
- status: done
- moscow: must
- value: 8
- time-criticality: 8
- risk-reduction: 8
- points: 8

## S-5 Wishlist
- moscow: wont
- value: 2
- points: 2

"""

/// A backlog file in a fresh temporary folder, removed when the value goes away.
final class TempBacklog {
    let directory: URL
    let path: String

    init(_ text: String = fixture, name: String = "backlog.md") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prio-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func session(width: Int = 80, height: Int = 24) throws -> Session {
        try Session(path: path, width: width, height: height, environment: [:])
    }
}

extension Session {
    /// Sends keys; returns the last request the session made.
    @discardableResult
    func send(_ keys: [Key]) -> SessionRequest? {
        var last: SessionRequest?
        for key in keys { if let request = handle(key) { last = request } }
        return last
    }

    @discardableResult
    func send(_ keys: Key...) -> SessionRequest? { send(keys) }

    /// Types plain characters.
    @discardableResult
    func type(_ text: String) -> SessionRequest? { send(Key.typing(text)) }

    /// The screen as text.
    var screen: String { render().text }
}

/// Compares a screen with `Snapshots/NAME.txt`; with RECORD_SNAPSHOTS set, writes it instead.
func assertSnapshot(_ screen: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent("\(name).txt")
    if let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"], !record.isEmpty {
        try? Data((screen + "\n").utf8).write(to: url)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no snapshot \(name).txt: run with RECORD_SNAPSHOTS=1 and review it", sourceLocation: sourceLocation)
        return
    }
    #expect(screen + "\n" == expected, "screen \(name) differs", sourceLocation: sourceLocation)
}
