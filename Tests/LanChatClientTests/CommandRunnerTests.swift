import LanChatClient
import LanChatControl
import Testing

/// A daemon stand-in: records what was asked and answers from a script.
final class ScriptedConnection: ControlConnection {
    var sent: [ControlCommand] = []
    var answer: (ControlCommand) throws -> ControlResponse
    var events: [ChatEvent] = []

    init(_ answer: @escaping (ControlCommand) throws -> ControlResponse) {
        self.answer = answer
    }

    func request(_ command: ControlCommand) throws -> ControlResponse {
        sent.append(command)
        return try answer(command)
    }

    func follow(room: String?, subscribed: () -> Void, _ handle: (ChatEvent, String) -> Void) throws {
        sent.append(.follow(room: room))
        subscribed()
        for event in events { handle(event, ControlJSON.encode(event)) }
    }

    func export(room: String?, since: String?, _ handle: (String) -> Void) throws {
        sent.append(.export(room: room, since: since))
        for event in events { handle(ControlJSON.encode(event)) }
    }
}

@Suite("lanchat's commands, without a daemon")
struct CommandRunnerTests {
    private let alice = AuthorRef(id: "aliceid", name: "Alice")

    private func run(
        _ command: ControlCommand, json: Bool = false, connection: ScriptedConnection
    ) throws -> (status: ClientExitStatus, lines: [String]) {
        var lines: [String] = []
        let status = try CommandRunner(json: json, connect: { connection }) { lines.append($0) }.run(command)
        return (status, lines)
    }

    @Test func sendPrintsNothingUnlessAskedForJSON() throws {
        let stored = ChatEvent(type: .message, id: "aliceid/2", author: alice, room: "dev", body: "hi", sentAt: "2026-11-29T01:34:52.056Z")
        let connection = ScriptedConnection { _ in
            var response = ControlResponse()
            response.message = stored
            return response
        }
        #expect(try run(.send(body: "hi", room: "dev"), connection: connection) == (.ok, []))
        #expect(try run(.send(body: "hi", room: "dev"), json: true, connection: connection).lines == [ControlJSON.encode(stored)])
        #expect(connection.sent == [.send(body: "hi", room: "dev"), .send(body: "hi", room: "dev")])
    }

    @Test func whoamiJSONCarriesOnlyIDAndName() throws {
        let connection = ScriptedConnection { _ in
            var response = ControlResponse()
            response.identity = IdentityInfo(id: "aliceid", name: "Alice", short: "alicei", isSelf: true)
            return response
        }
        #expect(try run(.whoami, json: true, connection: connection).lines == [#"{"id":"aliceid","name":"Alice"}"#])
        #expect(try run(.whoami, connection: connection).lines == ["Alice\taliceid"])
        #expect(try run(.name("Alice"), connection: connection).lines == ["Alice"])
    }

    @Test func listsAreOneObjectPerLineOrATable() throws {
        let rooms = [RoomInfo(name: "dev", messages: 2, lastAt: nil), RoomInfo(name: "general", messages: 1, lastAt: nil)]
        let connection = ScriptedConnection { _ in
            var response = ControlResponse()
            response.rooms = rooms
            return response
        }
        #expect(try run(.rooms, json: true, connection: connection).lines == rooms.map { ControlJSON.encode($0) })
        let table = try run(.rooms, connection: connection).lines
        #expect(table.count == 1)
        #expect(table.first?.hasPrefix("ROOM") == true)
    }

    @Test func followStreamsUntilTheDaemonGoesAway() throws {
        let connection = ScriptedConnection { _ in ControlResponse() }
        connection.events = [ChatEvent(type: .profile, author: alice)]
        var lines: [String] = []
        let runner = CommandRunner(json: true, connect: { connection }) { lines.append($0) }
        #expect(throws: ClientError("the daemon stopped", status: .noDaemon)) { try runner.run(.follow(room: "dev")) }
        #expect(lines == [#"{"author":{"id":"aliceid","name":"Alice"},"type":"profile"}"#])
        #expect(connection.sent == [.follow(room: "dev")])
    }

    @Test func exportPrintsEachEventLineAsTheDaemonWroteIt() throws {
        let connection = ScriptedConnection { _ in ControlResponse() }
        connection.events = [ChatEvent(type: .message, id: "aliceid/2", author: alice, room: "dev", body: "hi", sentAt: "2026-11-29T01:34:52.056Z")]
        #expect(try run(.export(room: "dev"), connection: connection) == (.ok, connection.events.map { ControlJSON.encode($0) }))
        #expect(connection.sent == [.export(room: "dev")])
    }

    @Test(arguments: ControlErrorCode.allCases)
    func daemonFailuresCarryTheirExitStatus(code: ControlErrorCode) {
        let connection = ScriptedConnection { _ in throw ClientError(ControlFailure(code, "no")) }
        #expect(throws: ClientError("no", status: code.exitStatus)) { try run(.history(), connection: connection) }
    }

    @Test func doctorWithoutADaemonFindsAProblem() throws {
        var lines: [String] = []
        let unreachable = ClientError("daemon not running (no socket at /x)", status: .noDaemon)
        let status = try CommandRunner(json: true, connect: { throw unreachable }) { lines.append($0) }.run(.doctor)
        #expect(status == .failure)
        #expect(lines.first?.contains(#""check":"daemon""#) == true)
        #expect(lines.first?.contains(#""status":"problem""#) == true)
        #expect(lines.last?.contains(#""check":"interfaces""#) == true)
    }

