import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Where the daemon keeps its state and socket, following systemd's and XDG's conventions.
/// Shared by `lanchatd` and `lanchat` so that both agree without configuration.
public enum DefaultPaths {
    public static let socketName = "lanchat.sock"
    /// The system service's socket (`RuntimeDirectory=lanchat`).
    public static let systemSocket = "/run/lanchat/\(socketName)"

    public static func stateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["STATE_DIRECTORY"]?.split(separator: ":").first { return String(dir) }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return "\(xdg)/lanchat" }
        return "\(home(environment))/.local/state/lanchat"
    }

    public static func runtimeDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first { return String(dir) }
        if let xdg = environment["XDG_RUNTIME_DIR"], xdg.hasPrefix("/") { return "\(xdg)/lanchat" }
        return "/tmp/lanchat-\(getuid())"
    }

    /// The socket the CLI talks to: `$LANCHAT_SOCKET`, else this user's daemon, else the system service's.
    /// A system socket this user may not even look at (not in the lanchat group) is still the one meant:
    /// connecting to it says so, where this user's missing socket would say no daemon runs.
    public static func clientSocket(
        environment: [String: String] = ProcessInfo.processInfo.environment, system: String = systemSocket
    ) -> String {
        if let explicit = environment["LANCHAT_SOCKET"], !explicit.isEmpty { return explicit }
        let user = "\(runtimeDirectory(environment: environment))/\(socketName)"
        if FileManager.default.fileExists(atPath: user) { return user }
        var info = stat()
        return stat(system, &info) == 0 || errno == EACCES ? system : user
    }

    private static func home(_ environment: [String: String]) -> String {
        if let home = environment["HOME"], home.hasPrefix("/") { return home }
        return "/tmp/lanchat-home-\(getuid())"
    }
}
