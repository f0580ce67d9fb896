import ArgumentParser
import FoundationEssentials
import Glibc
import LanChatClient
import LanChatControl
import LanChatTerminal

struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat full-screen: rooms, direct messages, unread counts, mentions (/help inside lists the keys and commands).")
    @OptionGroup var options: Options
    @Option(help: "Room to open first.") var room = ControlLimits.defaultRoom

    func run() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw ClientError("chat needs a terminal; lanchat follow and lanchat send work in scripts", status: .usage)
        }
        let session = try ChatSession(socketPath: options.socketPath, room: room)
        // A terminal that cannot place the cursor gets the same chat as lines.
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        guard !term.isEmpty, term != "dumb" else { return try session.run(on: ChatLines()) }
        let terminal = Terminal()
        do {
            try terminal.start()
        } catch {
            throw ClientError("cannot use this terminal: \(error)", status: .failure)
        }
        defer { terminal.stop() }
        try session.run(on: ChatScreen(terminal: terminal))
    }
}
