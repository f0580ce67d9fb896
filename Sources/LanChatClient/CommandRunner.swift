import LanChatControl

/// What each `lanchat` subcommand sends and prints. The executable only turns arguments into a
/// `ControlCommand`; everything after that is here, where it can run against a stand-in daemon.
public struct CommandRunner {
    public let json: Bool
    private let connect: () throws -> any ControlConnection
    private let write: (String) -> Void

    /// `write` gets one output line at a time, without its newline.
    public init(json: Bool, connect: @escaping () throws -> any ControlConnection, write: @escaping (String) -> Void) {
        self.json = json
        self.connect = connect
        self.write = write
    }

    /// `.ok`, or `.failure` when `doctor` found a problem. Failures of the daemon or of the request
    /// are thrown as `ClientError`s carrying their exit status.
    public func run(_ command: ControlCommand) throws -> ClientExitStatus {
        switch command {
        case .follow(let room):
            try connect().follow(room: room, subscribed: {}) { event, _ in show(event) }
            throw ClientError("the daemon stopped", status: .noDaemon)
        case .doctor:
            return try doctor()
        case .export(let room, let since):
            // Always JSON lines, passed on as the daemon wrote them: a backup keeps what a newer daemon adds.
            try connect().export(room: room, since: since, write)
            return .ok
        default:
            break
        }
        let response = try connect().request(command)
        switch command {
        case .send, .delete, .edit, .dm:
            if json, let message = response.message { write(ControlJSON.encode(message)) }
        case .history, .conversation:
            (response.messages ?? []).forEach(show)
        case .dms:
            list(response.conversations ?? [], HumanFormat.conversations)
        case .exportIdentity:
            if let backup = response.backup { write(backup) }
        case .linkInvite, .linkJoin, .linkConfirm:
            if let link = response.link { write(json ? ControlJSON.encode(link) : HumanFormat.link(link)) }
        case .unlink:
            if let identity = response.identity { write(json ? ControlJSON.encode(identity) : HumanFormat.identity(identity)) }
        case .name:
            if let identity = response.identity { write(json ? ControlJSON.encode(identity) : identity.name) }
        case .whoami:
            if let identity = response.identity {
                write(json ? ControlJSON.encode(AuthorRef(id: identity.id, name: identity.name)) : HumanFormat.identity(identity))
            }
        case .who, .mute, .unmute, .alias:
            list(response.identities ?? [], HumanFormat.who)
        case .rooms:
            list(response.rooms ?? [], HumanFormat.rooms)
        case .status:
            if let status = response.status { write(json ? ControlJSON.encode(status) : HumanFormat.status(status)) }
        case .peers:
            list(response.peers ?? [], HumanFormat.peers)
        case .follow, .doctor, .markRead, .export:
            break
        }
        return .ok
    }

    /// The text to send: the arguments joined by spaces, or without arguments all of standard input
    /// less its trailing newlines.
    public static func messageBody(arguments: [String], standardInput: () -> String) throws -> String {
        var body = arguments.joined(separator: " ")
        if arguments.isEmpty {
            body = standardInput()
            while body.hasSuffix("\n") { body.removeLast() }
        }
        guard !body.isEmpty else { throw ClientError("nothing to send: give the text as arguments or on stdin", status: .usage) }
        return body
    }

    private func show(_ event: ChatEvent) {
        // `jsonLine` writes JSONEncoder's bytes in a fraction of its time, which a busy network's follow pays per event.
        write(json ? String(decoding: event.jsonLine.dropLast(), as: UTF8.self) : HumanFormat.message(event))
    }

    /// A list: one JSON object per line, or the human table.
    private func list<Item: Encodable>(_ items: [Item], _ human: ([Item]) -> String) {
        if json {
            items.forEach { write(ControlJSON.encode($0)) }
        } else {
            write(human(items))
        }
    }

    /// The daemon's own checks between two of the CLI's: whether the daemon answers, and the interfaces.
    private func doctor() throws -> ClientExitStatus {
        var checks: [DoctorCheck]
        do {
            let client = try connect()
            checks = try client.request(.status).status.map { [LocalDiagnosis.daemonRunning($0)] } ?? []
            checks += try client.request(.doctor).checks ?? []
        } catch let error as ClientError {
            checks = [LocalDiagnosis.daemonUnreachable(error), LocalDiagnosis.avahiProcess()]
        }
        checks.append(LocalDiagnosis.interfaces())
        for check in checks {
            write(json ? ControlJSON.encode(check) : HumanFormat.check(check))
        }
        return checks.contains { $0.status == .problem } ? .failure : .ok
    }
}

public enum CommandLineArguments {
    /// `--socket` is global: given before the subcommand, it is moved behind it, where each subcommand reads it.
    /// `nested`: subcommands of a group (`identity export`), after which the socket goes.
    public static func hoistingSocket(_ arguments: [String], subcommands: Set<String>, nested: [String: Set<String>] = [:]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let socket = leadingSocket(rest) {
            leading += rest.prefix(socket.words)
            rest = rest.dropFirst(socket.words)
        }
        guard !leading.isEmpty, let subcommand = rest.first else { return arguments }
        // An unknown subcommand is reported as such, not as a misplaced --socket.
        guard subcommands.contains(subcommand) else { return Array(rest) }
        let after = rest.dropFirst()
        if let inner = after.first, nested[subcommand]?.contains(inner) == true { return [subcommand, inner] + leading + after.dropFirst() }
        return [subcommand] + leading + after
    }

    /// A `--socket PATH` or `--socket=PATH` at the start of `arguments`: its path, and how many words it took.
    static func leadingSocket(_ arguments: ArraySlice<String>) -> (path: String, words: Int)? {
        guard let first = arguments.first else { return nil }
        if first == "--socket", let path = arguments.dropFirst().first { return (path, 2) }
        return first.hasPrefix("--socket=") ? (String(first.dropFirst("--socket=".count)), 1) : nil
    }
}
