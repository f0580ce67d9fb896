import Foundation
import Testing

@testable import LanChatDaemon

/// The daemon gives its start-up code's pages back: only its executable's read-and-execute mapping, and the
/// process runs on (here the test runner itself, its other tests running meanwhile).
@Suite("code pages released after start")
struct CodePagesTests {
    @Test func onlyTheExecutablesPrivateCodeMappingIsChosen() {
        let maps = """
            5600a000-5600b000 r--p 00000000 fe:00 42   /usr/bin/lanchatd
            5600b000-5600f000 r-xp 00001000 fe:00 42   /usr/bin/lanchatd
            5600f000-56010000 r--p 00005000 fe:00 42   /usr/bin/lanchatd
            56010000-56011000 rw-p 00006000 fe:00 42   /usr/bin/lanchatd
            7f000000-7f001000 r-xp 00000000 fe:00 43   /usr/lib/x86_64-linux-gnu/libc.so.6
            7f100000-7f101000 r-xs 00000000 fe:00 42   /usr/bin/lanchatd
            7f200000-7f201000 r-xp 00000000 fe:00 44   /opt/my apps/lanchatd
            7f300000-7f301000 r-xp 00000000 00:00 0
            """
        #expect(CodePages.codeMappings(in: maps, of: "/usr/bin/lanchatd").map { [$0.start, $0.end] } == [[0x5600_b000, 0x5600_f000]])
        #expect(CodePages.codeMappings(in: maps, of: "/opt/my apps/lanchatd").map { [$0.start, $0.end] } == [[0x7f20_0000, 0x7f20_1000]])
        #expect(CodePages.codeMappings(in: maps, of: "/usr/bin/other").isEmpty)
    }

    @Test func releasingShrinksTheResidentCodeAndTheProcessRunsOn() throws {
        let before = try residentCodeKilobytes()
        let released = CodePages.release()
        let after = try residentCodeKilobytes()
        #expect(released > 0)
        #expect(after < before, "resident code: \(before) kB before, \(after) kB after")
        // Code this process ran before runs again, faulted back in from the page cache.
        #expect(CodePages.codeMappings(in: "1000-2000 r-xp 0 0:0 1 /x", of: "/x").count == 1)
    }

    /// The resident kilobytes of this executable's code mapping, from `/proc/self/smaps`.
    private func residentCodeKilobytes() throws -> Int {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let smaps = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        var inCode = false
        var total = 0
        for line in smaps.split(separator: "\n") {
            // A mapping's header starts with its address range; its fields ("Rss:", …) follow it.
            if line.split(separator: " ").first.map({ $0.contains("-") && !$0.hasSuffix(":") }) == true {
                inCode = !CodePages.codeMappings(in: String(line), of: executable).isEmpty
            } else if inCode, line.hasPrefix("Rss:") {
                total += Int(line.split(separator: " ")[1]) ?? 0
            }
        }
        return total
    }
}
