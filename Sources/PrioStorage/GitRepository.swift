import PrioEngine

/// git, run as a subprocess: prio reads repositories and changes nothing in them except the
/// configuration `prio git-setup` writes.
public struct GitRepository: Sendable {
    /// The working tree's top folder.
    public let root: String

    /// What a git command printed and how it ended.
    public struct Run: Sendable {
        /// The exit status, or 128 + the signal that ended git.
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: String
        public var text: String { String(decoding: stdout, as: UTF8.self) }
        /// The output without the spaces, tabs and line ends around it (a one-line answer: a
        /// hash, a path, a configuration value).
        public var line: String {
            let scalars = text.unicodeScalars
            let blank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
            guard let start = scalars.firstIndex(where: { !blank($0) }),
                  let end = scalars.lastIndex(where: { !blank($0) }) else { return "" }
            return String(scalars[start...end])
        }
    }

    /// Runs `git ARGUMENTS` in `directory`, with `input` on stdin (nil: none); nil when git
    /// cannot be started. git gets prio's environment with prompts off and the C locale.
    public static func run(_ arguments: [String], in directory: String, input: [UInt8]? = nil) -> Run? {
        var environment = processEnvironment()
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        guard let output = try? ChildProcess.capture(["git"] + arguments, environment: environment, directory: directory,
                                                     input: input) else { return nil }
        return Run(status: output.ending.shellStatus, stdout: output.stdout,
                   stderr: String(decoding: output.stderr, as: UTF8.self))
    }

    /// The repository holding `path` (a file or a folder), or nil outside one (or without git).
    public static func containing(_ path: String) -> GitRepository? {
        var directory = PathName.directory(of: path)
        if directory.isEmpty { directory = "." }
        if fileKind(path) == .directory { directory = path }
        guard let run = run(["rev-parse", "--show-toplevel"], in: directory), run.status == 0 else { return nil }
        let root = run.line
        return root.isEmpty ? nil : GitRepository(root: root)
    }

    /// Runs git at the top of the working tree.
    public func git(_ arguments: String..., input: [UInt8]? = nil) -> Run? {
        GitRepository.run(arguments, in: root, input: input)
    }

    /// `path` relative to the top of the working tree (as .gitattributes and `git show` name
    /// it), symbolic links followed; its last component when it is not inside.
    public func relative(_ path: String) -> String {
        let absolute = Self.resolved(path)
        let top = Self.resolved(root)
        if absolute.hasPrefix(top + "/") { return String(absolute.dropFirst(top.count + 1)) }
        return PathName.lastComponent(of: path)
    }

    /// The absolute path through every symbolic link: of the file, else (when it does not
    /// exist yet) of its folder with its name.
    private static func resolved(_ path: String) -> String {
        if let real = RepositoryPath.realPath(path) { return real }
        let directory = PathName.directory(of: path)
        if let real = RepositoryPath.realPath(directory.isEmpty ? "." : directory) {
            return PathName.join(real, PathName.lastComponent(of: path))
        }
        return path.hasPrefix("/") ? path : PathName.join(RepositoryPath.workingDirectory(), path)
    }
}
