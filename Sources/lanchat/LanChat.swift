import ArgumentParser
import Foundation
import LanChatClient
import LanChatCore

struct Connection: ParsableArguments {
    @Option(help: "Control socket of the daemon (env LANCHAT_SOCKET).") var socket: String?

    func client() throws -> ControlClient {
        try ControlClient(socketPath: socket ?? DefaultPaths.clientSocket())
    }
}

struct JSONFlag: ParsableArguments {
    @Flag(help: "One JSON object per line.") var json = false

    /// A list: one JSON object per line, or the human table.
    func print<Item: Encodable>(_ items: [Item], _ human: ([Item]) -> String) {
        if json {
            items.forEach { Swift.print(ControlJSON.encode($0)) }
        } else {
            Swift.print(human(items))
        }
    }
}

@main
struct LanChat {
    static func main() {
        do {
            var command = try Root.parseAsRoot(hoistingGlobalOptions(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let error as ClientError {
            fail(error.description)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = Root.exitCode(for: error)
            if code == .success || error is CleanExit {
                Root.exit(withError: error)
            }
            fail(Root.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)", code: code.rawValue)
        }
    }

    /// `--socket` is global: given before the subcommand, it is moved behind it, where each subcommand reads it.
    static func hoistingGlobalOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            if first == "--socket", rest.count >= 2 {
                leading += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--socket=") {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        let known = Set(Root.configuration.subcommands.map { $0._commandName })
        guard !leading.isEmpty, let subcommand = rest.first else { return arguments }
        // An unknown subcommand is reported as such, not as a misplaced --socket.
        guard known.contains(subcommand) else { return Array(rest) }
        return [subcommand] + leading + rest.dropFirst()
    }

    static func fail(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("lanchat: \(message)\n".utf8))
        exit(code == 0 ? 1 : code)
    }
}

struct Root: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lanchat",
        abstract: "Chat with everyone on your office network, through the local lanchatd.",
        subcommands: [Send.self, History.self, Follow.self, Name.self, WhoAmI.self, Who.self, Rooms.self, Status.self, Peers.self, Doctor.self])
}

struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a message (text from the arguments, or from stdin).")
    @OptionGroup var connection: Connection
    @Option(help: "Room to send to.") var room = "general"
    @Option(help: "ID of the message this one answers.") var replyTo: String?
    @Flag(help: "Print the stored message as JSON.") var json = false
    @Argument(help: "The message text.") var text: [String] = []

    func run() throws {
        var body = text.joined(separator: " ")
        if text.isEmpty {
            body = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            while body.hasSuffix("\n") { body.removeLast() }
        }
        guard !body.isEmpty else { throw ClientError("nothing to send: give the text as arguments or on stdin") }
        let response = try connection.client().request(ControlRequest(cmd: "send", room: room, body: body, replyTo: replyTo))
        if json, let message = response.message { print(ControlJSON.encode(message)) }
    }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the newest messages of a room.")
    @OptionGroup var connection: Connection
    @OptionGroup var output: JSONFlag
    @Option(help: "Room to show.") var room = "general"
    @Option(help: "How many messages.") var limit = ControlLimits.defaultHistory

    func run() throws {
        let response = try connection.client().request(ControlRequest(cmd: "history", room: room, limit: limit))
        for event in response.messages ?? [] {
            print(output.json ? ControlJSON.encode(event) : HumanFormat.message(event))
        }
    }
}

struct Follow: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print new messages and name changes as they arrive, until interrupted.")
    @OptionGroup var connection: Connection
    @OptionGroup var output: JSONFlag
    @Option(help: "Only this room (name changes are always shown).") var room: String?

    func run() throws {
        try connection.client().follow(room: room) { event, _ in
            // Unbuffered, so a pipe reader sees each event as it happens.
            let text = output.json ? ControlJSON.encode(event) : HumanFormat.message(event)
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }
        throw ClientError("the daemon stopped")
    }
}

struct Name: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show or set your display name.")
    @OptionGroup var connection: Connection
    @OptionGroup var output: JSONFlag
    @Argument(help: "The new name.") var new: [String] = []

    func run() throws {
        let name = new.isEmpty ? nil : new.joined(separator: " ")
        let response = try connection.client().request(ControlRequest(cmd: "name", name: name))
        guard let identity = response.identity else { return }
        print(output.json ? ControlJSON.encode(identity) : identity.name)
    }
}

struct WhoAmI: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show your name and ID.")
    @OptionGroup var connection: Connection
    @OptionGroup var output: JSONFlag

    func run() throws {
        guard let identity = try connection.client().request(ControlRequest(cmd: "whoami")).identity else { return }
        print(output.json ? ControlJSON.encode(AuthorRef(id: identity.id, name: identity.name)) : HumanFormat.identity(identity))
    }
}

struct Who: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List everyone this node knows, and who is online.")
    @OptionGroup var connection: Connection
    @OptionGroup var output: JSONFlag

    func run() throws {
        output.print(try connection.client().request(ControlRequest(cmd: "who")).identities ?? [], HumanFormat.who)
    }
}

struct Rooms: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List rooms with messages.")
    @OptionGroup var connection: Connection
    @OptionGroup var output: JSONFlag

    func run() throws {
        output.print(try connection.client().request(ControlRequest(cmd: "rooms")).rooms ?? [], HumanFormat.rooms)
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show this node's state.")
    @OptionGroup var connection: Connection
    @OptionGroup var output: JSONFlag

    func run() throws {
        guard let status = try connection.client().request(ControlRequest(cmd: "status")).status else { return }
        print(output.json ? ControlJSON.encode(status) : HumanFormat.status(status))
    }
}

struct Peers: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List known peers and their state.")
    @OptionGroup var connection: Connection
    @OptionGroup var output: JSONFlag

    func run() throws {
        output.print(try connection.client().request(ControlRequest(cmd: "peers")).peers ?? [], HumanFormat.peers)
    }
}

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find out why this node cannot see others (or they it), and how to fix it; exits 1 if a problem is found.")
    @OptionGroup var connection: Connection
    @OptionGroup var output: JSONFlag

    func run() throws {
        var checks: [DoctorCheck]
        do {
            let client = try connection.client()
            let status = try client.request(ControlRequest(cmd: "status")).status
            checks = status.map { [LocalDiagnosis.daemonRunning($0)] } ?? []
            checks += try client.request(ControlRequest(cmd: "doctor")).checks ?? []
        } catch let error as ClientError {
            checks = [LocalDiagnosis.daemonUnreachable(error), LocalDiagnosis.avahiProcess()]
        }
        checks.append(LocalDiagnosis.interfaces())
        for check in checks {
            print(output.json ? ControlJSON.encode(check) : HumanFormat.check(check))
        }
        if checks.contains(where: { $0.status == .problem }) { throw ExitCode(1) }
    }
}
