import Foundation
import LanChatFuzzChecks

// `fuzz-seeds DIR`: replaces DIR/<target>/ (Fuzz/corpus) with the seeds the encoders make today.
// Top-level code, not @main: the fuzz package's tools version (5.4) builds no @main executable.
let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 1, let root = arguments.first else {
    FileHandle.standardError.write(Data("usage: fuzz-seeds CORPUS-DIRECTORY\n".utf8))
    exit(2)
}
let files = FileManager.default
for target in FuzzTarget.allCases {
    let directory = URL(fileURLWithPath: root).appendingPathComponent(target.name)
    try? files.removeItem(at: directory)
    try files.createDirectory(at: directory, withIntermediateDirectories: true)
    let seeds = FuzzSeeds.seeds(for: target)
    for seed in seeds {
        try Data(seed.bytes).write(to: directory.appendingPathComponent(seed.name))
    }
    print("\(directory.path): \(seeds.count) seeds, \(seeds.map(\.bytes.count).reduce(0, +)) bytes")
}
