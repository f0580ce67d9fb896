import Foundation
import Testing

@testable import LanChatDaemon

/// The daemon gives its start-up code's pages back: only its executable's private read-and-execute mapping,
/// none of whose pages is a private copy, never under a tracer; and the process runs on (here the test runner
/// itself, its other tests running meanwhile).
@Suite("code pages released after start")
struct CodePagesTests {
    @Test func onlyTheExecutablesPrivateCodeMappingIsChosenWithItsFields() {
        let smaps = """
            5600a000-5600b000 r--p 00000000 fe:00 42   /usr/bin/lanchatd
            Rss:                   4 kB
            5600b000-5600f000 r-xp 00001000 fe:00 42   /usr/bin/lanchatd
            Size:                 16 kB
            Rss:                  12 kB
            Anonymous:             0 kB
            VmFlags: rd ex mr mw me
            5600f000-56010000 rw-p 00005000 fe:00 42   /usr/bin/lanchatd
            Anonymous:             4 kB
            7f000000-7f001000 r-xp 00000000 fe:00 43   /usr/lib/x86_64-linux-gnu/libc.so.6
            7f100000-7f101000 r-xs 00000000 fe:00 42   /usr/bin/lanchatd
            7f200000-7f201000 r-xp 00000000 fe:00 44   /opt/my apps/lanchatd
            Anonymous:             4 kB
            7f300000-7f301000 r-xp 00000000 00:00 0
            """
        let chosen = CodePages.codeMappings(inSmaps: smaps, of: "/usr/bin/lanchatd")
        #expect(chosen.map { [$0.start, $0.end] } == [[0x5600_b000, 0x5600_f000]])
        #expect(chosen.first?.kilobytes == ["Size": 16, "Rss": 12, "Anonymous": 0])
        // A path with a space is read whole; this one holds a written page, which `release` would leave alone.
        #expect(CodePages.codeMappings(inSmaps: smaps, of: "/opt/my apps/lanchatd").map { $0.kilobytes["Anonymous"] } == [4])
        #expect(CodePages.codeMappings(inSmaps: smaps, of: "/usr/bin/other").isEmpty)
    }

    @Test(arguments: [("TracerPid:\t0", false), ("TracerPid:\t4242", true), ("Name:\tlanchatd", false)])
    func aTracerIsSeen(line: String, traced: Bool) {
        #expect(CodePages.isTraced("Name:\tlanchatd\n\(line)\nUid:\t0\t0\t0\t0") == traced)
    }

    @Test func releasingShrinksTheResidentCodeAndTheProcessRunsOn() throws {
        let before = try codeMappings()
        let released = CodePages.release()
        let after = try codeMappings()
        #expect(released > 0)
        #expect(resident(after) < resident(before), "resident code: \(resident(before)) kB before, \(resident(after)) kB after")
        // Exactly the mappings holding no private copy, whole; the process ran on through the code it reran since.
        let unwritten = before.filter { $0.kilobytes["Anonymous"] == 0 }
        #expect(released == unwritten.reduce(0) { $0 + $1.end - $1.start })
    }

    /// This executable's code mappings, as `/proc/self/smaps` shows them now.
    private func codeMappings() throws -> [CodePages.Mapping] {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        return CodePages.codeMappings(inSmaps: try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8), of: executable)
    }

    private func resident(_ mappings: [CodePages.Mapping]) -> Int { mappings.reduce(0) { $0 + ($1.kilobytes["Rss"] ?? 0) } }
}
