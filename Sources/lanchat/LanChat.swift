import ArgumentParser
import FoundationEssentials
import Glibc
import LanChatClient
import LanChatControl

// Only argument parsing lives here; LanChatClient's CommandRunner does the rest.

struct Options: ParsableArguments {
    @Option(help: "Control socket of the daemon (env LANCHAT_SOCKET).") var socket: String?
    @Flag(help: "One JSON object per line.") var json = false

    var socketPath: String { socket ?? DefaultPaths.clientSocket() }

    func run(_ command: ControlCommand) throws { try Self.run(command, socketPath: socketPath, json: json) }

    static func run(_ command: ControlCommand, socketPath: String, json: Bool) throws {
        let runner = CommandRunner(json: json, connect: { try ControlClient(socketPath: socketPath) }) { line in
            StandardStreams.output(line + "\n")
        }
        let status = try runner.run(command)
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}

@main
struct LanChat {
    static func main() {
        DispatchLog.quietIfReniceIsRefused()
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            if let plain = CommandLineArguments.plain(arguments, bare: Set(bare.keys)) {
                let socketPath = plain.socket ?? DefaultPaths.clientSocket()
                if let command = bare[plain.command] {
                    try Options.run(command, socketPath: socketPath, json: plain.json)
                } else {
                    try Send.run(words: plain.words, room: ControlLimits.defaultRoom, replyTo: nil, socketPath: socketPath, json: false)
                }
                return
            }
            let subcommands = Set(Root.configuration.subcommands.map { $0._commandName })
            let nested = ["identity": Set(Identity.configuration.subcommands.map { $0._commandName })]
            var command = try Root.parseAsRoot(CommandLineArguments.hoistingSocket(arguments, subcommands: subcommands, nested: nested))
            try command.run()
        } catch let error as ClientError {
            fail(error.description, error.status)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            if Root.exitCode(for: error) == .success || error is CleanExit {
                Root.exit(withError: error)
            }
            fail(Root.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)", .usage)
        }
    }

    /// Given alone or with `--json`, these run without ArgumentParser (`CommandLineArguments.plain`).
    static let bare = Dictionary(uniqueKeysWithValues: ([WhoAmI.self, Who.self, Rooms.self, DMs.self, Status.self, Peers.self, Doctor.self] as [any BareCommand.Type]).map {
        ($0._commandName, $0.request)
    })

    static func fail(_ message: String, _ status: ClientExitStatus) -> Never {
        StandardStreams.error("lanchat: \(message)\n")
        exit(status.rawValue)
    }
}

// Every command names itself (`commandName`): ArgumentParser names one that does not from its type, through
// String(describing:), whose protocol conformance lookups scan every conformance record in the binary
// (FoundationEssentials' too, now linked in); for these 26 commands that was a quarter of each start.
struct Root: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lanchat",
        abstract: "Chat with everyone on your office network, through the local lanchatd.",
        discussion: "Exit status: 0 ok, 1 failure (or doctor found a problem), 2 bad argument or request, 3 daemon not running, 4 no permission, 5 not found, 6 busy (try again later).",
        version: LanChatVersion.current,
        subcommands: [Chat.self, Send.self, Edit.self, Delete.self, History.self, Follow.self, Name.self, WhoAmI.self, Who.self, Rooms.self, DM.self, DMs.self, Status.self, Peers.self, Doctor.self, Keygen.self, Identity.self, Link.self, Unlink.self, Mute.self, Unmute.self, Alias.self, ExportMessages.self, Notify.self])
}

/// A command with no options but `Options` that asks the daemon one fixed request.
protocol BareCommand: ParsableCommand {
    static var request: ControlCommand { get }
    var options: Options { get }
}

extension BareCommand {
    func run() throws { try options.run(Self.request) }
}

struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send", abstract: "Send a message (text from the arguments, or from stdin).")
    @OptionGroup var options: Options
    @Option(help: "Room to send to.") var room = ControlLimits.defaultRoom
    @Option(help: "ID of the message this one answers.") var replyTo: String?
    @Argument(help: "The message text.") var text: [String] = []

    func run() throws { try Self.run(words: text, room: room, replyTo: replyTo, socketPath: options.socketPath, json: options.json) }

    /// Also what `lanchat send WORD…` runs without ArgumentParser (`CommandLineArguments.plain`).
    static func run(words: [String], room: String, replyTo: String?, socketPath: String, json: Bool) throws {
        let body = try CommandRunner.messageBody(arguments: words, standardInput: StandardStreams.readInput)
        try Options.run(.send(body: body, room: room, replyTo: replyTo), socketPath: socketPath, json: json)
    }
}

struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Replace the text of one of your messages (text from the arguments, or from stdin).")
    @OptionGroup var options: Options
    @Argument(help: "ID of your message, as history --json shows it (<author>/<seq>).") var id: String
    @Argument(help: "The new text.") var text: [String] = []

    func run() throws {
        let body = try CommandRunner.messageBody(arguments: text, standardInput: StandardStreams.readInput)
        try options.run(.edit(id: id, body: body))
    }
}

struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete one of your messages: every node drops its text.")
    @OptionGroup var options: Options
    @Argument(help: "ID of your message, as history --json shows it (<author>/<seq>).") var id: String

    func run() throws { try options.run(.delete(id: id)) }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show the newest messages of a room.")
    @OptionGroup var options: Options
    @Option(help: "Room to show.") var room = ControlLimits.defaultRoom
    @Option(help: "How many messages.") var limit = ControlLimits.defaultHistory

    func run() throws { try options.run(.history(room: room, limit: limit)) }
}

struct Follow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "follow", abstract: "Print new messages and name changes as they arrive, until interrupted.")
    @OptionGroup var options: Options
    @Option(help: "Only this room (name changes are always shown).") var room: String?

    func run() throws { try options.run(.follow(room: room)) }
}

struct Name: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "name", abstract: "Show or set your display name.")
    @OptionGroup var options: Options
    @Argument(help: "The new name.") var new: [String] = []

    func run() throws { try options.run(.name(new.isEmpty ? nil : new.joined(separator: " "))) }
}

struct WhoAmI: BareCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show your name and ID.")
    static let request = ControlCommand.whoami
    @OptionGroup var options: Options
}

struct Who: BareCommand {
    static let configuration = CommandConfiguration(commandName: "who", abstract: "List everyone this node knows, and who is online.")
    static let request = ControlCommand.who
    @OptionGroup var options: Options
}

struct Rooms: BareCommand {
    static let configuration = CommandConfiguration(commandName: "rooms", abstract: "List rooms with messages.")
    static let request = ControlCommand.rooms
    @OptionGroup var options: Options
}

struct DM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dm",
        abstract: "Send a direct message only that person can read (text from the arguments, or stdin if given \"-\"); without text, show your conversation with them.")
    @OptionGroup var options: Options
    @Option(help: "How many messages to show.") var limit = ControlLimits.defaultHistory
    @Argument(help: "Who: a display name, an ID or a short ID (see lanchat who).") var person: String
    @Argument(help: "The message text.") var text: [String] = []

    func run() throws {
        guard !text.isEmpty else { return try options.run(.conversation(with: person, limit: limit)) }
        let body = try CommandRunner.messageBody(arguments: text == ["-"] ? [] : text, standardInput: StandardStreams.readInput)
        try options.run(.dm(to: person, body: body))
    }
}

struct DMs: BareCommand {
    static let configuration = CommandConfiguration(commandName: "dms", abstract: "List your conversations of direct messages, with unread counts.")
    static let request = ControlCommand.dms
    @OptionGroup var options: Options
}

struct Status: BareCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show this node's state.")
    static let request = ControlCommand.status
    @OptionGroup var options: Options
}

struct Peers: BareCommand {
    static let configuration = CommandConfiguration(commandName: "peers", abstract: "List known peers and their state.")
    static let request = ControlCommand.peers
    @OptionGroup var options: Options
}

struct Doctor: BareCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Find out why this node cannot see others (or they it), and how to fix it; exits 1 if a problem is found.")
    static let request = ControlCommand.doctor
    @OptionGroup var options: Options
}

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Print a new random network key: give the same key file to every lanchatd (--network-key-file) to close the network.",
        discussion: "Example: (umask 077; lanchat keygen > network.key). Without a key, anyone on the LAN can join and read.")

    func run() throws { print(NetworkKeyText.generate()) }
}

