/// docs/BENCHMARKS.md is both the benchmark's report and the engineers' account of it: each section's figures
/// are generated, and the paragraphs after them (how a figure was reached, runs side by side, profiles) are
/// written by hand. A run rewrites only the blocks it generated, each between two markers that Markdown does not
/// show, so a full `make bench` keeps what was written by hand and a run of some scenarios (`--only`) leaves the
/// others' figures as they were.
enum GeneratedBlocks {
    struct Block: Equatable {
        let id: String
        let lines: [String]
    }

    static func start(_ id: String) -> String { "<!-- generated: \(id) -->" }
    static func end(_ id: String) -> String { "<!-- end of generated: \(id) -->" }

    /// `existing` with each block's lines put between its markers; a block it does not have yet is added at the
    /// end, after the blocks written so far.
    static func merge(_ blocks: [Block], into existing: String?) -> String {
        var lines = existing.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
        if lines.last == "" { lines.removeLast() }
        for block in blocks {
            let wrapped = [start(block.id)] + block.lines + [end(block.id)]
            if let first = lines.firstIndex(of: start(block.id)), let last = lines[first...].firstIndex(of: end(block.id)) {
                lines.replaceSubrange(first...last, with: wrapped)
            } else {
                lines += (lines.isEmpty || lines.last == "" ? [] : [""]) + wrapped
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
