import Foundation
import Testing

// The interactive screen, end to end: the built `prio` runs in a detached tmux server (there is
// no terminal in CI), keys go in with `send-keys` and the screen comes out with `capture-pane`.

enum TmuxError: Error, CustomStringConvertible {
    case notInstalled([String])
    case failed([String], String)
    case timedOut(String, screen: String)

    var description: String {
        switch self {
        case .notInstalled(let searched):
            "tmux is not installed (looked in \(searched.joined(separator: ", "))): the screen's end-to-end tests "
                + "drive prio inside tmux; install it (apt-get install tmux; .ci/run does)"
        case .failed(let arguments, let output):
            "tmux \(arguments.joined(separator: " ")) failed: \(output)"
        case .timedOut(let what, let screen):
            "timed out waiting for \(what); the screen was:\n\(screen)\n--------------"
        }
    }
}

/// One prio screen in its own tmux server (its socket in the test's sandbox).
final class TmuxScreen {
    /// How long to wait for the screen to show something.
    static let timeout: TimeInterval = 10

    static let searchPath: [String] = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        var directories = path.split(separator: ":").map(String.init)
        directories += ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/bin"]
        return directories
    }()

    static let tmux: String? = searchPath
        .map { $0 + "/tmux" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    let box: Sandbox
    let socket: String
    let target = "prio:0.0"
    let term: String
    private let tmux: String
    /// The environment of tmux itself (and so of the pane's shell).
    private let tmuxEnvironment: [String: String]
    private let prio: String
    /// Variables set for prio only.
    private let prioEnvironment: [String: String]

    /// Starts `prio <arguments>` in a 100x30 window; the pane stays after prio exits (to read
    /// what it printed). `env` adds variables for prio only.
    init(_ box: Sandbox, _ arguments: [String], width: Int = 100, height: Int = 30, term: String = "tmux-256color",
         env: [String: String] = [:]) throws {
        guard let tmux = Self.tmux else { throw TmuxError.notInstalled(Self.searchPath) }
        guard let prio = PrioRunner.executable else {
            throw PrioRunnerError.executableNotFound(PrioRunner.searchDirectories.map(\.path))
        }
        self.box = box
        self.tmux = tmux
        self.term = term
        socket = box.path("tmux-\(UUID().uuidString.prefix(8)).sock")
        // A clean environment: no TMUX, NO_COLOR, EDITOR, PRIO_FILE from the test's own.
        tmuxEnvironment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "HOME": box.url.path, "TMPDIR": box.url.path, "LANG": "C.UTF-8", "TERM": "xterm-256color",
            // A fixed "today", the sample's anchor inside its active Sprint 4, so that planning picks
            // the same sprint every year (the command-line runs use the same day).
            "PRIO_TODAY": PrioRunner.today,
        ]
        try box.write("tmux.conf", """
            set -g remain-on-exit on
            set -g default-terminal \(term)
            set -g status off
            set -g history-limit 1000

            """)
        self.prio = prio.path
        prioEnvironment = env
        try run(["-f", box.path("tmux.conf"), "new-session", "-d", "-s", "prio", "-x", String(width), "-y", String(height),
                 "-c", box.url.path] + command(arguments))
    }

    /// The pane's command: a shell that runs prio and writes its exit status to a file. (tmux's
    /// own `#{pane_dead_status}` is not dependable: on some kernels tmux misses the SIGCHLD
    /// and reports no status.)
    private func command(_ arguments: [String]) -> [String] {
        var command = ["/bin/sh", "-c", "\"$@\"; echo $? > \(Self.statusFile)", "sh", "/usr/bin/env", "TERM=\(term)", "LANG=C.UTF-8"]
        command += prioEnvironment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        command += [prio] + arguments
        return command
    }

    /// The file in the sandbox that receives prio's exit status.
    static let statusFile = "exit-status"

    /// Runs a tmux command on this server and returns its output.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let all = ["-u", "-S", socket] + arguments
        // Output to a file, not a pipe: the tmux server that `new-session` starts outlives the
        // client and must not hold our end open.
        let outputURL = box.file("tmux-output-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let status = try spawnAndWait([tmux] + all, environment: tmuxEnvironment, output: outputURL.path)
        let output = (try? String(decoding: Data(contentsOf: outputURL), as: UTF8.self)) ?? ""
        guard status == 0 else { throw TmuxError.failed(all, "exit status \(status): \(output)") }
        return output
    }

    /// Stops the tmux server (and prio with it, if it still runs).
    func kill() {
        _ = try? run(["kill-server"])
    }

    /// Sends keys by tmux name (`J`, `q`, `Escape`, `S-Down`, `C-c`).
    func send(_ keys: String...) throws {
        try run(["send-keys", "-t", target] + keys)
    }

    /// The screen as text, one line per row. `joined` joins lines the terminal wrapped and
    /// starts at the top of the scrollback (for what prio printed after leaving the screen:
    /// tmux's "Pane is dead" line scrolls it up).
    func screen(joined: Bool = false) throws -> String {
        try run(["capture-pane", "-p"] + (joined ? ["-J", "-S", "-"] : []) + ["-t", target])
    }

    /// The screen's rows.
    func rows() throws -> [String] {
        var rows = try screen().components(separatedBy: "\n")
        if rows.last == "" { rows.removeLast() }
        return rows
    }

    /// A tmux format for the pane (`#{pane_pid}`, `#{pane_title}`).
    func pane(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", target, format]).trimmingCharacters(in: .newlines)
    }

    /// Waits until the screen satisfies a condition; returns that screen.
    @discardableResult
    func wait(for what: String, joined: Bool = false, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(Self.timeout)
        var last = ""
        while true {
            last = try screen(joined: joined)
            if condition(last) { return last }
            if Date() > deadline { throw TmuxError.timedOut(what, screen: last) }
            usleep(30_000)
        }
    }

    /// Waits until the screen shows some text (possibly wrapped over lines).
    @discardableResult
    func wait(for text: String) throws -> String {
        try wait(for: "'\(text)'", joined: true) { $0.contains(text) }
    }

    /// Waits until the header (the first row) satisfies a condition.
    @discardableResult
    func waitForHeader(_ what: String, _ condition: (String) -> Bool) throws -> String {
        try wait(for: "a header \(what)") { screen in
            condition(screen.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? "")
        }
    }

    /// True while prio (or the shell around it) runs.
    var isRunning: Bool {
        get throws { try pane("#{pane_dead}") != "1" }
    }

    /// Waits for prio to exit; returns its exit status.
    func exitStatus() throws -> Int {
        let deadline = Date().addingTimeInterval(Self.timeout)
        while try isRunning {
            if Date() > deadline { throw TmuxError.timedOut("prio to exit", screen: try screen()) }
            usleep(30_000)
        }
        let text = try box.text(Self.statusFile).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int(text) ?? -1
    }

    /// The process ID of prio (the child of the pane's shell).
    func prioPID() throws -> pid_t {
        let shell = try pane("#{pane_pid}")
        guard let shellPID = pid_t(shell) else { throw TmuxError.failed(["display-message", "#{pane_pid}"], shell) }
        // The process whose parent is the shell: field 4 of /proc/PID/stat (after the name in
        // parentheses). Not `pgrep -P`: procps is missing from slim CI images.
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == shellPID { return pid }
        }
        throw TmuxError.failed(["(no child of the pane's shell \(shell))"], (try? screen()) ?? "")
    }

    /// Waits for prio to exit and expects an exit status; the failure shows the screen.
    func expectExit(_ expected: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let status = try exitStatus()
        let screen = (try? self.screen(joined: true)) ?? ""
        #expect(status == expected, "prio exited with \(status); the screen:\n\(screen)", sourceLocation: sourceLocation)
    }

    /// Starts prio again in the same (dead) pane.
    func restart(_ arguments: [String]) throws {
        try? FileManager.default.removeItem(at: box.file(Self.statusFile))
        try run(["respawn-pane", "-k", "-t", target, "-c", box.url.path] + command(arguments))
    }
}

