import Foundation
import LanChatControl
import LanChatCore
import Testing

@Suite("lanchat CLI against a real lanchatd", .timeLimit(.minutes(1)))
struct CLIBasicsTests {
    @Test("send, history, whoami, status, rooms, who, stdin and --room")
    func basics() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        _ = try await sandbox.startDaemon()
        let startedAt = Date()

        // whoami: a 52-character base32 ID and a default "User NNNN" name.
        let whoami = try await sandbox.lanchat("whoami", "--json")
        #expect(whoami.succeeded, "\(whoami)")
        let me = try #require(whoami.jsonObjects().first, "\(whoami)")
        #expect(whoami.stdoutLines.count == 1, "\(whoami)")
        let id = try #require(me["id"] as? String, "\(whoami)")
        let name = try #require(me["name"] as? String, "\(whoami)")
        #expect(Shapes.isAuthorID(id), "id \(id) is not 52 base32 characters")
        #expect(Shapes.isDefaultName(name), "default name \(name) is not `User NNNN`")

        let sent = try await sandbox.lanchat("send", "hello")
        #expect(sent.succeeded, "\(sent)")
        #expect(sent.stderr.isEmpty, "\(sent)")

        // history --json: one object per line with the documented fields.
        let history = try await sandbox.lanchat("history", "--json")
        #expect(history.succeeded, "\(history)")
        let messages = try history.jsonObjects()
        try #require(messages.count == 1, "\(history)")
        let message = messages[0]
        #expect(message["type"] as? String == "message")
        #expect(message["body"] as? String == "hello")
        #expect(message["room"] as? String == "general")
        let author = try #require(message["author"] as? [String: Any], "\(history)")
        #expect(author["id"] as? String == id)
        #expect(author["name"] as? String == name)
        let messageID = try #require(message["id"] as? String, "\(history)")
        #expect(messageID.hasPrefix(id + "/"), "message id \(messageID) is not <author>/<seq>")
        #expect(Shapes.seq(ofMessageID: messageID) != nil, "message id \(messageID) does not end in /<seq>")
        let sentAtText = try #require(message["sentAt"] as? String, "\(history)")
        let sentAt = try #require(Shapes.rfc3339Date(sentAtText), "sentAt \(sentAtText) is not RFC 3339")
        #expect(abs(sentAt.timeIntervalSince(startedAt)) < 120, "sentAt \(sentAtText) is far from now")

        // status --json
        let status = try await sandbox.lanchat("status", "--json")
        #expect(status.succeeded, "\(status)")
        let state = try #require(status.jsonObjects().first, "\(status)")
        #expect(state["id"] as? String == id)
        #expect(state["name"] as? String == name)
        // Started with --port 0, status shows the port that was actually picked.
        let port = try #require(state["port"] as? Int, "status has no numeric port: \(status)")
        #expect((1...65535).contains(port), "status shows port \(port), not the one --port 0 picked: \(status)")
        #expect((state["entries"] as? Int).map { $0 >= 2 } == true, "a profile and a message are entries: \(status)")
        #expect(state["peers"] as? Int == 0, "\(status)")

        // send with the text on stdin, into another room.
        let piped = try await sandbox.lanchat(["send", "--room", "dev"], stdin: Data("from stdin\n".utf8))
        #expect(piped.succeeded, "\(piped)")
        let dev = try await sandbox.lanchat("history", "--room", "dev", "--json")
        #expect(dev.succeeded, "\(dev)")
        #expect(try dev.decoded(ChatEvent.self).map(\.body) == ["from stdin"], "\(dev)")
        #expect(try dev.decoded(ChatEvent.self).map(\.room) == ["dev"], "\(dev)")
        let general = try await sandbox.lanchat("history", "--json")
        #expect(try general.decoded(ChatEvent.self).map(\.body) == ["hello"], "--room dev leaked into general: \(general)")

        // send --json prints the stored message.
        let echoed = try await sandbox.lanchat("send", "--json", "--room", "dev", "second", "line")
        #expect(echoed.succeeded, "\(echoed)")
        let stored = try #require(try echoed.decoded(ChatEvent.self).first, "\(echoed)")
        #expect(stored.body == "second line")
        #expect(stored.room == "dev")
        #expect(stored.author.id == id)

        // rooms --json
        let rooms = try await sandbox.lanchat("rooms", "--json")
        #expect(rooms.succeeded, "\(rooms)")
        let roomList = try rooms.decoded(RoomInfo.self)
        #expect(roomList.map(\.name).sorted() == ["dev", "general"], "\(rooms)")
        #expect(roomList.first { $0.name == "dev" }?.messages == 2)
        #expect(roomList.first { $0.name == "general" }?.messages == 1)
        for room in roomList {
            #expect(room.lastAt.flatMap(Shapes.rfc3339Date) != nil, "lastAt of \(room.name) is not RFC 3339")
        }

