import Foundation
import Testing

/// A real terminal for a full-screen program: a tmux server of the test's own (its socket in the
/// sandbox, no user configuration), one window of a given size running one command. Keys go in with
/// `send-keys`, the screen comes out with `capture-pane`, as a person would type and see.
final class Tmux: Sendable {
    private let socket: String
    private static let executable = URL(fileURLWithPath: "/usr/bin/tmux")

    /// Starts `command` (run by `sh -c`) in a window of `columns` × `rows`, with `environment` added.
    init(in directory: String, columns: Int, rows: Int, environment: [String: String], command: String) async throws {
        socket = directory + "/tmux.sock"
        let variables = environment.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
        // The server tmux forks outlives this call: it must not keep the descriptors the test runner
        // handed the client (Foundation watches its children through one), so bash closes them first.
        let arguments = ["-u", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(columns)", "-y", "\(rows)"] + variables + [command]
        let started = try await ChildProcess.run(URL(fileURLWithPath: "/bin/bash"), [
            "-c", #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$0" "$@""#,
            Self.executable.path,
        ] + arguments)
        guard started.status == 0 else { throw HarnessError("tmux new-session failed: \(started.stderr)") }
        // A window keeps its size when no client is attached only if tmux is told so.
        try await run(["set-option", "-g", "window-size", "manual"])
    }

    /// Ends the server and everything in it (the test's own server, by its own socket).
    func kill() async {
        _ = try? await ChildProcess.run(Self.executable, ["-S", socket, "kill-server"])
    }

    /// Keys by tmux's names (`Enter`, `C-n`, `PageUp`, `Tab`, `M-Up`).
    func press(_ keys: String...) async throws {
        try await run(["send-keys"] + keys)
    }

    /// Text typed as is, character by character.
    func type(_ text: String) async throws {
        try await run(["send-keys", "-l", text])
    }

    func resize(columns: Int, rows: Int) async throws {
        try await run(["resize-window", "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// The screen's rows as text; with `attributes`, with the escape sequences of colours and
    /// attributes left in (`capture-pane -e`).
    func screen(attributes: Bool = false) async throws -> [String] {
        let result = try await run(["capture-pane", "-p"] + (attributes ? ["-e"] : []))
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Waits until the screen shows a row for which `condition` holds.
    func waitForRow(_ what: String, timeout: Duration = .seconds(10), where condition: @escaping (String) -> Bool) async throws {
        try await wait(until: { try await self.screen().contains(where: condition) }, timeout: timeout, "the screen to show \(what)")
    }

    /// The processes the window's command started (its children), by PID.
    func commandChildren() async throws -> [pid_t] {
        let shell = try await run(["list-panes", "-F", "#{pane_pid}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { pid_t($0) }
    }

    @discardableResult
    private func run(_ arguments: [String]) async throws -> ProcessResult {
        let result = try await ChildProcess.run(Self.executable, ["-u", "-S", socket] + arguments)
        guard result.status == 0 else { throw HarnessError("tmux \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
        return result
    }
}