/// Runs a program and waits for it; returns its exit status (or 128 + the signal that killed it).
///
/// Not through Foundation's `Process`: the test runner calls it from threads that block most
/// signals, and the child would inherit that mask; a tmux server started so never sees SIGCHLD,
/// SIGHUP or SIGTERM, and neither does the prio it runs. Here the child starts with nothing
/// blocked and default signal actions. Standard input is /dev/null; output and errors go to a file.
func spawnAndWait(_ arguments: [String], environment: [String: String], output: String) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGCHLD, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT,
                   SIGUSR1, SIGUSR2, SIGALRM] {
        sigaddset(&defaults, number)
    }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
    }
    var pid = pid_t()
    let error = argv.withUnsafeBufferPointer { argvBuffer in
        envp.withUnsafeBufferPointer { envpBuffer in
            posix_spawn(&pid, arguments[0], &actions, &attributes, argvBuffer.baseAddress!, envpBuffer.baseAddress!)
        }
    }
    guard error == 0 else { throw TmuxError.failed(arguments, String(cString: strerror(error))) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else { throw TmuxError.failed(arguments, "waitpid: \(String(cString: strerror(errno)))") }
    }
    // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
    return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
}

/// The row of the screen that shows a story (by its ID as a whole word), if any.
private func rowIndex(_ screen: String, of id: String) -> Int? {
    screen.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { row in
        row.split(separator: " ").contains { $0 == id }
    }
}

