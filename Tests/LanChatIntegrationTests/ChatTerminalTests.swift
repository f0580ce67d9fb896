import Foundation
import LanChatControl
import Testing

/// `lanchat chat` in a real terminal (tmux), against two daemons, driven as a person would: keys in,
/// the screen read back.
@Suite("lanchat chat in a terminal", .timeLimit(.minutes(2)))
struct ChatTerminalTests {
    /// Alice's chat open in a terminal of the given size; Bob on a second daemon. Both named, and each
    /// knowing the other.
    struct Office {
        let sandbox: Sandbox
        let alice: Daemon
        let bob: Daemon
        let terminal: Tmux

        /// Runs `body` with the office, and takes it down afterwards, also when the body fails.
        static func with(columns: Int, rows: Int, term: String? = nil, _ body: (Office) async throws -> Void) async throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let office = try await Office(sandbox: sandbox, columns: columns, rows: rows, term: term)
            do {
                try await body(office)
            } catch {
                await office.terminal.kill()
                throw error
            }
            await office.terminal.kill()
        }

        private init(sandbox: Sandbox, columns: Int, rows: Int, term: String?) async throws {
            self.sandbox = sandbox
            alice = try await sandbox.startNode("alice")
            bob = try await sandbox.startNode("bob", peers: [alice])
            try await alice.rename(to: "Alice")
            try await bob.rename(to: "Bob")
            for (node, other) in [(alice, "Bob"), (bob, "Alice")] {
                try await wait(until: { try await node.withControlClient { try $0.request(.who).identities ?? [] }.contains { $0.name == other } },
                               "the daemons to know each other")
            }
            let lanchat = try Binaries.lanchat().path
            let directory = sandbox.root
            // The terminal's settings before and after, to compare: the chat must leave them as it found them.
            // The last file appears whole (renamed into place): the test waits for it to know the chat ended.
            terminal = try await Tmux(
                in: directory, columns: columns, rows: rows, environment: ["LANG": "C.UTF-8", "TZ": "UTC"],
                command: "stty -a > \(directory)/stty-before; \(term.map { "TERM=\($0) " } ?? "")\(lanchat) chat --socket \(alice.socketPath); echo $? > \(directory)/chat-status; stty -a > \(directory)/stty-end && mv \(directory)/stty-end \(directory)/stty-after")
            try await terminal.waitForRow("the chat to start") { $0.hasPrefix(" Alice · network") || $0.hasPrefix("== #general (Alice") }
        }

        /// Bob's message naming Alice by ID, in `room`.
        func bobMentionsAlice(_ text: String, room: String) async throws {
            let aliceID = try await alice.whoami().id
            _ = try await bob.withControlClient {
                try $0.request(.send(body: "@Alice \(text)", room: room, mentions: [MentionSpan(offset: 0, length: 6, id: aliceID)]))
            }
        }

        var input: String {
            get async throws { try await terminal.screen().last(where: { !$0.isEmpty }) ?? "" }
        }
    }

    @Test(arguments: [(100, 30), (60, 20)])
    func typingSendsAndAReplyArrivesWithoutDisturbingTheLineBeingTyped(columns: Int, rows: Int) async throws {
        try await Office.with(columns: columns, rows: rows) { office in
            try await office.terminal.type("hello from the chat")
            try await office.terminal.press("Enter")
            try await wait(until: { try await office.bob.history().contains { $0.body == "hello from the chat" } }, "Bob's node to get it")
            try await office.terminal.waitForRow("my message") { $0.contains("Alice: hello from the chat") }

            try await office.terminal.type("half a li")
            try await wait(until: { try await office.input == "> half a li" }, "the half line to show")
            _ = try await office.bob.send("a reply")
            try await office.terminal.waitForRow("Bob's reply") { $0.contains("Bob: a reply") }
            #expect(try await office.input == "> half a li")
            try await office.terminal.type("ne")
            try await office.terminal.press("Enter")
            try await wait(until: { try await office.bob.history().contains { $0.body == "half a line" } }, "the finished line to reach Bob")

            // Wide and combining characters take the columns a terminal gives them: nothing is cut off.
            _ = try await office.bob.send(String(repeating: "漢字", count: 40) + " café")
            try await office.terminal.waitForRow("the end of the wide message") { $0.contains("café") }
            let shown = try await office.terminal.screen().joined()
            #expect(shown.count { $0 == "漢" } == 40 && shown.count { $0 == "字" } == 40, "\(shown)")
            #expect(shown.contains("caf\u{E9}") || shown.contains("cafe\u{301}"))
        }
    }

    @Test func roomsMentionsCompletionRenamesResizeAndQuitting() async throws {
        try await Office.with(columns: 100, rows: 30) { office in
            let terminal = office.terminal
            _ = try await office.bob.send("in ops", room: "ops")
            try await office.bobMentionsAlice("look at this", room: "ops")
            try await terminal.waitForRow("#ops with 2 unread, 1 mentioning me") { $0.contains("#ops") && $0.contains(" 2 @1") }
            let opsRow = try #require(try await terminal.screen(attributes: true).first { $0.contains("#ops") })
            #expect(sgrParameters(opsRow).contains(7), "the room that mentions me is lit up: \(opsRow)")

            // Opening the room reads it: the column clears, and the daemon's marker for this user moves.
            try await terminal.press("C-n")
            try await terminal.waitForRow("the mention in ops") { $0.contains("Bob: @Alice look at this") }
            #expect(try await !terminal.screen().contains { $0.contains(" 2 @1") })
            try await wait(until: {
                try await office.alice.withControlClient { try $0.request(.rooms).rooms ?? [] }.first { $0.name == "ops" }?.unread == 0
            }, "the daemon to mark ops read")
            let mentionRow = try #require(try await terminal.screen(attributes: true).first { $0.contains("look at this") })
            #expect(sgrParameters(mentionRow).contains(7), "a mention of me is highlighted: \(mentionRow)")

            // Tab completes a name into a mention by ID.
            try await terminal.type("@Bo")
            try await terminal.press("Tab")
            try await wait(until: { try await office.input == "> @Bob" }, "the completed name")
            try await terminal.type("see this")
            try await terminal.press("Enter")
            let bobID = try await office.bob.whoami().id
            try await wait(until: { try await office.bob.history(room: "ops").last?.body == "@Bob see this" }, "the mention to reach Bob")
            #expect(try await office.bob.history(room: "ops").last?.mentions?.map(\.id) == [bobID])

            // A rename shows on the messages already on screen.
            try await office.bob.rename(to: "Robert")
            try await terminal.waitForRow("the old message under the new name") { $0.contains("Robert: @Alice look at this") }
            try await terminal.waitForRow("the mention of the new name") { $0.contains("Alice: @Robert see this") }

            try await terminal.resize(columns: 60, rows: 20)
            try await wait(until: {
                let screen = try await terminal.screen()
                return screen.count >= 20 && screen[18].hasPrefix(" Alice · network") && screen[19].hasPrefix(">")
            }, "the chat to redraw at 60 × 20")

            try await terminal.type("/quit")
            try await terminal.press("Enter")
            let directory = office.sandbox.root
            try await wait(until: { FileManager.default.fileExists(atPath: directory + "/stty-after") }, "the chat to end")
            #expect(try String(contentsOfFile: directory + "/chat-status", encoding: .utf8) == "0\n")
            try expectTerminalRestored(in: directory)
        }
    }

    @Test func ctrlCLeavesAndRestoresTheTerminalToo() async throws {
        try await Office.with(columns: 60, rows: 20) { office in
            try await office.terminal.type("unsent")
            try await office.terminal.press("C-c")
            let directory = office.sandbox.root
            try await wait(until: { FileManager.default.fileExists(atPath: directory + "/stty-after") }, "the chat to end")
            try expectTerminalRestored(in: directory)
        }
    }
}

