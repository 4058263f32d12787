import PrioEngine

/// The stories whose title, fields or description changed since a git revision, and those added
/// since: what `prio export --changed-since REV` lists.
public struct ChangedSince: Sendable {
    /// The stories changed or added.
    public var ids: StoryIDSet
    /// Every field that changed in one of them (or that an added one has), in first-seen order.
    public var fields: [String]
    public var count: Int

    /// Compares the file at `revision` (verified: nothing the user wrote reaches git's option
    /// parser, see `GitRepository.commit`) with `current`, story by story (`BacklogDiff.changes`).
    public init(_ repository: GitRepository, revision: String, path relativePath: String, current: Backlog) throws(PrioError) {
        let old = try repository.backlog(at: revision, path: relativePath)
        let oldIndex = StoryIDMap(indexing: old.storyIDs)
        var ids = StoryIDSet()
        var fields: [String] = []
        var seen = Set<String>()
        for story in current.stories {
            let keys: [String]
            if let i = oldIndex[story.id] {
                keys = BacklogDiff.changes(old.stories[i], story).map(\.field)
            } else {
                keys = ["title"] + story.fields.map(\.key) + (story.description.isEmpty ? [] : ["description"])
            }
            guard !keys.isEmpty else { continue }
            _ = ids.insert(story.id)
            for key in keys where seen.insert(key).inserted { fields.append(key) }
        }
        self.ids = ids
        self.fields = fields
        count = ids.count
    }
}
