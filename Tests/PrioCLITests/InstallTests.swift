import Foundation
import Testing

/// The committed man pages (docs/man, written by scripts/make-man.sh) and the install script
/// (scripts/install.sh), checked against the built `prio`.
@Suite("Man pages and scripts/install.sh")
struct InstallTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // PrioCLITests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
    static let manDirectory = root.appendingPathComponent("docs/man")
    static let installScript = root.appendingPathComponent("scripts/install.sh")

    /// The subcommands `prio --help` lists under SUBCOMMANDS (`open (default)` gives `open`).
    static func listedSubcommands() throws -> [String] {
        let box = try Sandbox()
        let help = try box.run("--help")
        try #require(help.status == 0, "\(help)")
        var names: [String] = []
        var inList = false
        for line in help.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "SUBCOMMANDS:" {
                inList = true
            } else if inList {
                // A command's line is indented by two spaces; its wrapped abstract by more; a
                // blank line ends the list.
                if line.isEmpty { break }
                if line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first {
                    names.append(String(name))
                }
            }
        }
        try #require(names.count >= 10, "no subcommand list in prio --help:\n\(help.stdout)")
        return names
    }

    /// The page files in docs/man.
    static func pageNames() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: manDirectory.path).filter { $0.hasSuffix(".1") })
    }

    static func page(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: manDirectory.appendingPathComponent(name)), as: UTF8.self)
    }

    @Test("every subcommand prio --help lists has a page, prio.1 points to it, and no page is left for a command that is gone")
    func everySubcommandHasAManPage() throws {
        let subcommands = try Self.listedSubcommands()
        let pages = try Self.pageNames()
        let root = try Self.page("prio.1")
        #expect(root.contains(".Dt PRIO 1"))
        for name in subcommands {
            #expect(pages.contains("prio.\(name).1"), "no man page docs/man/prio.\(name).1 for 'prio \(name)': run scripts/make-man.sh")
            #expect(root.contains(".Xr prio.\(name) 1"), "prio.1 does not refer to prio.\(name)(1): run scripts/make-man.sh")
        }
        // `help` is the subcommand ArgumentParser adds; --help names it only in its closing line.
        let expected = Set(subcommands.map { "prio.\($0).1" } + ["prio.1", "prio.help.1"])
        #expect(pages == expected, "pages without a command: \(pages.subtracting(expected).sorted())")
    }

    /// What `prio --experimental-dump-help` says of a command (the input the page generator reads).
    struct CommandInfo: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }
        struct Argument: Decodable {
            var kind: String
            var names: [Name]?
            var valueName: String?
            var shouldDisplay: Bool
        }
        var commandName: String
        var abstract: String?
        var arguments: [Argument]?
        var subcommands: [CommandInfo]?
    }

    struct ToolInfo: Decodable {
        var command: CommandInfo
    }

    /// The abstract as the generator writes it after `.Nd` (ASCII only, `\` and `"` escaped).
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += #"\e"#
            case "\"": out += #"\(dq"#
            default: out.append(character)
            }
        }
        return out
    }

    @Test("each page has its command's abstract and names each of its options and arguments, so a changed command without a regenerated page fails")
    func manPagesMatchTheCommands() throws {
        let box = try Sandbox()
        let dump = try box.run("--experimental-dump-help")
        try #require(dump.status == 0, "\(dump)")
        let tool = try JSONDecoder().decode(ToolInfo.self, from: dump.stdoutData)
        let commands = [(tool.command, "prio.1")] + (tool.command.subcommands ?? []).map { ($0, "prio.\($0.commandName).1") }
        for (command, file) in commands {
            let text = try Self.page(file)
            let abstract = command.abstract ?? ""
            let ascii = abstract.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii,
                    "'\(command.commandName)': the page generator drops non-ASCII characters from \(abstract)")
            #expect(text.contains(".Nd \"\(Self.escaped(abstract))\"\n"), "\(file) has not the abstract '\(abstract)': run scripts/make-man.sh")
            // The words of the page's list entries (`.It Fl s , -strategy Ar strategy`).
            let entries = Set(text.split(separator: "\n").filter { $0.hasPrefix(".It ") }
                .flatMap { $0.split(separator: " ").map(String.init) })
            for argument in command.arguments ?? [] where argument.shouldDisplay {
                if argument.kind == "positional" {
                    let value = argument.valueName ?? ""
                    #expect(entries.contains(value) || entries.contains(value + "..."),
                            "\(file) does not describe the argument \(value): run scripts/make-man.sh")
                } else {
                    for name in argument.names ?? [] where name.kind == "long" {
                        #expect(entries.contains("-" + name.name),
                                "\(file) does not describe --\(name.name): run scripts/make-man.sh")
                    }
                }
            }
        }
    }

    /// What a program printed and how it ended.
    struct Outcome: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit status \(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)" }
    }

    /// Runs a program (a path, or a name looked up on PATH) with arguments and environment.
    static func run(_ program: String, _ arguments: [String], in directory: URL,
                    environment: [String: String] = [:]) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("prio-install-io-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        let parent = ProcessInfo.processInfo.environment
        var env = ["PATH": parent["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"]
        for (key, value) in environment { env[key] = value }
        let process = Process()
        if program.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["--", program] + arguments
        }
        process.currentDirectoryURL = directory
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                       stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// True when a program is on PATH.
    static func available(_ program: String, in directory: URL) throws -> Bool {
        try run("sh", ["-c", "command -v \"$1\"", "sh", program], in: directory).status == 0
    }

    /// Every file and folder under a directory, as paths relative to it, sorted.
    static func tree(_ directory: URL) -> [String] {
        let base = directory.standardizedFileURL.path
        var paths: [String] = []
        if let walker = FileManager.default.enumerator(atPath: base) {
            while let path = walker.nextObject() as? String { paths.append(path) }
        }
        return paths.sorted()
    }

    @Test("scripts/install.sh --skip-build puts the binary, the pages and the three completions into a prefix with a space, twice over, and nothing elsewhere")
    func installsIntoAPrefixWithASpace() throws {
        let binary = try #require(PrioRunner.executable, "the built prio was not found")
        let box = try Sandbox()
        let home = box.file("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let prefix = box.file("my tools/pre fix")
        let environment = ["HOME": home.path]

        let started = Date()
        let first = try Self.run("bash", [Self.installScript.path, "--skip-build", "--binary", binary.path, prefix.path],
                                 in: box.url, environment: environment)
        let seconds = Date().timeIntervalSince(started)
        try #require(first.status == 0, "\(first)")
        #expect(seconds < 60, "the install took \(seconds) s")

        let pages = try Self.pageNames()
        let expected = ["bin/prio", "share/bash-completion/completions/prio", "share/zsh/site-functions/_prio",
                        "share/fish/vendor_completions.d/prio.fish"] + pages.map { "share/man/man1/\($0)" }
        for path in expected {
            #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(path).path), "\(path) was not installed")
        }
        let installedBinary = prefix.appendingPathComponent("bin/prio")
        #expect(FileManager.default.isExecutableFile(atPath: installedBinary.path))
        for page in pages {
            let installed = try Data(contentsOf: prefix.appendingPathComponent("share/man/man1/\(page)"))
            #expect(installed == (try Data(contentsOf: Self.manDirectory.appendingPathComponent(page))), "\(page) differs")
        }
        // Only the prefix and the untouched home directory: nothing written beside them, no temporary files.
        #expect(try box.listing() == ["home", "my tools"])
        #expect(try box.listing("my tools") == ["pre fix"])
        #expect(try box.listing("home") == [])
        let installedTree = Self.tree(prefix)
        #expect(!installedTree.contains { $0.contains(".prio-install") }, "\(installedTree)")

        // The installed binary runs and is the one built.
        let version = try Self.run(installedBinary.path, ["--version"], in: box.url)
        let built = try box.run("--version")
        #expect(version.status == 0, "\(version)")
        #expect(version.stdout == built.stdout && !version.stdout.isEmpty)

        // The pages read as man pages.
        let rankPage = prefix.appendingPathComponent("share/man/man1/prio.rank.1").path
        let rendered: Outcome
        if try Self.available("man", in: box.url) {
            rendered = try Self.run("man", ["-l", rankPage], in: box.url,
                                    environment: ["MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "80", "LC_ALL": "C"])
        } else {
            rendered = try Self.run("groff", ["-mandoc", "-Tascii", rankPage], in: box.url)
        }
        #expect(rendered.status == 0, "\(rendered)")
        #expect(rendered.stdout.contains("NAME") && rendered.stdout.contains("--strategy"), "\(rendered)")

        // The completions: bash parses, each names prio.
        let bashCompletion = prefix.appendingPathComponent("share/bash-completion/completions/prio").path
        let syntax = try Self.run("bash", ["-n", bashCompletion], in: box.url)
        #expect(syntax.status == 0, "\(syntax)")
        func installed(_ path: String) throws -> String {
            try String(contentsOfFile: prefix.appendingPathComponent(path).path, encoding: .utf8)
        }
        #expect(try installed("share/bash-completion/completions/prio").contains("complete -o filenames -F _prio prio"))
        // bash calls the function with the command, the word being completed and the one before it.
        let offered = try Self.run("bash", ["-c", """
            source "$1"
            COMP_WORDS=(prio ra); COMP_CWORD=1; COMP_LINE="prio ra"; COMP_POINT=7
            _prio prio ra prio; echo "${COMPREPLY[*]}"
            COMPREPLY=(); COMP_WORDS=(prio rank --st); COMP_CWORD=2; COMP_LINE="prio rank --st"; COMP_POINT=14
            _prio prio --st rank; echo "${COMPREPLY[*]}"
            """, "bash", bashCompletion], in: box.url,
            environment: ["PATH": prefix.appendingPathComponent("bin").path + ":/usr/bin:/bin"])
        #expect(offered.status == 0 && offered.stdout == "rank\n--strategy\n", "\(offered)")
        #expect(try installed("share/zsh/site-functions/_prio").hasPrefix("#compdef prio\n"))
        #expect(try installed("share/fish/vendor_completions.d/prio.fish").contains("complete -c 'prio' "))

        // Again, with a page of a command that is gone: the same files, the old page removed.
        let stale = prefix.appendingPathComponent("share/man/man1/prio.gone.1")
        try Data("old".utf8).write(to: stale)
        let second = try Self.run("bash", [Self.installScript.path, "--skip-build", "--binary", binary.path, prefix.path],
                                  in: box.url, environment: environment)
        #expect(second.status == 0, "\(second)")
        #expect(Self.tree(prefix) == installedTree)
        #expect(try box.listing() == ["home", "my tools"])
    }

    @Test("scripts/install.sh refuses an empty or relative prefix, a missing binary, and writes nothing",
          arguments: [[""], ["relative/prefix"], ["--binary", "/nonexistent/prio"]])
    func refusesABadPrefixOrBinary(arguments: [String]) throws {
        let binary = try #require(PrioRunner.executable, "the built prio was not found")
        let box = try Sandbox()
        var command = [Self.installScript.path, "--skip-build", "--binary", binary.path]
        if arguments.first == "--binary" {
            command += arguments + [box.path("prefix")]
        } else {
            command += arguments
        }
        let outcome = try Self.run("bash", command, in: box.url, environment: ["HOME": box.path("home")])
        #expect(outcome.status == 2, "\(outcome)")
        #expect(outcome.stderr.hasPrefix("install.sh: "), "\(outcome)")
        #expect(try box.listing() == [])
    }
}