extension ChatTerminalTests {
    /// A terminal that cannot place the cursor gets the chat as plain lines, commands and all.
    @Test func aDumbTerminalChatsInLines() async throws {
        try await Office.with(columns: 80, rows: 20, term: "dumb") { office in
            try await office.terminal.type("hello in lines")
            try await office.terminal.press("Enter")
            try await wait(until: { try await office.bob.history().contains { $0.body == "hello in lines" } }, "Bob's node to get it")
            let answer = try await office.bob.send("answered")
            try await office.terminal.waitForRow("Bob's answer as a line") { $0.hasSuffix(" Bob: answered") }
            let id = try #require(answer.id)
            _ = try await office.bob.withControlClient { try $0.request(.edit(id: id, body: "answered, and edited")) }
            try await office.terminal.waitForRow("the edit printed again") { $0.hasSuffix(" Bob: answered, and edited (edited)") }
            try await office.terminal.type("/join ops")
            try await office.terminal.press("Enter")
            try await office.terminal.waitForRow("the room's header") { $0.hasPrefix("== #ops") }
            #expect(try await office.terminal.screen(attributes: true).allSatisfy { !$0.contains("\u{1B}[") }, "no colour, no attributes")
            try await office.terminal.type("/quit")
            try await office.terminal.press("Enter")
            let directory = office.sandbox.root
            try await wait(until: { FileManager.default.fileExists(atPath: directory + "/stty-after") }, "the chat to end")
            #expect(try String(contentsOfFile: directory + "/chat-status", encoding: .utf8) == "0\n")
        }
    }

    @Test func sigtermLeavesTheTerminalAsItWas() async throws {
        try await Office.with(columns: 60, rows: 20) { office in
            try await office.terminal.type("unsent")
            let chat = try #require(try await office.terminal.commandChildren().first)
            kill(chat, SIGTERM)
            let directory = office.sandbox.root
            try await wait(until: { FileManager.default.fileExists(atPath: directory + "/stty-after") }, "the chat to end")
            #expect(try String(contentsOfFile: directory + "/chat-status", encoding: .utf8) == "143\n")
            try expectTerminalRestored(in: directory)
        }
    }
}

/// The terminal's settings after the chat are those from before it (`stty -a`, less the window's
/// size: a resize changes that, not the chat).
func expectTerminalRestored(in directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let settings = try ["before", "after"].map {
        try String(contentsOfFile: "\(directory)/stty-\($0)", encoding: .utf8).replacing(/rows \d+; columns \d+;/, with: "")
    }
    #expect(settings[0] == settings[1], "before:\n\(settings[0])\nafter:\n\(settings[1])", sourceLocation: sourceLocation)
}

/// The numbers of every SGR sequence (`ESC [ … m`) in a captured row: 7 is reverse video.
func sgrParameters(_ row: String) -> Set<Int> {
    var numbers: Set<Int> = []
    for sequence in row.components(separatedBy: "\u{1B}[").dropFirst() {
        guard let end = sequence.firstIndex(of: "m") else { continue }
        numbers.formUnion(sequence[..<end].split(separator: ";").compactMap { Int($0) })
    }
    return numbers
}
