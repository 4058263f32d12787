// libFuzzer target: the merge driver on three inputs (issue 24).
// Build and run with scripts/fuzz.sh; compiled into one module with Sources/PrioEngine.
//
// The input is BASE, OURS and THEIRS separated by the byte 0x00 (a NUL, which no backlog holds).
// Properties:
// - the merge never traps, whatever the three versions hold (CRLF, bytes that are not UTF-8,
//   markers, cycles, colliding or 18-digit IDs);
// - a merge without conflicts reads back as every command reads it: the loader with its
//   dependencies resolved, and no dependency cycle (what `prio check` refuses);
// - merging a version that reads with itself gives it back byte for byte.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let parts = input.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
    guard parts.count == 3 else { return 0 }
    let (base, ours, theirs) = (parts[0], parts[1], parts[2])
    let outcome = BacklogMerge.merge(base: base, ours: ours, theirs: theirs, path: "fuzz.md")
    if outcome.conflicts == 0 {
        do {
            let parsed = try BacklogParser.parse(outcome.bytes, path: "fuzz.md")
            let cycles = parsed.backlog.cycleDiagnostics(path: "fuzz.md")
            if !cycles.isEmpty { fatalError("a clean merge holds a cycle: \(cycles)") }
        } catch {
            fatalError("a clean merge does not read: \(error)")
        }
    }
    if let parsed = try? BacklogParser.parse(ours, path: "fuzz.md"), parsed.backlog.cycleDiagnostics(path: "fuzz.md").isEmpty {
        let same = BacklogMerge.merge(base: ours, ours: ours, theirs: ours, path: "fuzz.md")
        if same.bytes != ours || same.conflicts != 0 { fatalError("merging a version with itself changed it") }
    }
    return 0
}
