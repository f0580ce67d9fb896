import Foundation
import LanChatControl
import Testing

/// `lanchat export` against real daemons: every message, no limit, oldest first, as history shows them.
@Suite("lanchat export", .timeLimit(.minutes(1)))
struct ExportTests {
    @Test func everyMessageInOrderWithoutALimitFilteredByRoomAndTime() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let (alice, bob) = try await sandbox.startAliceAndBob()
        let count = ControlLimits.defaultHistory + 20
        try await alice.sendMany(count, prefix: "general")
        try await alice.send("in dev", room: "dev")
        try await bob.send("from Bob")
        try await bob.directMessage(to: "Alice", "psst")
        try await wait(until: { try await alice.history().contains { $0.body == "from Bob" } }, "Bob's message to reach Alice")
        try await wait(until: {
            try await alice.withControlClient { try $0.request(.conversation(with: "Bob")).messages ?? [] }.contains { $0.body == "psst" }
        }, "Bob's direct message to reach Alice")

        // One room: its whole history, line for line as history --json prints it.
        let general = try await sandbox.lanchat(["export", "--room", "general"], socket: alice.socketPath)
        #expect(general.succeeded, "\(general)")
        let history = try await sandbox.lanchat(["history", "--json", "--limit", "\(ControlLimits.maxHistory)"], socket: alice.socketPath)
        #expect(general.stdoutLines.count == count + 1)
        #expect(general.stdoutLines == history.stdoutLines)

        // Every room, oldest first, then the direct messages among them.
        let everything = try await sandbox.lanchat(["export"], socket: alice.socketPath)
        #expect(everything.succeeded, "\(everything)")
        let events = try everything.decoded(ChatEvent.self)
        #expect(events.count == count + 3, "\(everything.stdoutLines.suffix(5))")
        #expect(events.compactMap(\.sentAt) == events.compactMap(\.sentAt).sorted())
        #expect(events.filter { $0.room == "general" }.map(\.body) == (0..<count).map { "general \($0)" } + ["from Bob"])
        #expect(events.filter { $0.room == "dev" }.map(\.body) == ["in dev"])
        #expect(events.filter { $0.type == .dm }.map { [$0.body, $0.with?.name] } == [["psst", "Bob"]])
        #expect(events.allSatisfy { $0.type == .dm ? $0.room == nil : $0.room != nil })

        // --since: those shown at that time or later.
        let cut = try #require(events[count / 2].sentAt)
        let since = try await sandbox.lanchat(["export", "--since", cut], socket: alice.socketPath)
        #expect(try since.decoded(ChatEvent.self) == events.filter { $0.sentAt! >= cut })
        #expect(try await sandbox.lanchat(["export", "--since", "2000-01-01"], socket: alice.socketPath).stdoutLines == everything.stdoutLines)
        #expect(try await sandbox.lanchat(["export", "--since", "2999-01-01"], socket: alice.socketPath).stdoutLines.isEmpty)

        // Muted people are left out, as history leaves them out.
        #expect(try await sandbox.lanchat(["mute", "Bob"], socket: alice.socketPath).succeeded)
        let muted = try await sandbox.lanchat(["export"], socket: alice.socketPath)
        #expect(try muted.decoded(ChatEvent.self) == events.filter { $0.author.name != "Bob" })
    }

    @Test func aBadTimeOrRoomFailsWithOneLine() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let alice = try await sandbox.startNode("alice")
        let badTime = try await sandbox.lanchat(["export", "--since", "yesterday"], socket: alice.socketPath)
        #expect(badTime.status == ClientExitStatus.usage.rawValue && badTime.stdout.isEmpty, "\(badTime)")
        #expect(badTime.stderrLines.count == 1 && badTime.stderr.hasPrefix("lanchat: --since must be an RFC 3339 time"), "\(badTime)")
        let badRoom = try await sandbox.lanchat(["export", "--room", "No Such"], socket: alice.socketPath)
        #expect(badRoom.status == ClientExitStatus.usage.rawValue && badRoom.stderrLines.count == 1, "\(badRoom)")

        // The daemon checks the time too, and the connection serves requests after an export.
        let answers = try await alice.withControlClient { client in
            [try client.exchangeRaw(Array(#"{"cmd":"export","since":"soon"}"#.utf8) + [10]), try client.exchangeRaw(Array(#"{"cmd":"whoami"}"#.utf8) + [10])]
        }
        #expect(answers[0]?.contains(#""code":"bad_request""#) == true, "\(answers)")
        #expect(answers[1]?.contains(#""identity""#) == true, "\(answers)")
    }
}
