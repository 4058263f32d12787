import PrioEngine

/// The scope line of the report's burn-up, from git: for each past sprint, all the points in
/// the backlog file as it was committed on or before the sprint's last day (stories added
/// raise it, stories removed lower it).
public enum ScopeHistory {
    /// The points in the file at the end of each sprint, by sprint name; nil when the file has
    /// no history in git (not in a repository, never committed, or git cannot be run). A
    /// sprint that ended before the file's first commit, or has no last day, is left out.
    ///
    /// One `git log` names the commits that changed the file (first parents, newest first, with
    /// their commit day); one `git cat-file --batch` reads the versions the sprints need; each
    /// version is parsed once.
    public static func scope(_ repository: GitRepository, path relativePath: String,
                             sprints: [(name: String, end: String?)]) -> [String: Fraction]? {
        // A path with a line break would split the batch's names: no history for it.
        guard !relativePath.contains(where: \.isNewline),
              let log = repository.git("--literal-pathspecs", "log", "--first-parent", "--format=%H %cs", "--", relativePath),
              log.status == 0 else { return nil }
        let commits: [(sha: String, day: String)] = log.text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[0].count >= 40 else { return nil }
            return (String(parts[0]), String(parts[1]))
        }
        guard !commits.isEmpty else { return nil }
        // Per sprint, the newest commit on or before its last day.
        var wanted: [(name: String, sha: String)] = []
        for sprint in sprints {
            guard let end = sprint.end, let commit = commits.first(where: { $0.day <= end }) else { continue }
            wanted.append((sprint.name, commit.sha))
        }
        var unique: [String] = []
        for item in wanted where !unique.contains(item.sha) { unique.append(item.sha) }
        let blobs = repository.objects(unique.map { "\($0):\(relativePath)" })
        var points: [String: Fraction] = [:]
        for (sha, bytes) in zip(unique, blobs) {
            guard let bytes, let parsed = try? BacklogParser.parse(bytes, path: "\(sha):\(relativePath)", resolveDependencies: false) else {
                continue
            }
            points[sha] = StakeholderReport.scope(of: parsed.backlog)
        }
        var scope: [String: Fraction] = [:]
        for item in wanted { scope[item.name] = points[item.sha] }
        return scope
    }
}
