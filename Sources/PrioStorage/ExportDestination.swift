import PrioEngine
/// Where an export may be written: the one rule for `prio export -o` and the screen's `x` dialog.
public enum ExportDestination {
    /// What stands at a checked destination.
    public enum State: Sendable, Equatable {
        /// Nothing yet: the export creates it.
        case new
        /// A regular file, which the export replaces (the screen asks first).
        case existingFile
    }

    /// Checks `output` before an export of the backlog at `backlogPath` is written there.
    ///
    /// Refused: the backlog itself (by any path: a symlink, a hard link, `./b.md`), a directory,
    /// and anything that is not a regular file (a FIFO, a device node, a socket).
    /// `shownAs` is how messages name the output (the name the user typed), when it differs.
    public static func check(_ output: String, backlogPath: String, shownAs: String? = nil) throws(PrioError) -> State {
        let name = shownAs ?? output
        if output.isEmpty { throw PrioError("no file named to export to") }
        if sameFile(output, backlogPath) || resolveSymlinks(output) == resolveSymlinks(backlogPath) {
            throw PrioError("\(name) is the backlog itself; an export never replaces it (name another file)")
        }
        switch fileKind(output) {
        case .missing:
            if output.hasSuffix("/") { throw PrioError("\(name): is a directory") }
            return .new
        case .regular: return .existingFile
        case .directory: throw PrioError("\(name): is a directory")
        case .special(let what): throw PrioError("\(name) is \(what); an export is written only to a regular file or a new path")
        }
    }
}
