import Foundation
import LanChatControl
import LanChatCore
import Testing

@Suite("lanchat follow", .timeLimit(.minutes(1)))
struct FollowTests {
    /// `follow` prints nothing until its subscription exists, so a test cannot tell when it is
    /// listening. Sends warm-up messages until the follower shows one; events sent after that are
    /// guaranteed to reach it.
    private func warmUp(_ follower: StreamingProcess, room: String, sandbox: Sandbox) async throws {
        var round = 0
        try await wait(until: {
            if follower.events.contains(where: { $0.body?.hasPrefix("warm-up ") == true }) { return true }
            guard follower.process.isRunning else {
                throw HarnessError("`\(follower.command.joined(separator: " "))` exited early: \(follower.lines)")
            }
            if round % 10 == 0 {  // every ~200 ms
                let sent = try await sandbox.lanchat("send", "--room", room, "warm-up \(round)")
                guard sent.succeeded else { throw HarnessError("warm-up send failed: \(sent)") }
            }
            round += 1
            return false
        }, "`\(follower.command.joined(separator: " "))` to print a warm-up message; it printed \(follower.lines)")
    }

    @Test("follow --json streams messages and renames as they happen")
    func followStreamsEvents() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        _ = try await sandbox.startDaemon()
        let me = try await sandbox.lanchat("whoami", "--json")
        let myID = try #require(try me.decoded(AuthorRef.self).first?.id, "\(me)")

        let everything = try sandbox.lanchatStreaming(["follow", "--json"])
        let devOnly = try sandbox.lanchatStreaming(["follow", "--json", "--room", "dev"])
        try await warmUp(everything, room: "general", sandbox: sandbox)
        try await warmUp(devOnly, room: "dev", sandbox: sandbox)

        #expect(try await sandbox.lanchat("send", "first").succeeded)
        #expect(try await sandbox.lanchat("send", "--room", "dev", "in dev").succeeded)
        #expect(try await sandbox.lanchat("send", "second").succeeded)
        let rename = try await sandbox.lanchat("name", "Follower")
        #expect(rename.succeeded, "\(rename)")

        try await wait(until: {
            everything.events.contains { $0.type == .profile && $0.author.name == "Follower" }
        }, "the rename on `lanchat follow --json`; it printed \(everything.lines)")

        // Every line of --json output is one event object.
        let lines = everything.lines
        for line in lines {
            let object = try jsonObject(line)
            #expect(object["type"] is String, "no type in \(line)")
            #expect(object["author"] is [String: Any], "no author in \(line)")
        }
        let events = everything.events.filter { $0.body?.hasPrefix("warm-up ") != true }
        #expect(events.count == 4, "\(lines)")
        let messages = events.filter { $0.type == .message }
        #expect(messages.map(\.body) == ["first", "in dev", "second"], "\(lines)")
        #expect(messages.map(\.room) == ["general", "dev", "general"], "\(lines)")
        for message in messages {
            #expect(message.author.id == myID)
            #expect(message.id?.hasPrefix(myID + "/") == true)
            #expect(message.sentAt.flatMap(Shapes.rfc3339Date) != nil, "sentAt of \(message)")
        }
        let profiles = events.filter { $0.type == .profile }
        #expect(profiles.count == 1, "\(lines)")
        #expect(profiles.first?.author == AuthorRef(id: myID, name: "Follower"))
        #expect(events.last?.type == .profile, "events arrive in the order they were committed: \(lines)")

        // --room dev: only that room's messages, but every rename.
        try await wait(until: {
            devOnly.events.contains { $0.type == .profile }
        }, "the rename on `lanchat follow --room dev`; it printed \(devOnly.lines)")
        let devEvents = devOnly.events.filter { $0.body?.hasPrefix("warm-up ") != true }
        #expect(devEvents.map(\.type) == [.message, .profile], "\(devOnly.lines)")
        #expect(devEvents.first?.body == "in dev")
        #expect(!devOnly.lines.contains { $0.contains("warm-up") && $0.contains("\"general\"") }, "\(devOnly.lines)")

        // The followers run until they are stopped.
        #expect(everything.process.isRunning)
        #expect(devOnly.process.isRunning)
        everything.process.terminate()
        devOnly.process.terminate()
        try await wait(until: { !everything.process.isRunning && !devOnly.process.isRunning }, "the follow processes to end")

        // The daemon does not mind followers that went away.
        #expect(try await sandbox.lanchat("send", "after the followers left").succeeded)
    }
}
