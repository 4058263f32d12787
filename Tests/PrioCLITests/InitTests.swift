import Foundation
import Testing

@Suite("prio init")
struct InitTests {
    /// What `prio init` should write: the name, a blank line, the settings, and nothing after them.
    static let emptyBacklog = "# Backlog\n\n- strategy: manual\n- prefix: S\n"

    @Test("init creates an empty backlog at ./backlog.md")
    func createsEmptyBacklog() throws {
        let box = try Sandbox()
        let result = try box.run("init")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "created backlog.md\n")
        #expect(result.stderr == "")
        #expect(try box.listing() == ["backlog.md"])
        // The whole file: no trailing blank line after the settings.
        #expect(try box.text("backlog.md") == Self.emptyBacklog)

        let check = try box.run("check")
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout == "backlog.md: ok: 0 stories (0 not done), 0 warnings\n")
        #expect(check.stderr == "")
    }

    @Test("init --sample writes Resources/sample-backlog.md byte for byte")
    func sampleIsByteForByte() throws {
        let box = try Sandbox()
        let result = try box.run("init", "--sample")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "created backlog.md\n")
        #expect(result.stderr == "")
        let written = try box.read("backlog.md")
        let bundled = try Sample.data()
        #expect(written.count == bundled.count)
        #expect(written == bundled)
    }

    @Test("init --sample FILE writes the sample to that file")
    func sampleToNamedFile() throws {
        let box = try Sandbox()
        let result = try box.run("init", "--sample", "shop.md")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "created shop.md\n")
        #expect(try box.read("shop.md") == (try Sample.data()))
        #expect(try box.listing() == ["shop.md"])
    }

    @Test("init --name sets the heading of a new backlog")
    func nameSetsHeading() throws {
        let box = try Sandbox()
        let plain = try box.run("init", "plain.md")
        #expect(plain.status == 0, "\(plain)")
        let named = try box.run("init", "--name", "Platform Team", "named.md")
        #expect(named.status == 0, "\(named)")
        #expect(named.stdout == "created named.md\n")

        let plainLines = linesKeepingEnds(try box.text("plain.md"))
        let namedLines = linesKeepingEnds(try box.text("named.md"))
        #expect(namedLines.first == "# Platform Team\n")
        // Apart from the heading the file is the same as a default one.
        #expect(Array(namedLines.dropFirst()) == Array(plainLines.dropFirst()))
    }

    @Test("init --sample --name renames the sample and changes nothing else")
    func sampleWithName() throws {
        let box = try Sandbox()
        let result = try box.run("init", "--sample", "--name", "Fabrikam Store")
        #expect(result.status == 0, "\(result)")
        let sampleLines = linesKeepingEnds(try Sample.text())
        let lines = linesKeepingEnds(try box.text("backlog.md"))
        #expect(sampleLines.first == "# Northwind Webshop\n")
        #expect(lines.first == "# Fabrikam Store\n")
        #expect(Array(lines.dropFirst()) == Array(sampleLines.dropFirst()))
    }

    @Test("init refuses to overwrite an existing file", arguments: [
        ["init"], ["init", "--sample"], ["init", "--name", "Other"], ["init", "backlog.md"],
    ])
    func refusesToOverwrite(arguments: [String]) throws {
        let box = try Sandbox()
        let original = Data("# Mine\n\nhand-written, keep me\n".utf8)
        try box.write("backlog.md", original)
        let result = try box.run(arguments: arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "prio: error: backlog.md already exists; prio init never overwrites a file\n")
        #expect(try box.read("backlog.md") == original)
        #expect(try box.listing() == ["backlog.md"])
    }

    @Test("init uses $PRIO_FILE as the default path, and an argument overrides it")
    func prioFileIsDefault() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(at: box.file("team"), withIntermediateDirectories: true)
        let env = ["PRIO_FILE": "team/plan.md"]
        let result = try box.run("init", "--sample", environment: env)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "created team/plan.md\n")
        #expect(try box.read("team/plan.md") == (try Sample.data()))
        #expect(!box.exists("backlog.md"))

        // Other commands follow $PRIO_FILE too.
        let add = try box.run("add", "--title", "Via the environment", environment: env)
        #expect(add.status == 0, "\(add)")
        #expect(add.stdout == "S-37\n")
        #expect(try box.text("team/plan.md").hasSuffix("\n## S-37 Via the environment\n"))

        // A second init through $PRIO_FILE refuses, an explicit file wins over $PRIO_FILE.
        let again = try box.run("init", environment: env)
        #expect(again.status == 1, "\(again)")
        #expect(again.stderr == "prio: error: team/plan.md already exists; prio init never overwrites a file\n")
        let explicit = try box.run("init", "other.md", environment: env)
        #expect(explicit.status == 0, "\(explicit)")
        #expect(explicit.stdout == "created other.md\n")
        #expect(box.exists("other.md"))
    }
}
