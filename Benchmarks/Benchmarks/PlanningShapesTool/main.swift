// Writes the planning benchmarks' backlogs, for timing whole `prio` processes on them:
//   swift run -c release --package-path Benchmarks planning-shapes DIRECTORY
// makes DIRECTORY/generated.md, chain.md, fan-in.md, fan-out.md and sprints.md.
import Foundation
import PlanningShapes

// Only a plain directory argument: the benchmark plugin starts every executable of the package
// with its own options (`--input-fd ...`), which must not become a folder of 110 MB of files.
guard CommandLine.arguments.count == 2, let directory = CommandLine.arguments.last, !directory.hasPrefix("-") else {
    FileHandle.standardError.write(Data("usage: planning-shapes DIRECTORY\n".utf8))
    exit(2)
}
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
for shape in PlanningShape.allCases {
    let path = (directory as NSString).appendingPathComponent("\(shape.rawValue).md")
    guard FileManager.default.createFile(atPath: path, contents: Data(shape.markdown())) else {
        FileHandle.standardError.write(Data("cannot write \(path)\n".utf8))
        exit(1)
    }
    print(path)
}
