/// Why a request failed, as the daemon reports it in `error.code`. docs/CONTROL.md has the table;
/// a client decides from the code alone what went wrong, the message is for people.
public enum ControlErrorCode: String, Codable, Sendable, CaseIterable {
    /// The line is not a JSON object with a `cmd` string, or a field has the wrong type.
    case badJSON = "bad_json"
    case tooLarge = "too_large"
    case unknownCommand = "unknown_command"
    /// A field is missing, out of range or malformed.
    case badRequest = "bad_request"
    /// The content breaks an entry rule (room name, body size, display name).
    case invalid
    case notFound = "not_found"
    case noPermission = "no_permission"
    /// Too much is under way right now; the same request may succeed later.
    case busy
    /// The daemon cannot do it now (stopping, or a part it needs is down).
    case unavailable
    case storage
    case `internal`

    /// A code from a newer daemon that this client does not know counts as `internal`, so the
    /// message still reaches the user.
    public init(from decoder: any Decoder) throws {
        self = Self(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .internal
    }

    /// The `lanchat` exit status for this failure.
    public var exitStatus: ClientExitStatus {
        switch self {
        case .badJSON, .tooLarge, .unknownCommand, .badRequest, .invalid: .usage
        case .notFound: .notFound
        case .noPermission: .noPermission
        case .busy, .unavailable: .busy
        case .storage, .internal: .failure
        }
    }
}

/// The exit statuses of `lanchat`, fixed so scripts can tell failures apart (README.md lists them).
public enum ClientExitStatus: Int32, Sendable, CaseIterable {
    case ok = 0
    /// The daemon failed (storage, internal), the stream ended, or `doctor` found a problem.
    case failure = 1
    /// A bad argument or request: repeating it unchanged cannot succeed.
    case usage = 2
    /// No daemon answers on the socket, or it went away.
    case noDaemon = 3
    case noPermission = 4
    case notFound = 5
    /// Busy or unavailable for now: worth retrying later.
    case busy = 6
}

public struct ControlFailure: Codable, Sendable, Equatable, Error {
    public var code: ControlErrorCode
    public var message: String

    public init(_ code: ControlErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
}