struct Identity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "Move this identity to a new machine when the old one is lost: export it under a passphrase, import it there.",
        subcommands: [Export.self, Import.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Print this identity's private key, encrypted under a passphrase (asked twice; from a pipe, its first line). Keep it offline.")
        @OptionGroup var options: Options

        func run() throws {
            let passphrase: String
            do {
                passphrase = try PassphraseReader.read(prompt: "passphrase for the backup: ", confirm: true)
            } catch {
                throw ClientError(error.description, status: .usage)
            }
            try options.run(.exportIdentity(passphrase: passphrase))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Make a backup's identity this machine's (lanchatd must be stopped). The old machine must never run it again.")
        @Option(help: "lanchatd's state directory (default: as lanchatd finds it).") var stateDir: String?
        @Argument(help: "The file lanchat identity export wrote.") var file: String

        /// The daemon holds the crypto and the state directory's lock: lanchat hands over to it.
        func run() throws {
            let daemon = Self.lanchatd()
            var arguments = [daemon, "--import-identity", file]
            if let stateDir { arguments += ["--state-dir", stateDir] }
            let argv = arguments.map { strdup($0) } + [nil]
            execv(daemon, argv)
            throw ClientError("cannot run \(daemon): \(String(cString: strerror(errno)))", status: .failure)
        }

        /// lanchatd beside this lanchat (as installed), else the one on PATH.
        private static func lanchatd() -> String {
            let beside = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("lanchatd").path
            if FileManager.default.isExecutableFile(atPath: beside) { return beside }
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin"
            return path.split(separator: ":").map { "\($0)/lanchatd" }.first(where: FileManager.default.isExecutableFile(atPath:)) ?? "lanchatd"
        }
    }
}

struct Link: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Use your identity on another device: run it here for a code, type the code there, then confirm here the number it shows.",
        discussion: "Each device keeps its own key and log; linked, they show as one person, with one name, and read the same direct messages.")
    @OptionGroup var options: Options
    @Option(help: "On the first device: the number the other device shows.") var confirm: String?
    @Argument(help: "On the new device: the code the first device showed.") var code: String?

    func run() throws {
        if let confirm { return try options.run(.linkConfirm(confirmation: confirm)) }
        try options.run(code.map { .linkJoin(code: $0) } ?? .linkInvite)
    }
}

struct Unlink: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlink",
        abstract: "Remove a lost or stolen device from your person; what it wrote so far stays yours, anything later is its own.")
    @OptionGroup var options: Options
    @Argument(help: "The device's ID or short ID (lanchat whoami lists them).") var device: String

    func run() throws { try options.run(.unlink(device: device)) }
}

struct Mute: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mute",
        abstract: "Hide a person's messages from your history, follow and conversations (this machine only; nothing is deleted). Without an ID, list who is muted.")
    @OptionGroup var options: Options
    @Argument(help: "Who: a display name, an ID or a short ID.") var person: String?

    func run() throws { try options.run(.mute(id: person)) }
}

struct Unmute: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unmute", abstract: "Show a muted person's messages again.")
    @OptionGroup var options: Options
    @Argument(help: "Who: a display name, an ID or a short ID.") var person: String

    func run() throws { try options.run(.unmute(id: person)) }
}

struct Alias: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias",
        abstract: "Give someone a name only you see, shown as ~NAME instead of theirs (this machine only); without arguments, list them.",
        discussion: "A name you gave wins over any name someone publishes, so a look-alike cannot pass for a colleague you named.")
    @OptionGroup var options: Options
    @Flag(help: "Take the name back.") var remove = false
    @Argument(help: "Who: a display name, an ID or a short ID.") var person: String?
    @Argument(help: "The name to show for them.") var name: [String] = []

    func run() throws {
        guard let person else { return try options.run(.alias()) }
        guard remove != !name.isEmpty else { throw ClientError("give a name, or --remove to take it back", status: .usage) }
        try options.run(.alias(id: person, name: remove ? nil : name.joined(separator: " ")))
    }
}

struct ExportMessages: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every message, oldest first, one JSON object per line (as history --json), for backups and other tools.",
        discussion: "Without --room: every room, each line with its room, and your direct messages (type \"dm\"). Muted people's messages are left out.")
    @OptionGroup var options: Options
    @Option(help: "Only this room (then no direct messages).") var room: String?
    @Option(help: "Only messages from then on: an RFC 3339 time (2026-11-29T09:00:00Z) or a date (2026-11-29, from local midnight).")
    var since: String?

    func run() throws { try options.run(.export(room: room, since: try since.map(SinceArgument.rfc3339))) }
}

struct Notify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Show a desktop notification for each mention of you and each direct message you receive, until stopped (for the desktop session: systemctl --user enable --now lanchat-notify).",
        discussion: "At most one per room or conversation every 5 seconds: the rest are held back and counted on the next. Follows the daemon again when it restarts. Needs notify-send (Debian's libnotify-bin).")
    @OptionGroup var options: Options
    @Option(help: "The program to run with options, a title and a body, as notify-send takes them.") var notifyCommand = "notify-send"

    func run() throws {
        let socketPath = options.socketPath
        try Notifier(command: notifyCommand, connect: { try ControlClient(socketPath: socketPath) }) { line in
            StandardStreams.error("lanchat: \(line)\n")
        }.run()
    }
}
