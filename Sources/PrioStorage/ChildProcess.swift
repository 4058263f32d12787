#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CSpawn

/// Another program, run directly with `posix_spawn` (never through a shell: the arguments
/// reach it as they are): git, the user's editor. The one place prio starts a process.
///
/// The child gets exactly the environment given, the signals prio handles or ignores at their
/// defaults with none blocked, and no descriptor of prio's but its standard input, output and
/// error: either pipes prio reads (`capture`) or prio's own terminal (`runInForeground`).
public enum ChildProcess {
    /// How a program ended.
    public enum Ending: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case killed(signal: Int32)

        /// True for an exit with status 0.
        public var succeeded: Bool { self == .exited(0) }

        /// The status a shell reports: the exit status, or 128 + the signal's number.
        public var shellStatus: Int32 {
            switch self {
            case .exited(let status): status
            case .killed(let signal): 128 + signal
            }
        }

        /// Reads a `waitpid` status (the WIFEXITED family of macros, which Swift does not import).
        init(waitStatus status: Int32) {
            let signal = status & 0x7F
            self = signal == 0 ? .exited((status >> 8) & 0xFF) : .killed(signal: signal)
        }
    }

    /// What a program wrote and how it ended.
    public struct Output: Sendable {
        public var ending: Ending
        public var stdout: [UInt8]
        public var stderr: [UInt8]
    }

    /// Why a program could not be run (or followed to its end): the system's error number.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var code: Int32
        public var description: String { String(cString: strerror(code)) }

        /// The failure with this errno value.
        public init(code: Int32) {
            self.code = code
        }
    }

    /// Runs `arguments[0]` (looked up in `$PATH` when it holds no `/`) with `arguments` in
    /// `directory` (nil: prio's own), `input` on its standard input (nil: /dev/null), and reads
    /// its standard output and error to their ends; returns once the program has ended.
    ///
    /// Both outputs and the input are served together by `poll`, so a program that writes a lot
    /// to either before it has read all of its input never blocks.
    public static func capture(_ arguments: [String], environment: [String: String], directory: String? = nil,
                               input: [UInt8]? = nil) throws(Failure) -> Output {
        var pipes = Pipes()
        defer { pipes.closeAll() }
        try pipes.open(input: input != nil)
        let pid = try spawn(arguments, environment: environment, directory: directory, streams: .pipes(pipes))
        pipes.closeChildEnds()
        var output = Output(ending: .exited(0), stdout: [], stderr: [])
        let pumped = pump(&pipes, input: input ?? [], into: &output)
        pipes.closeAll()
        output.ending = try wait(for: pid)
        if let error = pumped { throw error }
        return output
    }

    /// Runs `arguments[0]` (looked up in `$PATH` when it holds no `/`) on prio's own standard
    /// input, output and error, and waits for it: the way system(3) does, prio ignores SIGINT
    /// and SIGQUIT meanwhile (Ctrl-C in an editor must not end prio) while the child starts
    /// with them at their defaults.
    public static func runInForeground(_ arguments: [String], environment: [String: String],
                                       directory: String? = nil) throws(Failure) -> Ending {
        var ignore = sigaction()
        #if canImport(Darwin)
        ignore.__sigaction_u.__sa_handler = SIG_IGN
        #else
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        #endif
        sigemptyset(&ignore.sa_mask)
        var oldInterrupt = sigaction()
        var oldQuit = sigaction()
        sigaction(SIGINT, &ignore, &oldInterrupt)
        sigaction(SIGQUIT, &ignore, &oldQuit)
        defer {
            sigaction(SIGINT, &oldInterrupt, nil)
            sigaction(SIGQUIT, &oldQuit, nil)
        }
        let pid = try spawn(arguments, environment: environment, directory: directory, streams: .inherited)
        return try wait(for: pid)
    }

    // MARK: Spawning

    /// Where the child's standard input, output and error come from.
    private enum Streams {
        /// prio's own.
        case inherited
        /// The child ends of these pipes (standard input from /dev/null when there is no input pipe).
        case pipes(Pipes)
    }

    /// Starts the program; returns its process id.
    private static func spawn(_ arguments: [String], environment: [String: String], directory: String?,
                              streams: Streams) throws(Failure) -> pid_t {
        guard let program = arguments.first, !program.isEmpty else { throw Failure(code: ENOENT) }
        var actions = posix_spawn_file_actions_t()
        try check(posix_spawn_file_actions_init(&actions))
        defer { posix_spawn_file_actions_destroy(&actions) }
        if case .pipes(let pipes) = streams {
            if let input = pipes.input {
                try check(posix_spawn_file_actions_adddup2(&actions, input.read, STDIN_FILENO))
            } else {
                try check(posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0))
            }
            try check(posix_spawn_file_actions_adddup2(&actions, pipes.output.write, STDOUT_FILENO))
            try check(posix_spawn_file_actions_adddup2(&actions, pipes.error.write, STDERR_FILENO))
        }
        if let directory { try check(prio_spawn_addchdir(&actions, directory)) }
        // Nothing of prio's but 0, 1 and 2 reaches the child. Where the C library cannot close
        // the rest, it still does not: every descriptor prio opens is close-on-exec.
        let closing = prio_spawn_addclosefrom(&actions, 3)
        if closing != ENOSYS { try check(closing) }

        var attributes = posix_spawnattr_t()
        try check(posix_spawnattr_init(&attributes))
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGWINCH, SIGTSTP, SIGCONT] {
            sigaddset(&defaults, number)
        }
        try check(posix_spawnattr_setsigdefault(&attributes, &defaults))
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        try check(posix_spawnattr_setsigmask(&attributes, &noneBlocked))
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        #if canImport(Darwin)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)))

        let argv = try CStrings(arguments)
        defer { argv.release() }
        let envp = try CStrings(environment.map { "\($0.key)=\($0.value)" })
        defer { envp.release() }
        var pid = pid_t()
        let spawned = argv.pointers.withUnsafeBufferPointer { argvBuffer in
            envp.pointers.withUnsafeBufferPointer { envpBuffer in
                guard let argvBase = argvBuffer.baseAddress, let envpBase = envpBuffer.baseAddress else { return EINVAL }
                return posix_spawnp(&pid, program, &actions, &attributes, argvBase, envpBase)
            }
        }
        try check(spawned)
        return pid
    }

    /// Waits for the child to end (through interruptions by signals).
    private static func wait(for pid: pid_t) throws(Failure) -> Ending {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { throw Failure(code: errno) }
        }
        return Ending(waitStatus: status)
    }

    private static func check(_ result: Int32) throws(Failure) {
        if result != 0 { throw Failure(code: result) }
    }

    /// A NULL-terminated array of C strings (argv, envp) that the caller frees.
    private struct CStrings {
        var pointers: [UnsafeMutablePointer<CChar>?]

        init(_ strings: [String]) throws(Failure) {
            pointers = []
            pointers.reserveCapacity(strings.count + 1)
            for string in strings {
                guard let copy = strdup(string) else {
                    release()
                    throw Failure(code: ENOMEM)
                }
                pointers.append(copy)
            }
            pointers.append(nil)
        }

        func release() {
            for pointer in pointers { free(pointer) }
        }
    }

    // MARK: Pipes

    /// One pipe's two descriptors (-1 once closed).
    struct Pipe {
        var read: Int32 = -1
        var write: Int32 = -1

        /// A new pipe, both ends close-on-exec and numbered 3 or above (so that a `dup2` onto
        /// 0, 1 or 2 in the child never meets the same number, which would keep it close-on-exec).
        static func make() throws(Failure) -> Pipe {
            var ends: [Int32] = [-1, -1]
            guard prio_pipe_cloexec(&ends) == 0 else { throw Failure(code: errno) }
            var made = Pipe(read: ends[0], write: ends[1])
            do throws(Failure) {
                made.read = try aboveStandardStreams(made.read)
                made.write = try aboveStandardStreams(made.write)
            } catch {
                made.closeBoth()
                throw error
            }
            return made
        }

        private static func aboveStandardStreams(_ fd: Int32) throws(Failure) -> Int32 {
            guard fd <= STDERR_FILENO else { return fd }
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1)
            let failure = errno
            close(fd)
            guard moved >= 0 else { throw Failure(code: failure) }
            return moved
        }

        mutating func closeRead() {
            if read >= 0 { close(read) }
            read = -1
        }

        mutating func closeWrite() {
            if write >= 0 { close(write) }
            write = -1
        }

        mutating func closeBoth() {
            closeRead()
            closeWrite()
        }
    }

    /// The child's standard input (when it has input), output and error.
    struct Pipes {
        var input: Pipe?
        var output = Pipe()
        var error = Pipe()

        mutating func open(input hasInput: Bool) throws(Failure) {
            if hasInput { input = try Pipe.make() }
            output = try Pipe.make()
            error = try Pipe.make()
        }

        /// Closes the ends the child holds, so that prio sees the end of its output when it ends.
        mutating func closeChildEnds() {
            input?.closeRead()
            output.closeWrite()
            error.closeWrite()
        }

        mutating func closeAll() {
            input?.closeBoth()
            output.closeBoth()
            error.closeBoth()
        }
    }

    /// Writes `input` to the child and reads its output and error until both end, serving
    /// whichever pipe is ready; returns the error that stopped it early, if any.
    ///
    /// SIGPIPE is blocked on this thread meanwhile, so that a child that exits without reading
    /// all of its input makes the write fail with EPIPE (then the rest of the input is dropped)
    /// instead of ending prio; a SIGPIPE raised here is taken off before the mask is restored.
    private static func pump(_ pipes: inout Pipes, input: [UInt8], into output: inout Output) -> Failure? {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var oldMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &oldMask)
        var pendingBefore = sigset_t()
        sigpending(&pendingBefore)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 && sigismember(&pendingBefore, SIGPIPE) == 0 {
                var zero = timespec(tv_sec: 0, tv_nsec: 0)
                while sigtimedwait(&pipeSignal, nil, &zero) < 0 && errno == EINTR {}
            }
            pthread_sigmask(SIG_SETMASK, &oldMask, nil)
        }

        for fd in [pipes.input?.write, pipes.output.read, pipes.error.read].compactMap({ $0 }) {
            let flags = fcntl(fd, F_GETFL)
            if flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 { return Failure(code: errno) }
        }
        if input.isEmpty { pipes.input?.closeWrite() }
        var written = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            var watched: [pollfd] = []
            if let fd = pipes.input?.write, fd >= 0 { watched.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            if pipes.output.read >= 0 { watched.append(pollfd(fd: pipes.output.read, events: Int16(POLLIN), revents: 0)) }
            if pipes.error.read >= 0 { watched.append(pollfd(fd: pipes.error.read, events: Int16(POLLIN), revents: 0)) }
            if watched.isEmpty { return nil }
            if poll(&watched, nfds_t(watched.count), -1) < 0 {
                if errno == EINTR { continue }
                return Failure(code: errno)
            }
            for entry in watched where entry.revents != 0 {
                if entry.fd == pipes.output.read {
                    switch drain(entry.fd, into: &output.stdout, chunk: &chunk) {
                    case .open: break
                    case .ended: pipes.output.closeRead()
                    case .failed(let failure): return failure
                    }
                } else if entry.fd == pipes.error.read {
                    switch drain(entry.fd, into: &output.stderr, chunk: &chunk) {
                    case .open: break
                    case .ended: pipes.error.closeRead()
                    case .failed(let failure): return failure
                    }
                } else {
                    let count = input[written...].withUnsafeBytes { write(entry.fd, $0.baseAddress, $0.count) }
                    if count >= 0 {
                        written += count
                    } else if errno != EINTR && errno != EAGAIN {
                        // EPIPE: the child stopped reading; any other error ends the input too.
                        written = input.count
                    }
                    if written == input.count { pipes.input?.closeWrite() }
                }
            }
        }
    }

    /// What reading a pipe found.
    private enum Drained {
        /// All that was ready is read; more may come.
        case open
        /// The writer closed its end (the child ended, or closed the stream).
        case ended
        case failed(Failure)
    }

    /// Reads all that is ready on `fd` (non-blocking) onto `bytes`.
    private static func drain(_ fd: Int32, into bytes: inout [UInt8], chunk: inout [UInt8]) -> Drained {
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[0..<count])
                continue
            }
            if count == 0 { return .ended }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return .open }
            return .failed(Failure(code: errno))
        }
    }
}
