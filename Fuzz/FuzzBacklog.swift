// libFuzzer target: the Markdown backlog parser and writer.
// Build and run with scripts/fuzz.sh; compiled into one module with Sources/PrioEngine.
//
// Properties:
// - a file that parses writes back byte for byte, and the written bytes parse to the same
//   story IDs, titles, fields and descriptions;
// - every story written canonically on its own (BacklogWriter.canonicalBlock, what an editor
//   shows) reads back with Story.parseBlock as the same story; checked on all blocks together,
//   so that `depends` between them resolve;
// - a file that does not parse reports every error (and warning) at line >= 1, column >= 1.

/// A story's visible content, for comparing two parses.
private func summary(_ backlog: Backlog) -> [String] {
    backlog.stories.map { story in
        var parts = [story.id.description, story.title]
        for field in story.fields { parts.append("\(field.rawKey)=\(field.value)") }
        parts.append(story.description)
        return parts.joined(separator: "\u{1}")
    }
}

private func checkLocations(_ diagnostics: [Diagnostic], _ what: String) {
    for d in diagnostics where d.location.line < 1 || d.location.column < 1 {
        fatalError("\(what) at line \(d.location.line), column \(d.location.column): \(d)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let parsed: ParsedBacklog
    do {
        parsed = try BacklogParser.parse(input, path: "fuzz.md")
    } catch {
        if error.errors.isEmpty { fatalError("parse threw no errors") }
        checkLocations(error.errors, "error")
        checkLocations(error.warnings, "warning")
        return 0
    }
    checkLocations(parsed.warnings, "warning")
    let written = BacklogWriter.write(parsed.backlog)
    if written != input {
        let firstDiff = zip(written, input).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(written.count, input.count)
        fatalError("round trip changed the bytes: \(input.count) in, \(written.count) out, first difference at byte \(firstDiff)")
    }
    let again: ParsedBacklog
    do {
        again = try BacklogParser.parse(written, path: "fuzz.md")
    } catch {
        fatalError("written backlog does not parse: \(error)")
    }
    if summary(again.backlog) != summary(parsed.backlog) {
        fatalError("re-parse differs:\n\(summary(parsed.backlog))\n\(summary(again.backlog))")
    }
    let blocks = parsed.backlog.stories.map { BacklogWriter.canonicalBlock($0) }.joined(separator: "\n")
    do {
        let canonical = try BacklogParser.parse(blocks, path: "blocks.md")
        if summary(canonical.backlog) != summary(parsed.backlog) {
            fatalError("canonical blocks read back differently:\n\(summary(parsed.backlog))\n\(summary(canonical.backlog))")
        }
    } catch {
        fatalError("canonical blocks do not parse: \(error)\n\(blocks)")
    }
    return 0
}
