import PrioEngine

/// What the app asks the outside world to do: a value, carried out by a runner outside
/// PrioApp (the terminal's, or a test's fake), which answers with a `Message`.
///
/// The app itself touches no file, process or clock; every effect that needs an answer has
/// exactly one `Message` case that carries it (named in each case's comment).
public enum Effect: Sendable {
    /// Write the backlog to its file unless the file changed on disk since it was read.
    /// Answer: `.saved`.
    case save(BacklogFile, Backlog)
    /// The file changed on disk: keep our version beside it (`BacklogFile.freeSibling("mine")`),
    /// then read the file again. Answer: `.reloaded`.
    case reloadKeepingMine(BacklogFile, Backlog)
    /// Keep the version on disk beside the file (`freeSibling("theirs")`), then write ours over
    /// it. Answer: `.overwritten`.
    case overwriteKeepingTheirs(BacklogFile, Backlog)
    /// A free name beside the backlog for a copy (`freeSibling("copy")`). Answer: `.copyNameFound`.
    case findCopyName(BacklogFile)
    /// Write the backlog to another file, never replacing one. Answer: `.copySaved`.
    case saveCopy(CopyJob)
    /// Write an export; an existing file is replaced only when `job.replace`. Answer: `.exported`.
    case writeExport(ExportJob)
    /// Look for recovery files of the backlog. Answer: `.recoveriesFound`.
    case findRecoveries(RecoveryStore)
    /// Read a recovery file. Answer: `.recoveryRead`.
    case readRecovery(RecoveryStore.Found)
    /// Write unsaved work to a new recovery file (when a signal ends the session).
    /// Answer: `.recoveryWritten`.
    case writeRecovery(RecoveryStore, Backlog, base: [UInt8])
    /// Remove a file (a recovery file whose work is saved or discarded). No answer.
    case removeFile(String)
    /// Suspend the screen and let the user edit `text` in $VISUAL/$EDITOR, in a temporary file
    /// named with `suffix`. Answer: `.edited`.
    case editExternally(text: String, suffix: String)
    /// Read today's date and the time zone. Answer: `.clock`.
    case readClock
    /// Read the scope line of the report's burn-up from the backlog's history in git: all the
    /// points in the file at the end of each of `sprints` (`ScopeHistory`). `confirmed` is
    /// handed back. Answer: `.scopeRead`.
    case readScope(path: String, sprints: [Sprint], confirmed: Bool)
    /// Read a story's history from git (`prio log`). Answer: `.history`.
    case readHistory(path: String, id: StoryID, strategy: String)
    /// Read what the backlog's git history shows was done per day, through today
    /// (`DeliveryHistory.read`, as `prio forecast --from-git`). Answer: `.deliveryHistory`.
    case readDeliveryHistory(path: String)
    /// End the program with `status`, printing `farewell` on stderr once the screen is gone.
    case quit(status: Int32, farewell: String?)
}

/// A copy of the backlog to write (save as).
public struct CopyJob: Sendable {
    /// The backlog file, whose folder the name is relative to and whose mode the copy takes.
    public var file: BacklogFile
    public var backlog: Backlog
    /// Where to write it, resolved beside the backlog.
    public var path: String
    /// The name as the user typed it, for messages.
    public var shownAs: String
}

/// An export to write.
public struct ExportJob: Sendable, Equatable {
    /// The exported text.
    public var text: String
    /// Where to write it, resolved beside the backlog.
    public var path: String
    /// The name as the user typed it, for messages.
    public var shownAs: String
    /// The backlog's path: an export never replaces it.
    public var backlogPath: String
    /// True once the user agreed to replace an existing file.
    public var replace: Bool
    /// What the status line says once it is written.
    public var summary: String
}

/// One input to the update function: a key, or the answer to an effect.
public enum Message: Sendable {
    /// A key, a click or a resize.
    case key(Key)
    /// A signal (SIGTERM, SIGHUP, SIGINT from outside) ends the session.
    case terminate(signal: Int32)
    case saved(SaveOutcome)
    case reloaded(Result<BacklogFile, PrioError>, keptMineAs: String?)
    case overwritten(Result<BacklogFile, PrioError>, keptTheirsAs: String?)
    case copyNameFound(String)
    case copySaved(CopyJob, PrioError?)
    case exported(ExportJob, ExportOutcome)
    case recoveriesFound([RecoveryStore.Found])
    case recoveryRead(RecoveryStore.Found, Result<RecoveryStore.Contents, PrioError>)
    case recoveryWritten(Result<String, PrioError>)
    /// The edited text, or nil when the editor failed.
    case edited(String?)
    case clock(Clock)
    /// A story's history as text, or why there is none (no git repository, say).
    case history(StoryID, Result<String, PrioError>)
    /// The backlog's delivery history from git, or why there is none.
    case deliveryHistory(Result<DeliveryHistory, PrioError>)
    /// The scope at the end of each past sprint by name, or nil when the file has no history in git.
    case scopeRead([String: Fraction]?, confirmed: Bool)
}

/// How a save ended.
public enum SaveOutcome: Sendable {
    /// Written (or nothing to write); the file as saved.
    case saved(BacklogFile)
    /// The file changed on disk since it was read: nothing was written.
    case changedOnDisk
    case failed(PrioError)
}

/// How writing an export ended.
public enum ExportOutcome: Sendable, Equatable {
    case written
    /// The file exists and `replace` was false: nothing was written.
    case exists
    case failed(String)
}

/// Carries out effects and answers them; the terminal's runner and the tests' fake runner.
public protocol EffectRunner {
    /// Carries out one effect; returns the message that answers it, if any.
    mutating func perform(_ effect: Effect) -> Message?
}
