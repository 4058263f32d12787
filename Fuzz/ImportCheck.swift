// Shared by the CSV and JSON fuzz targets (compiled into each with Sources/PrioEngine).
//
// Property: when the bytes import into an empty backlog, the backlog writes and parses back
// with the same number of stories, and the same IDs, titles, fields and descriptions; every
// import error has a line and column.

/// A story's visible content, for comparing the imported backlog with its re-parse.
func summary(_ backlog: Backlog) -> [String] {
    backlog.stories.map { story in
        var parts = [story.id.description, story.title]
        for field in story.fields { parts.append("\(field.rawKey)=\(field.value)") }
        parts.append(story.description)
        return parts.joined(separator: "\u{1}")
    }
}

/// Imports `input` in `format`; a broken property is a `fatalError`, which libFuzzer reports.
func checkImport(_ input: [UInt8], format: Importer.Format) {
    var backlog = Backlog(name: "F")
    let ids: [StoryID]
    do {
        ids = try Importer.importStories(input, format: format, path: "fuzz.\(format.rawValue)", into: &backlog)
    } catch {
        for d in error.errors where d.location.line < 1 || d.location.column < 1 {
            fatalError("import error at line \(d.location.line), column \(d.location.column): \(d)")
        }
        return
    }
    if ids.count != backlog.stories.count { fatalError("imported \(ids.count) IDs but the backlog holds \(backlog.stories.count)") }
    let written = BacklogWriter.write(backlog)
    do {
        let again = try BacklogParser.parse(written, path: "fuzz.md")
        if again.backlog.stories.count != backlog.stories.count {
            fatalError("imported \(backlog.stories.count) stories, but the written file holds \(again.backlog.stories.count):\n\(String(decoding: written, as: UTF8.self))")
        }
        if summary(again.backlog) != summary(backlog) {
            fatalError("the written file reads back differently:\n\(summary(backlog))\n\(summary(again.backlog))")
        }
    } catch {
        fatalError("imported backlog does not parse back: \(error)\n\(String(decoding: written, as: UTF8.self))")
    }
}
