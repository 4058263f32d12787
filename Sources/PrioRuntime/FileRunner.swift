import PrioApp
import PrioEngine
import PrioStorage

/// Carries out the app's effects on the real file system and clock: saves, the conflict
/// choices, copies, exports, recovery files. Every rule it applies is an engine function
/// (`BacklogFile`, `ExportDestination`, `RecoveryStore`); this type only calls them and
/// turns their results into messages. The terminal handles the editor and quitting.
public struct FileRunner: EffectRunner {
    /// The environment (`PRIO_TODAY` for the clock).
    public var environment: [String: String]
    /// The current time in seconds since 1970; replaceable so that tests can set the clock.
    public var now: @Sendable () -> Int

    /// A runner reading the clock from `now` and `PRIO_TODAY` in `environment`.
    public init(environment: [String: String], now: @escaping @Sendable () -> Int = { Planner.currentTime() }) {
        self.environment = environment
        self.now = now
    }

    /// The recovery store for a backlog: beside it, else in the user's private folder
    /// ($XDG_STATE_HOME/prio/recovery, else ~/.local/state/prio/recovery).
    public static func recoveryStore(for path: String, environment: [String: String]) -> RecoveryStore {
        var fallback: String?
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            fallback = state + "/prio/recovery"
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            fallback = home + "/.local/state/prio/recovery"
        }
        return RecoveryStore(backlogPath: path, fallbackDirectory: fallback)
    }

    /// Carries out one effect; the editor and quitting are not file work and answer nil.
    public mutating func perform(_ effect: Effect) -> Message? {
        switch effect {
        case .save(var file, let backlog):
            do {
                try file.save(backlog)
                return .saved(.saved(file))
            } catch {
                return .saved(file.changedOnDisk() ? .changedOnDisk : .failed(error))
            }
        case .reloadKeepingMine(let file, let backlog):
            do {
                let (reloaded, mine) = try file.reloadKeepingMine(backlog)
                return .reloaded(.success(reloaded), keptMineAs: mine)
            } catch {
                return .reloaded(.failure(error), keptMineAs: nil)
            }
        case .overwriteKeepingTheirs(var file, let backlog):
            do {
                let theirs = try file.overwriteKeepingTheirs(backlog)
                return .overwritten(.success(file), keptTheirsAs: theirs)
            } catch {
                return .overwritten(.failure(error), keptTheirsAs: nil)
            }
        case .findCopyName(let file):
            return .copyNameFound(file.freeSibling("copy"))
        case .saveCopy(let job):
            do {
                try job.file.writeCopy(job.backlog, to: job.path, shownAs: job.shownAs)
                return .copySaved(job, nil)
            } catch {
                return .copySaved(job, error)
            }
        case .writeExport(let job):
            return .exported(job, Self.export(job))
        case .findRecoveries(let store):
            return .recoveriesFound(store.find())
        case .readRecovery(let found):
            do {
                return .recoveryRead(found, .success(try RecoveryStore.read(found.path)))
            } catch {
                return .recoveryRead(found, .failure(error))
            }
        case .writeRecovery(let store, let backlog, let base):
            do {
                return .recoveryWritten(.success(try store.write(backlog, base: base)))
            } catch {
                return .recoveryWritten(.failure(error))
            }
        case .removeFile(let path):
            _ = PrioStorage.removeFile(path)
            return nil
        case .readClock:
            let seconds = now()
            return .clock(Clock(today: today(at: seconds), utcOffset: Planner.utcOffset(at: seconds)))
        case .readScope(let path, let sprints, let confirmed):
            // The same reading as `prio report`'s (PrioStorage/ScopeHistory.swift).
            let scope = GitRepository.containing(path).flatMap { repository in
                ScopeHistory.scope(repository, path: repository.relative(path), sprints: sprints.map { ($0.name, $0.end) })
            }
            return .scopeRead(scope, confirmed: confirmed)
        case .readHistory(let path, let id, let strategy):
            guard let repository = GitRepository.containing(path) else {
                return .history(id, .failure(PrioError("\(PathName.lastComponent(of: path)) is not in a git repository")))
            }
            do {
                let history = try StoryHistory(repository, path: repository.relative(path), id: id, strategy: strategy)
                return .history(id, .success(HistoryReport.text(history)))
            } catch {
                return .history(id, .failure(error))
            }
        case .readDeliveryHistory(let path):
            guard let repository = GitRepository.containing(path) else {
                return .deliveryHistory(.failure(PrioError("\(PathName.lastComponent(of: path)) is not in a git repository")))
            }
            guard let today = Day(today(at: now())) else {
                return .deliveryHistory(.failure(PrioError("today's date does not read")))
            }
            do {
                return .deliveryHistory(.success(try DeliveryHistory.read(repository, path: repository.relative(path), unit: .stories,
                                                                          through: today)))
            } catch {
                return .deliveryHistory(.failure(error))
            }
        case .editExternally, .quit:
            return nil
        }
    }

    /// Writes an export where the engine's one rule allows (never the backlog, a folder or a
    /// device), replacing an existing file only when the job says so.
    static func export(_ job: ExportJob) -> ExportOutcome {
        do {
            let state = try ExportDestination.check(job.path, backlogPath: job.backlogPath, shownAs: job.shownAs)
            if state == .existingFile && !job.replace { return .exists }
            try atomicWrite(Array(job.text.utf8), to: job.path)
            return .written
        } catch {
            return .failed(error.message)
        }
    }

    /// Today as the CLI reads it (`Planner.today`: `$PRIO_TODAY`, else the local date) at
    /// `seconds` since 1970.
    private func today(at seconds: Int) -> String {
        Planner.today(environment: environment, now: seconds)
    }
}
