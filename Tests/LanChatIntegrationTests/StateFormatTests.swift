import Foundation
import LanChatControl
import Testing

/// The state a released package left behind opens with today's daemon, as it was: the same identity,
/// history, edits, deletions, direct messages, names and unread counts, and its log carries on. Each
/// release's state is kept under Fixtures/ as it was made (its README says how), never regenerated.
@Suite("state left by earlier releases", .timeLimit(.minutes(1)))
struct StateFormatTests {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    private static let alice = "vmz3cukgfhftrgkzn4hi3avvnt2ojidlxvmlhwaafdsd6o5jh2ga"
    private static let bob = "o7tdrgont5x3wammutazlut37numsr2m4qlzfk4fa63pxizm44aa"

    /// Lays the release's state directory out as the daemon left it: the key as it was (0600), the
    /// database rebuilt from its dump.
    private func restore(_ release: String, into stateDir: String) async throws {
        let source = Self.fixtures.appendingPathComponent("state-\(release)")
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = "\(stateDir)/identity.key"
        try FileManager.default.copyItem(atPath: source.appendingPathComponent("identity.key").path, toPath: key)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let loaded = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/sqlite3"), ["\(stateDir)/lanchat.sqlite", ".read \(source.appendingPathComponent("lanchat.sql").path)"])
        try #require(loaded.succeeded, "sqlite3 could not load the dump of \(release): \(loaded)")
    }

    /// What a message shows, without its times.
    private func shown(_ events: [ChatEvent]) -> [[String]] {
        events.map { event in
            [event.id ?? "", event.author.name, event.room ?? "", event.body ?? "", event.editedAt == nil ? "" : "edited",
             event.deleted == true ? "deleted" : ""]
        }
    }

    @Test func theStateOfZeroOneZeroOpensAsItWas() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        try await restore("0.1.0", into: sandbox.stateDir)
        let daemon = try await sandbox.startDaemon()
        #expect(daemon.log.contains("loaded identity"), "\(daemon.log)")
        #expect(daemon.log.contains("upgrading the message store"), "\(daemon.log)")

        let whoami = try await sandbox.lanchat("whoami", "--json")
        #expect(try whoami.decoded(AuthorRef.self) == [AuthorRef(id: Self.bob, name: "Bob")], "\(whoami)")

        let general = try await sandbox.lanchat("history", "--json")
        #expect(shown(try general.decoded(ChatEvent.self)) == [
            ["\(Self.alice)/3", "Alice Martin", "general", "hello everyone", "", ""],
            ["\(Self.alice)/4", "Alice Martin", "general", "a typo here", "edited", ""],
            ["\(Self.alice)/5", "Alice Martin", "general", "", "", "deleted"],
            ["\(Self.bob)/4", "Bob", "general", "hi Alice", "", ""],
        ], "\(general)")
        let dev = try await sandbox.lanchat("history", "--room", "dev", "--json")
        #expect(shown(try dev.decoded(ChatEvent.self)) == [["\(Self.bob)/3", "Bob", "dev", "the build is green", "", ""]], "\(dev)")

        // Unread counts come from the read markers the store kept.
        let rooms = try await sandbox.lanchat("rooms", "--json")
        #expect(try rooms.decoded(RoomInfo.self).map { [$0.name, "\($0.messages)", "\($0.unread)"] } == [["dev", "1", "0"], ["general", "4", "2"]], "\(rooms)")
        let conversations = try await sandbox.lanchat("dms", "--json")
        #expect(try conversations.decoded(ConversationInfo.self).map { [$0.with.id, "\($0.unread)"] } == [[Self.alice, "0"]], "\(conversations)")
        // The direct message is sealed to Bob's key: reading it proves the key file still opens it.
        let conversation = try await sandbox.lanchat("dm", "Alice Martin", "--json")
        #expect(shown(try conversation.decoded(ChatEvent.self)) == [["\(Self.alice)/8", "Alice Martin", "", "the secret recipe", "", ""]], "\(conversation)")

        // The log carries on from where 0.1.0 left it.
        let next = try await sandbox.lanchat("send", "--json", "still here")
        #expect(try next.decoded(ChatEvent.self).first?.id == "\(Self.bob)/5", "\(next)")
    }
}
