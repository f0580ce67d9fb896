import Glibc
import LanChatControl

/// A failure as `lanchat` reports it: one line for people, and the exit status for scripts.
public struct ClientError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public let status: ClientExitStatus

    public init(_ description: String, status: ClientExitStatus) {
        self.description = description
        self.status = status
    }

    public init(_ failure: ControlFailure) {
        self.init(failure.message, status: failure.code.exitStatus)
    }
}

/// What the CLI needs of a daemon connection, so its commands can be run against a stand-in.
public protocol ControlConnection {
    /// The response to one command; a failure response is thrown as a `ClientError`.
    func request(_ command: ControlCommand) throws -> ControlResponse
    /// Streams events until the daemon closes the connection; the handler gets each event and its JSON line.
    /// `subscribed` runs once the daemon has confirmed the subscription: nothing committed after it is missed.
    func follow(room: String?, subscribed: () -> Void, _ handle: (ChatEvent, String) -> Void) throws
    /// Hands over each event line of an `export` as the daemon wrote it, until its closing response.
    func export(room: String?, since: String?, _ handle: (String) -> Void) throws
}

/// A blocking connection to a daemon's control socket. One request, one response line; `follow`
/// turns the connection into a stream of events.
public final class ControlClient: ControlConnection {
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    public init(socketPath: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw ClientError("cannot create a socket: \(String(cString: strerror(errno)))", status: .failure)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        // The descriptor is closed by `deinit` alone, which runs when an initializer throws once every stored property
        // is set: a second `close` here could close a descriptor another thread had just been given the number of.
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ClientError("socket path too long: \(socketPath)", status: .usage)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            throw ConnectFailure.error(connecting: socketPath, errno: code)
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    public func request(_ command: ControlCommand) throws -> ControlResponse {
        try writeAll(command.jsonLine)
        guard let line = try readLine() else { throw ClientError("the daemon closed the connection", status: .noDaemon) }
        let response = try ControlResponse(jsonLine: line) ?? decode(ControlResponse.self, line)
        if !response.ok, let failure = response.error { throw ClientError(failure) }
        return response
    }

    public func follow(room: String?, subscribed: () -> Void = {}, _ handle: (ChatEvent, String) -> Void) throws {
        _ = try request(.follow(room: room))
        subscribed()
        while let line = try readLine() {
            handle(try ChatEvent(jsonLine: line) ?? decode(ChatEvent.self, line), line)
        }
    }

    public func export(room: String?, since: String?, _ handle: (String) -> Void) throws {
        try writeAll(ControlCommand.export(room: room, since: since).jsonLine)
        var received = 0
        while let line = try readLine() {
            // Events have a type and an author, the closing response neither.
            if (try? ControlJSON.decode(ChatEvent.self, from: line)) != nil {
                handle(line)
                received += 1
                continue
            }
            let response = try decode(ControlResponse.self, line)
            if !response.ok, let failure = response.error { throw ClientError(failure) }
            guard response.exported == received else {
                throw ClientError("the export ended after \(received) of \(response.exported ?? 0) messages", status: .failure)
            }
            return
        }
        throw ClientError("the daemon closed the connection during the export, after \(received) messages", status: .noDaemon)
    }

    /// Sends raw bytes and reads one line back: for tests that speak malformed protocol on purpose.
    public func exchangeRaw(_ bytes: [UInt8]) throws -> String? {
        try writeAll(bytes)
        return try readLine()
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw ClientError("lost the connection to the daemon: \(String(cString: strerror(errno)))", status: .noDaemon)
            }
            offset += written
        }
    }

    private func readLine() throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ClientError("lost the connection to the daemon: \(String(cString: strerror(errno)))", status: .noDaemon)
            }
            if count == 0 { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ line: String) throws -> T {
        do {
            return try ControlJSON.decode(type, from: line)
        } catch {
            throw ClientError("the daemon sent something unexpected: \(line.prefix(200))", status: .failure)
        }
    }
}
