/// A command line `lanchat` runs without ArgumentParser (`CommandLineArguments.plain`).
public struct PlainCommandLine: Equatable, Sendable {
    public var socket: String?
    /// `send`, or one of the commands without arguments the caller named.
    public var command: String
    /// `send`'s words (never empty).
    public var words: [String]
    public var json: Bool

    public init(socket: String?, command: String, words: [String] = [], json: Bool = false) {
        self.socket = socket
        self.command = command
        self.words = words
        self.json = json
    }
}

extension CommandLineArguments {
    /// The command lines people and scripts type most: `lanchat send WORD…` (no option), and a command without
    /// arguments (`bare`: `status`, `who`…) alone or with `--json`, each after a `--socket` at most. ArgumentParser's
    /// reflection of a command's properties and its check for a completion-script request took half of such a
    /// command's CPU (a send: 3.3 of 6.5 ms, `perf stat`). Any other form is nil, for ArgumentParser to read: a
    /// word that starts with `-` may be an option to it, so one anywhere else leaves the whole line to it, and so
    /// does a socket path it refuses (`--socket=` with nothing after it: "Missing value").
    public static func plain(_ arguments: [String], bare: Set<String>) -> PlainCommandLine? {
        var rest = arguments[...]
        var socket: String?
        if let leading = leadingSocket(rest) {
            guard !leading.path.hasPrefix("-"), leading.words == 2 || !leading.path.isEmpty else { return nil }
            socket = leading.path
            rest = rest.dropFirst(leading.words)
        }
        guard let command = rest.popFirst() else { return nil }
        if command == "send" {
            guard !rest.isEmpty, !rest.contains(where: { $0.hasPrefix("-") }) else { return nil }
            return PlainCommandLine(socket: socket, command: command, words: Array(rest))
        }
        guard bare.contains(command), rest.isEmpty || rest == ["--json"] else { return nil }
        return PlainCommandLine(socket: socket, command: command, json: !rest.isEmpty)
    }
}