        // who --json: just this node, marked as self, online, with its message count.
        let who = try await sandbox.lanchat("who", "--json")
        #expect(who.succeeded, "\(who)")
        let people = try who.decoded(IdentityInfo.self)
        #expect(people.count == 1, "\(who)")
        #expect(people.first?.id == id)
        #expect(people.first?.name == name)
        #expect(people.first?.short == String(id.prefix(AuthorID.shortLength)))
        #expect(people.first?.isSelf == true)
        #expect(people.first?.online == true)
        #expect(people.first?.messages == 3)

        // The human forms work too.
        let human = try await sandbox.lanchat("history")
        #expect(human.succeeded, "\(human)")
        #expect(human.stdout.contains("\(name): hello"), "\(human)")

        // Words that name commands are text (this form is read without ArgumentParser, `send --room` with it).
        #expect(try await sandbox.lanchatRaw(["--socket=\(sandbox.socketPath)", "send", "help", "", "status"]).succeeded)
        let words = try await sandbox.lanchat("history", "--json", "--limit", "1")
        #expect(try words.decoded(ChatEvent.self).map(\.body) == ["help  status"], "\(words)")

        // A command without arguments prints the same read without ArgumentParser (the socket first) and with it.
        // (No direct messages and no peers here: those two print their headers, or nothing with --json.)
        for command in ["whoami", "who", "rooms", "dms", "peers"] {
            for json in [[], ["--json"]] {
                let socket = json.isEmpty ? ["--socket", sandbox.socketPath] : ["--socket=\(sandbox.socketPath)"]
                let plain = try await sandbox.lanchatRaw(socket + [command] + json)
                let parsed = try await sandbox.lanchatRaw([command] + json + socket)
                #expect(plain.succeeded && plain.stdout.isEmpty == (["dms", "peers"].contains(command) && !json.isEmpty), "\(plain)")
                #expect(plain.stdout == parsed.stdout && plain.stderr == parsed.stderr && plain.status == parsed.status, "\(plain) \(parsed)")
            }
        }
        // ArgumentParser refuses an empty --socket=; read without it, the line would have tried a socket named "".
        for line in [["status"], ["who", "--json"]] {
            let plain = try await sandbox.lanchatRaw(["--socket="] + line), parsed = try await sandbox.lanchatRaw(line + ["--socket="])
            #expect(plain.status == ClientExitStatus.usage.rawValue && plain.stderr == parsed.stderr && plain.status == parsed.status, "\(plain) \(parsed)")
        }
    }

    @Test("a rename shows on old messages")
    func renameShowsOnOldMessages() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        _ = try await sandbox.startDaemon()

        #expect(try await sandbox.lanchat("send", "before the rename").succeeded)
        let before = try await sandbox.lanchat("history", "--json")
        let oldName = try #require(try before.decoded(ChatEvent.self).first?.author.name, "\(before)")
        #expect(Shapes.isDefaultName(oldName))

        let rename = try await sandbox.lanchat("name", "Alice")
        #expect(rename.succeeded, "\(rename)")
        #expect(rename.stdoutLines == ["Alice"], "\(rename)")

        #expect(try await sandbox.lanchat("send", "after the rename").succeeded)
        let after = try await sandbox.lanchat("history", "--json")
        let events = try after.decoded(ChatEvent.self)
        #expect(events.map(\.body) == ["before the rename", "after the rename"], "\(after)")
        #expect(events.map(\.author.name) == ["Alice", "Alice"], "the old message still shows the old name: \(after)")

        let shown = try await sandbox.lanchat("name")
        #expect(shown.stdoutLines == ["Alice"], "\(shown)")
        let whoami = try await sandbox.lanchat("whoami", "--json")
        #expect(try whoami.decoded(AuthorRef.self).first?.name == "Alice", "\(whoami)")
    }

    /// Both binaries answer `--version` with the same release, without a daemon.
    @Test func bothBinariesPrintOneVersion() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let cli = try await sandbox.lanchatRaw(["--version"])
        let daemon = try await ChildProcess.run(try Binaries.lanchatd(), ["--version"])
        #expect(cli.succeeded && daemon.succeeded, "\(cli) \(daemon)")
        #expect(cli.stdout == LanChatVersion.current + "\n" && daemon.stdout == cli.stdout, "\(cli) \(daemon)")
    }

    @Test("CLI errors: exit non-zero with one line on stderr")
    func cliErrors() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }

        // No daemon at that path.
        let missing = try await sandbox.lanchatRaw(["--socket", "/nonexistent/sock", "whoami"])
        #expect(missing.failedCleanly, "\(missing)")
        #expect(missing.stderrLines.count == 1, "\(missing)")
        #expect(missing.stderr.contains("daemon not running"), "\(missing)")
        #expect(missing.stderr.contains("/nonexistent/sock"), "\(missing)")
        #expect(missing.stdout.isEmpty, "\(missing)")
        #expect(missing.status == ClientExitStatus.noDaemon.rawValue, "\(missing)")

        // Also with --socket after the subcommand.
        let after = try await sandbox.lanchatRaw(["whoami", "--socket", "/nonexistent/sock"])
        #expect(after.failedCleanly, "\(after)")
        #expect(after.stderrLines.count == 1, "\(after)")
        #expect(after.stderr.contains("daemon not running"), "\(after)")

        // An unknown subcommand.
        let unknown = try await sandbox.lanchatRaw(["nosuchcommand"])
        #expect(unknown.failedCleanly, "\(unknown)")
        #expect(unknown.stderrLines.count == 1, "\(unknown)")
        #expect(unknown.stderr.contains("nosuchcommand"), "\(unknown)")
        #expect(unknown.status == ClientExitStatus.usage.rawValue, "\(unknown)")
        // An argument of the wrong type.
        let notANumber = try await sandbox.lanchatRaw(["history", "--limit", "many"])
        #expect(notANumber.failedCleanly && notANumber.status == ClientExitStatus.usage.rawValue, "\(notANumber)")
        #expect(notANumber.stderrLines.count == 1 && notANumber.stderr.hasPrefix("lanchat: "), "\(notANumber)")
        let unknownWithSocket = try await sandbox.lanchatRaw(["--socket", sandbox.socketPath, "nosuchcommand"])
        #expect(unknownWithSocket.failedCleanly, "\(unknownWithSocket)")
        #expect(unknownWithSocket.stderrLines.count == 1, "\(unknownWithSocket)")
        #expect(unknownWithSocket.stderr.contains("nosuchcommand"), "\(unknownWithSocket)")

        _ = try await sandbox.startDaemon()

        // A room name the daemon refuses.
        let badRoom = try await sandbox.lanchat("send", "--room", "Bad Room", "x")
        #expect(badRoom.failedCleanly, "\(badRoom)")
        #expect(badRoom.stderrLines.count == 1, "\(badRoom)")
        #expect(badRoom.stderr.hasPrefix("lanchat: "), "\(badRoom)")
        #expect(badRoom.stderr.contains("room"), "\(badRoom)")
        #expect(badRoom.status == ClientExitStatus.usage.rawValue, "\(badRoom)")

        // Nothing to send.
        let empty = try await sandbox.lanchat(["send"], stdin: Data("\n".utf8))
        #expect(empty.failedCleanly, "\(empty)")
        #expect(empty.stderrLines.count == 1, "\(empty)")
        #expect(empty.status == ClientExitStatus.usage.rawValue, "\(empty)")

        // A name the daemon refuses.
        let badName = try await sandbox.lanchat("name", " padded ")
        #expect(badName.failedCleanly, "\(badName)")
        #expect(badName.stderrLines.count == 1, "\(badName)")
        #expect(badName.status == ClientExitStatus.usage.rawValue, "\(badName)")

        // A history limit out of range.
        let badLimit = try await sandbox.lanchat("history", "--limit", "0")
        #expect(badLimit.failedCleanly, "\(badLimit)")
        #expect(badLimit.stderrLines.count == 1, "\(badLimit)")
        #expect(badLimit.status == ClientExitStatus.usage.rawValue, "\(badLimit)")
        #expect(badLimit.stderr.contains("limit must be 1 to"), "\(badLimit)")

        // None of that was stored.
        let history = try await sandbox.lanchat("history", "--json")
        #expect(history.succeeded && history.stdout.isEmpty, "\(history)")
        let rooms = try await sandbox.lanchat("rooms", "--json")
        #expect(rooms.succeeded && rooms.stdout.isEmpty, "\(rooms)")
    }

    @Test("a 16 KiB body is accepted, one byte more is refused")
    func bodySizeLimit() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        _ = try await sandbox.startDaemon()
        let limit = Limits.maxBodyBytes
        #expect(limit == 16 * 1024)

        // Exactly 16 KiB of ASCII, on stdin.
        let ascii = String(repeating: "a", count: limit - 1) + "z"
        let accepted = try await sandbox.lanchat(["send", "--json"], stdin: Data(ascii.utf8))
        #expect(accepted.succeeded, "\(accepted)")
        #expect(try accepted.decoded(ChatEvent.self).first?.body == ascii)

        // Exactly 16 KiB of two-byte characters, as an argument.
        let wide = String(repeating: "é", count: limit / 2)
        #expect(wide.utf8.count == limit)
        let acceptedWide = try await sandbox.lanchat("send", wide)
        #expect(acceptedWide.succeeded, "\(acceptedWide)")

        // One byte more: refused, with a clear message naming the limit.
        let tooLong = try await sandbox.lanchat(["send"], stdin: Data((ascii + "!").utf8))
        #expect(tooLong.failedCleanly, "\(tooLong)")
        #expect(tooLong.stderrLines.count == 1, "\(tooLong)")
        #expect(tooLong.stderr.contains("too long"), "\(tooLong)")
        #expect(tooLong.stderr.contains("\(limit)"), "\(tooLong)")
        let tooWide = try await sandbox.lanchat("send", wide + "!")
        #expect(tooWide.failedCleanly, "\(tooWide)")
        #expect(tooWide.stderrLines.count == 1, "\(tooWide)")

        let history = try await sandbox.lanchat("history", "--json")
        #expect(history.succeeded, "\(history)")
        let bodies = try history.decoded(ChatEvent.self).compactMap(\.body)
        #expect(bodies.map(\.utf8.count) == [limit, limit], "only the two bodies at the limit are stored")
        #expect(bodies == [ascii, wide])
    }
}