/// True when the screen lists story `first` above story `second`.
private func lists(_ screen: String, _ first: String, above second: String) -> Bool {
    guard let a = rowIndex(screen, of: first), let b = rowIndex(screen, of: second) else { return false }
    return a < b
}

/// The file with its first two story blocks swapped (each block runs up to the next heading).
private func swappingFirstTwoBlocks(_ text: String) -> String {
    let lines = linesKeepingEnds(text)
    let headings = lines.indices.filter { lines[$0].hasPrefix("## ") }
    precondition(headings.count >= 3, "the sample has more than two stories")
    let (a, b, c) = (headings[0], headings[1], headings[2])
    return (lines[..<a] + lines[b..<c] + lines[a..<b] + lines[c...]).joined()
}

@Suite("The interactive screen in tmux")
struct ScreenEndToEndTests {
    @Test("J moves the first story down one place, w saves only that, q quits with status 0")
    func moveSaveQuit() throws {
        let box = try Sandbox()
        let original = String(decoding: try box.initSample(), as: UTF8.self)
        let ids = BacklogText(original).ids
        let screen = try TmuxScreen(box, ["backlog.md"])
        defer { screen.kill() }

        try screen.wait(for: "Northwind Webshop")
        try screen.waitForHeader("naming backlog.md") { $0.contains("backlog.md") && !$0.contains("[+]") }
        try screen.send("J")
        try screen.waitForHeader("marked [+]") { $0.contains("[+]") }
        try screen.wait(for: "\(ids[1]) listed above \(ids[0])") { lists($0, ids[1], above: ids[0]) }
        try screen.send("w")
        try screen.waitForHeader("without [+] after the save") { !$0.contains("[+]") }
        try screen.send("q")
        try screen.expectExit(0)

        let saved = try box.text("backlog.md")
        #expect(Array(BacklogText(saved).ids.prefix(2)) == [ids[1], ids[0]])
        #expect(BacklogText(saved).ids == [ids[1], ids[0]] + ids.dropFirst(2))
        #expect(saved == swappingFirstTwoBlocks(original), "only the moved block changed place")
        #expect(!box.exists(".backlog.md.prio-recovery"))
    }

    @Test("J then u undoes the move: the file stays byte-identical")
    func undo() throws {
        let box = try Sandbox()
        let original = try box.initSample()
        let ids = BacklogText(String(decoding: original, as: UTF8.self)).ids
        let screen = try TmuxScreen(box, ["backlog.md"])
        defer { screen.kill() }

        try screen.wait(for: "Northwind Webshop")
        try screen.send("J")
        try screen.wait(for: "the move") { lists($0, ids[1], above: ids[0]) }
        try screen.send("u")
        try screen.wait(for: "the undo") { lists($0, ids[0], above: ids[1]) }
        try screen.send("w")
        try screen.send("q")
        try screen.expectExit(0)
        #expect(try box.read("backlog.md") == original)
    }

