// Writes the planning benchmarks' backlogs, for timing whole `prio` processes on them:
//   swift run -c release --package-path Benchmarks planning-shapes DIRECTORY
// makes DIRECTORY/generated.md, chain.md, fan-in.md, fan-out.md and sprints.md.
import Foundation
import PlanningShapes

let directory = CommandLine.arguments.dropFirst().first ?? "."
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
for shape in PlanningShape.allCases {
    let path = (directory as NSString).appendingPathComponent("\(shape.rawValue).md")
    guard FileManager.default.createFile(atPath: path, contents: Data(shape.markdown())) else {
        FileHandle.standardError.write(Data("cannot write \(path)\n".utf8))
        exit(1)
    }
    print(path)
}
