import Testing

@testable import lanchat_bench

/// A benchmark run rewrites only the blocks it generated in docs/BENCHMARKS.md: what was written by hand around
/// them, and the blocks of scenarios it did not run, stay as they were.
@Suite("benchmark report: generated blocks")
struct GeneratedBlocksTests {
    typealias Block = GeneratedBlocks.Block

    @Test func aNewDocumentIsEveryBlockBetweenItsMarkers() {
        let text = GeneratedBlocks.merge([Block(id: "a", lines: ["## A", "", "| 1 |", ""]), Block(id: "b", lines: ["## B"])], into: nil)
        #expect(text == """
            <!-- generated: a -->
            ## A

            | 1 |

            <!-- end of generated: a -->

            <!-- generated: b -->
            ## B
            <!-- end of generated: b -->

            """)
    }

    /// A document of blocks `header`, `a`, `b` (from another run) and, if given, `c`, with text written by hand between.
    static func document(header: String, a: [String], c: [String]? = nil) -> String {
        var lines = [GeneratedBlocks.start("header"), header, GeneratedBlocks.end("header"), "A paragraph written by hand.", ""]
        lines += [GeneratedBlocks.start("a")] + a + [GeneratedBlocks.end("a"), "How the old figure was reached.", ""]
        lines += [GeneratedBlocks.start("b"), "| b, from another run |", GeneratedBlocks.end("b"), "The end."]
        if let c { lines += ["", GeneratedBlocks.start("c")] + c + [GeneratedBlocks.end("c")] }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aRunRewritesItsBlocksAndKeepsEverythingElse() {
        let before = Self.document(header: "# old header", a: ["| old |"])
        let after = GeneratedBlocks.merge(
            [Block(id: "header", lines: ["# new header"]), Block(id: "a", lines: ["| new |", "| rows |"]), Block(id: "c", lines: ["| c |"])],
            into: before)
        #expect(after == Self.document(header: "# new header", a: ["| new |", "| rows |"], c: ["| c |"]))
        #expect(GeneratedBlocks.merge([Block(id: "a", lines: ["| new |", "| rows |"])], into: after) == after)
    }
}
