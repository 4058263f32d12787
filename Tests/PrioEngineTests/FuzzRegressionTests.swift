import Foundation
import PrioEngine
import PrioStorage
import Testing

/// Re-checks the fuzz targets' properties (see Fuzz/ and scripts/fuzz.sh) on the seed corpus
/// in Fuzz/Corpus/<target>/ and on past findings in FuzzRegressions/<target>-<hash>.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    struct Input: CustomTestStringConvertible, Sendable {
        var target: String
        var url: URL
        var testDescription: String { "\(target): \(url.lastPathComponent)" }
    }

    static let inputs: [Input] = {
        let fm = FileManager.default
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = tests.deletingLastPathComponent().deletingLastPathComponent()
        func files(_ dir: URL) -> [URL] {
            ((try? fm.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? [])
                .filter { !$0.lastPathComponent.hasPrefix(".") }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        }
        var inputs: [Input] = []
        for target in ["backlog", "csv", "json"] {
            let corpus = root.appending(path: "Fuzz/Corpus/\(target)")
            inputs += files(corpus).map { Input(target: target, url: $0) }
        }
        for url in files(tests.appending(path: "FuzzRegressions")) {
            let target = String(url.lastPathComponent.prefix { $0 != "-" })
            inputs.append(Input(target: target, url: url))
        }
        return inputs
    }()

    @Test("The seed corpus and the regressions are found")
    func found() {
        #expect(Self.inputs.count >= 10)
    }

    @Test("Each input keeps the fuzz target's properties", arguments: inputs)
    func properties(_ input: Input) throws {
        let bytes = [UInt8](try Data(contentsOf: input.url))
        switch input.target {
        case "backlog": checkBacklog(bytes)
        case "csv": checkImport(bytes, .csv)
        case "json": checkImport(bytes, .json)
        default: Issue.record("unknown fuzz target '\(input.target)' for \(input.url.lastPathComponent)")
        }
    }

    /// A story's visible content, for comparing two parses.
    func summary(_ backlog: Backlog) -> [String] {
        backlog.stories.map { story in
            [story.id.description, story.title] + story.fields.map { "\($0.rawKey)=\($0.value)" } + [story.description]
        }.map { $0.joined(separator: "\u{1}") }
    }

    func checkLocations(_ diagnostics: [Diagnostic]) {
        for d in diagnostics {
            #expect(d.location.line >= 1 && d.location.column >= 1, "\(d)")
        }
    }

    /// Fuzz/FuzzBacklog.swift: a parsed file writes back byte for byte and re-parses the same,
    /// and its stories' canonical blocks (what an editor shows) read back as the same stories.
    func checkBacklog(_ bytes: [UInt8]) {
        let parsed: ParsedBacklog
        do {
            parsed = try BacklogParser.parse(bytes, path: "fuzz.md")
        } catch {
            #expect(!error.errors.isEmpty)
            checkLocations(error.errors + error.warnings)
            return
        }
        checkLocations(parsed.warnings)
        let written = BacklogWriter.write(parsed.backlog)
        #expect(written == bytes, "round trip changed the bytes")
        do {
            let again = try BacklogParser.parse(written, path: "fuzz.md")
            #expect(summary(again.backlog) == summary(parsed.backlog))
        } catch {
            Issue.record("written backlog does not parse: \(error)")
        }
        let blocks = parsed.backlog.stories.map { BacklogWriter.canonicalBlock($0) }.joined(separator: "\n")
        do {
            let canonical = try BacklogParser.parse(blocks, path: "blocks.md")
            #expect(summary(canonical.backlog) == summary(parsed.backlog), "canonical blocks read back differently")
        } catch {
            Issue.record("canonical blocks do not parse: \(error)\n\(blocks)")
        }
    }

    /// Fuzz/FuzzCSV.swift and FuzzJSON.swift: an import writes a file that reads back the same.
    func checkImport(_ bytes: [UInt8], _ format: Importer.Format) {
        var backlog = Backlog(name: "F")
        do {
            _ = try Importer.importStories(bytes, format: format, path: "fuzz", into: &backlog)
        } catch {
            checkLocations(error.errors)
            return
        }
        let written = BacklogWriter.write(backlog)
        do {
            let again = try BacklogParser.parse(written, path: "fuzz.md")
            #expect(again.backlog.stories.count == backlog.stories.count)
            #expect(summary(again.backlog) == summary(backlog))
        } catch {
            Issue.record("imported backlog does not parse back: \(error)\n\(String(decoding: written, as: UTF8.self))")
        }
    }
}