    @Test("a resize redraws the screen for the new size; q still quits with status 0")
    func resize() throws {
        let box = try Sandbox()
        let original = try box.initSample()
        let screen = try TmuxScreen(box, ["backlog.md"])
        defer { screen.kill() }

        try screen.wait(for: "Northwind Webshop")
        #expect(try screen.rows().contains { $0.count > 40 })
        try screen.run(["resize-window", "-t", "prio", "-x", "40", "-y", "12"])
        // Redrawn for 12 rows: the header on top and the footer on the (new) last row, which
        // before the resize showed a story.
        let narrow = try screen.wait(for: "the 40x12 layout") { text in
            let rows = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(12)
            return rows.count == 12 && rows.first!.contains("Northwind") && rows.last!.contains("stories")
        }
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 40 })

        // Tiny sizes must not crash it.
        for (width, height) in [(20, 6), (1, 1), (2, 1), (1, 2), (5, 3), (100, 30)] {
            try screen.run(["resize-window", "-t", "prio", "-x", String(width), "-y", String(height)])
            usleep(100_000)
            #expect(try screen.isRunning, "prio died at \(width)x\(height)")
        }
        try screen.wait(for: "the 100x30 layout again") { text in
            let rows = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(30)
            return rows.count == 30 && rows.first!.contains("Northwind") && rows.last!.contains("stories")
        }
        try screen.send("q")
        try screen.expectExit(0)
        #expect(try box.read("backlog.md") == original)
    }

    @Test("q with unsaved changes asks; d quits without saving")
    func quitPrompt() throws {
        let box = try Sandbox()
        let original = try box.initSample()
        let screen = try TmuxScreen(box, ["backlog.md"])
        defer { screen.kill() }

        try screen.wait(for: "Northwind Webshop")
        try screen.send("J")
        try screen.waitForHeader("marked [+]") { $0.contains("[+]") }
        try screen.send("q")
        try screen.wait(for: "a prompt to save or discard") { $0.contains("save") && $0.contains("discard") }
        #expect(try screen.isRunning, "q with unsaved changes must not quit at once")
        try screen.send("d")
        try screen.expectExit(0)
        #expect(try box.read("backlog.md") == original)
        #expect(!box.exists(".backlog.md.prio-recovery"))
    }

    @Test("Ctrl-C is q: it asks about unsaved changes too")
    func controlC() throws {
        let box = try Sandbox()
        let original = try box.initSample()
        let screen = try TmuxScreen(box, ["backlog.md"])
        defer { screen.kill() }

        try screen.wait(for: "Northwind Webshop")
        try screen.send("J")
        try screen.waitForHeader("marked [+]") { $0.contains("[+]") }
        try screen.send("C-c")
        try screen.wait(for: "a prompt to save or discard") { $0.contains("save") && $0.contains("discard") }
        try screen.send("d")
        try screen.expectExit(0)
        #expect(try box.read("backlog.md") == original)
    }

    @Test("SIGTERM, SIGHUP and SIGINT keep unsaved changes in the recovery file; the next start offers them",
          arguments: [("TERM", SIGTERM), ("HUP", SIGHUP), ("INT", SIGINT)])
    func recovery(signal: String, number: Int32) throws {
        try keepsWorkWhenKilled(signal: signal, number: number, idle: false, message: ".backlog.md.prio-recovery")
    }

    @Test("A crash (SIGSEGV, SIGBUS, SIGILL, SIGABRT) still keeps unsaved changes in the recovery file and gives the terminal back",
          arguments: [("SEGV", SIGSEGV), ("BUS", SIGBUS), ("ILL", SIGILL), ("ABRT", SIGABRT)])
    func crashRecovery(signal: String, number: Int32) throws {
        // The screen prepares what a crash writes when no key came for a moment (100 ms): `idle`.
        try keepsWorkWhenKilled(signal: signal, number: number, idle: true,
                                message: "prio: crashed; unsaved changes were kept in .backlog.md.prio-recovery")
    }

    /// J, then the signal: the backlog is untouched, the recovery file beside it holds the moved
    /// order, `message` shows once the screen is gone, and the next start restores the work.
    private func keepsWorkWhenKilled(signal: String, number: Int32, idle: Bool, message: String) throws {
        let box = try Sandbox()
        let original = try box.initSample()
        let ids = BacklogText(String(decoding: original, as: UTF8.self)).ids
        let screen = try TmuxScreen(box, ["backlog.md"])
        defer { screen.kill() }

        try screen.wait(for: "Northwind Webshop")
        try screen.send("J")
        try screen.waitForHeader("marked [+]") { $0.contains("[+]") }
        if idle { usleep(600_000) }
        let pid = try screen.prioPID()
        try #require(kill(pid, number) == 0, "kill -\(signal) \(pid) failed")
        try screen.expectExit(128 + Int(number))

        #expect(try box.read("backlog.md") == original)
        try #require(box.exists(".backlog.md.prio-recovery"), "no recovery file; files: \((try? box.listing()) ?? [])")
        let recovered = BacklogText(try box.text(".backlog.md.prio-recovery"))
        #expect(recovered.ids == [ids[1], ids[0]] + ids.dropFirst(2))
        try screen.wait(for: message)

        try screen.restart(["backlog.md"])
        try screen.wait(for: "the recovery prompt") { $0.contains("recover") && $0.contains("r restore") }
        try screen.send("r")
        try screen.wait(for: "the restored order") { lists($0, ids[1], above: ids[0]) }
        try screen.waitForHeader("marked [+]") { $0.contains("[+]") }
        try screen.send("w")
        try screen.waitForHeader("without [+] after the save") { !$0.contains("[+]") }
        try screen.send("q")
        try screen.expectExit(0)
        #expect(try box.text("backlog.md") == swappingFirstTwoBlocks(String(decoding: original, as: UTF8.self)))
        #expect(!box.exists(".backlog.md.prio-recovery"), "the recovery file should be gone once its changes are saved")
    }

    @Test("escape sequences in a title are shown as placeholders, never sent to the terminal")
    func escapeSequences() throws {
        let box = try Sandbox()
        try box.write("evil.md", "# Evil\n\n## S-1 Before \u{1B}]2;pwned\u{07} middle \u{1B}[2J after\n- status: todo\n")
        let screen = try TmuxScreen(box, ["evil.md"])
        defer { screen.kill() }

        let shown = try screen.wait(for: "the title with placeholders") { $0.contains("after") }
        #expect(shown.contains("Before ␛]2;pwned"))
        #expect(shown.contains("␛[2J after"))
        #expect(shown.contains("Evil"), "the screen was not cleared")
        let title = try screen.pane("#{pane_title}")
        #expect(!title.contains("pwned"), "the pane title was set to '\(title)'")
        try screen.send("q")
        try screen.expectExit(0)
    }

    @Test("Shift-↓ and Shift-↑ move the story, whichever TERM tmux uses",
          arguments: ["tmux-256color", "screen-256color"])
    func shiftArrows(term: String) throws {
        let box = try Sandbox()
        let original = try box.initSample()
        let ids = BacklogText(String(decoding: original, as: UTF8.self)).ids
        let screen = try TmuxScreen(box, ["backlog.md"], term: term)
        defer { screen.kill() }

        try screen.wait(for: "Northwind Webshop")
        try screen.send("S-Down")
        try screen.wait(for: "\(ids[0]) moved down") { lists($0, ids[1], above: ids[0]) }
        try screen.send("S-Down")
        try screen.wait(for: "\(ids[0]) moved down twice") { lists($0, ids[2], above: ids[0]) }
        try screen.send("S-Up")
        try screen.wait(for: "\(ids[0]) moved up") { lists($0, ids[0], above: ids[2]) && lists($0, ids[1], above: ids[0]) }
        try screen.send("w", "q")
        try screen.expectExit(0)
        #expect(try box.text("backlog.md") == swappingFirstTwoBlocks(String(decoding: original, as: UTF8.self)))
    }

    @Test("a click selects the story on that row")
    func click() throws {
        let box = try Sandbox()
        let original = try box.initSample()
        let ids = BacklogText(String(decoding: original, as: UTF8.self)).ids
        let screen = try TmuxScreen(box, ["backlog.md"])
        defer { screen.kill() }

        let shown = try screen.wait(for: "Northwind Webshop")
        let row = try #require(rowIndex(shown, of: ids[2]))
        // An X10 mouse report, as terminfo's kmous (ESC [ M) announces it: button, column + 1
        // and row + 1, each plus 32; a press, then a release.
        for button in [0, 3] {
            let bytes = [0x1B, 0x5B, 0x4D, 32 + button, 32 + 1 + 10, 32 + 1 + row]
            try screen.run(["send-keys", "-t", screen.target, "-H"] + bytes.map { String($0, radix: 16) })
        }
        // The selected story moves: J takes it below the next one.
        try screen.send("J")
        try screen.wait(for: "\(ids[2]) moved below \(ids[3])") { lists($0, ids[3], above: ids[2]) }
        #expect(try lists(screen.screen(), ids[0], above: ids[1]), "the first story stayed in place")
        try screen.send("w", "q")
        try screen.expectExit(0)
        #expect(BacklogText(try box.text("backlog.md")).ids == [ids[0], ids[1], ids[3], ids[2]] + ids.dropFirst(4))
    }

    @Test("E edits the story in $EDITOR (a command with arguments) and the screen comes back")
    func externalEditor() throws {
        let box = try Sandbox()
        try box.initSample()
        // The editor gets "--flag" then the file; it renames the first story.
        try box.write("editor.sh", """
            #!/bin/sh
            [ "$1" = "--flag" ] || exit 3
            sed 's/^## \\(S-[0-9]*\\) .*/## \\1 Renamed in the editor/' "$2" > "$2.new" && mv "$2.new" "$2"

            """)
        let screen = try TmuxScreen(box, ["backlog.md"], env: ["EDITOR": "sh \(box.path("editor.sh")) --flag"])
        defer { screen.kill() }

        try screen.wait(for: "Northwind Webshop")
        try screen.send("E")
        try screen.wait(for: "Renamed in the editor")
        try screen.waitForHeader("marked [+]") { $0.contains("[+]") }
        try screen.send("w", "q")
        try screen.expectExit(0)
        let saved = BacklogText(try box.text("backlog.md"))
        #expect(saved.blocks.first?.title == "Renamed in the editor")
        // The temporary file is gone.
        #expect(try box.listing().filter { $0.hasPrefix("prio-") } == [])
    }

    @Test("a missing file is reported before the screen starts, with status 1")
    func missingFile() throws {
        let box = try Sandbox()
        let screen = try TmuxScreen(box, ["nothere.md"])
        defer { screen.kill() }

        try screen.expectExit(1)
        try screen.wait(for: "prio: error: nothere.md does not exist (create it with 'prio init nothere.md', or name a file)")
        #expect(!box.exists("nothere.md"))
    }
}

@Suite("The interactive screen without a terminal")
struct ScreenWithoutTerminalTests {
    @Test("prio [FILE] without a terminal says so and exits 1", arguments: [[], ["backlog.md"], ["open", "backlog.md"]])
    func noTerminal(arguments: [String]) throws {
        let box = try Sandbox()
        let original = try box.initSample()
        let result = try box.run(arguments: arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "prio: error: the interactive screen needs a terminal (use a subcommand such as 'prio rank' in scripts)\n")
        #expect(try box.read("backlog.md") == original)
    }

    @Test("subcommands still win over the default screen command")
    func subcommandsFirst() throws {
        let box = try Sandbox()
        let result = try box.run("init", "other.md")
        #expect(result.status == 0, "\(result)")
        #expect(box.exists("other.md"))
        let check = try box.run("check", "other.md")
        #expect(check.status == 0, "\(check)")
    }
}