    @Test func doctorAsksTheDaemonForStatusThenChecks() throws {
        let connection = ScriptedConnection { command in
            var response = ControlResponse()
            if command == .status {
                response.status = StatusInfo(
                    id: "aliceid", name: "Alice", version: "0.1.0", network: "lanchat", port: 7420, entries: 1, authors: 1,
                    rooms: 0, peersByState: .init(), uptimeSeconds: 1, mdns: .disabled, counters: .init())
            } else {
                response.checks = [DoctorCheck(check: "avahi", status: .warning, detail: "disabled")]
            }
            return response
        }
        let (_, lines) = try run(.doctor, connection: connection)
        #expect(connection.sent == [.status, .doctor])
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("warning avahi: disabled"))
    }

    @Test func messageBodyComesFromArgumentsOrStandardInput() throws {
        #expect(try CommandRunner.messageBody(arguments: ["lunch", "at 12?"]) { "ignored" } == "lunch at 12?")
        #expect(try CommandRunner.messageBody(arguments: []) { "line one\nline two\n\n" } == "line one\nline two")
        #expect(throws: ClientError("nothing to send: give the text as arguments or on stdin", status: .usage)) {
            try CommandRunner.messageBody(arguments: []) { "\n" }
        }
    }

    @Test func socketBeforeTheSubcommandMovesBehindIt() {
        let known: Set<String> = ["send", "whoami"]
        #expect(CommandLineArguments.hoistingSocket(["--socket", "/s", "whoami", "--json"], subcommands: known)
            == ["whoami", "--socket", "/s", "--json"])
        #expect(CommandLineArguments.hoistingSocket(["--socket=/s", "send", "hi"], subcommands: known) == ["send", "--socket=/s", "hi"])
        #expect(CommandLineArguments.hoistingSocket(["whoami", "--socket", "/s"], subcommands: known) == ["whoami", "--socket", "/s"])
        #expect(CommandLineArguments.hoistingSocket(["--socket", "/s", "nosuch"], subcommands: known) == ["nosuch"])
    }

    private static let bare: Set<String> = ["status", "who"]

    @Test func aSendOfPlainWordsIsReadWithoutArgumentParser() {
        func plain(_ arguments: [String]) -> PlainCommandLine? { CommandLineArguments.plain(arguments, bare: Self.bare) }
        #expect(plain(["send", "lunch", "at 12?"]) == PlainCommandLine(socket: nil, command: "send", words: ["lunch", "at 12?"]))
        #expect(plain(["send", "help"])?.words == ["help"])
        #expect(plain(["send", "status"])?.words == ["status"])
        #expect(plain(["send", ""])?.words == [""])
        #expect(plain(["--socket", "/s", "send", "hi"]) == PlainCommandLine(socket: "/s", command: "send", words: ["hi"]))
        #expect(plain(["--socket=/s", "send", "hi", "there"]) == PlainCommandLine(socket: "/s", command: "send", words: ["hi", "there"]))
        #expect(plain(["--socket", "send", "send", "hi"]) == PlainCommandLine(socket: "send", command: "send", words: ["hi"]))
    }

    @Test func aCommandWithoutArgumentsIsReadWithoutArgumentParser() {
        func plain(_ arguments: [String]) -> PlainCommandLine? { CommandLineArguments.plain(arguments, bare: Self.bare) }
        #expect(plain(["status"]) == PlainCommandLine(socket: nil, command: "status"))
        #expect(plain(["who", "--json"]) == PlainCommandLine(socket: nil, command: "who", json: true))
        #expect(plain(["--socket", "/s", "status", "--json"]) == PlainCommandLine(socket: "/s", command: "status", json: true))
        #expect(plain(["--socket=/s", "who"]) == PlainCommandLine(socket: "/s", command: "who"))
        // An empty path given as its own word is ArgumentParser's too: it takes it, and the connection fails alike.
        #expect(plain(["--socket", "", "status"]) == PlainCommandLine(socket: "", command: "status"))
    }

    /// A word that may be an option, a socket option anywhere but first, another command, or no word at all
    /// (the text on stdin) is ArgumentParser's.
    @Test(arguments: [
        ["send"], ["send", "--room", "dev", "hi"], ["send", "hi", "--json"], ["send", "-"], ["send", "--"], ["send", "-h"],
        ["send", "hi", "--socket", "/s"], ["--socket", "/s"], ["--socket", "/s", "--socket", "/t", "send", "hi"],
        ["--socket", "--json", "send", "hi"], ["--json", "send", "hi"], ["history", "hi"], ["sendx", "hi"], [],
        ["status", "--json", "--json"], ["status", "--help"], ["status", "x"], ["--json", "status"], ["status", "--socket", "/s"],
        ["whoami"], ["status", "-h"], ["--socket", "/s", "who", "--json", "x"], ["--socket=", "status"], ["--socket=", "send", "hi"],
        ["--socket=-x", "status"],
    ])
    func everyOtherFormIsLeftToArgumentParser(arguments: [String]) {
        #expect(CommandLineArguments.plain(arguments, bare: Self.bare) == nil)
    }
}
