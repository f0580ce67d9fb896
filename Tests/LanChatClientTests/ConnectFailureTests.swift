import Foundation
@testable import LanChatClient
import LanChatControl
import Testing

/// What the CLI says when it cannot reach a daemon: not running, no permission, or not a daemon's socket.
@Suite("connecting to the control socket")
struct ConnectFailureTests {
    private func failure(connecting path: String) throws -> ClientError {
        do {
            _ = try ControlClient(socketPath: path)
        } catch let error as ClientError {
            return error
        }
        throw ClientError("connected to \(path)", status: .failure)
    }

    private func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("connect-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test func noSocketMeansNoDaemonWithHowToStartOne() throws {
        try withDirectory { directory in
            let error = try failure(connecting: "\(directory)/lanchat.sock")
            #expect(error.status == .noDaemon)
            #expect(error.description.hasPrefix("daemon not running (no socket at \(directory)/lanchat.sock)"))
            #expect(error.description.contains("sudo systemctl start lanchatd"))
        }
    }

    @Test func aSocketNobodyListensOnIsADaemonThatStopped() throws {
        try withDirectory { directory in
            let path = "\(directory)/lanchat.sock"
            // Bound and never listened on: what a daemon that crashed leaves behind.
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(descriptor) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(bound == 0)
            let error = try failure(connecting: path)
            #expect(error.status == .noDaemon)
            #expect(error.description.contains("its socket is left at \(path), but nothing listens"))
        }
    }

    @Test func aFileOrADirectoryIsTheWrongSocket() throws {
        try withDirectory { directory in
            let file = "\(directory)/notes.txt"
            try "not a socket".write(toFile: file, atomically: true, encoding: .utf8)
            let error = try failure(connecting: file)
            #expect(error.status == .usage)
            #expect(error.description == "\(file) is not a lanchat daemon's socket (it is a file, not a socket); check --socket or LANCHAT_SOCKET")
            #expect(try failure(connecting: directory).description.contains("(it is a directory)"))
        }
    }

    @Test func noPermissionSaysWhoseSocketItIsAndWhatToDo() {
        let system = ConnectFailure.permissionDenied(DefaultPaths.systemSocket, owner: nil, group: nil, user: "ann")
        #expect(system.contains("for members of the lanchat group; add yourself with `sudo usermod -aG lanchat ann` and log in again"))
        #expect(ConnectFailure.permissionDenied("/srv/chat.sock", owner: "lanchat", group: "lanchat", user: "ann") == system.replacingOccurrences(
            of: DefaultPaths.systemSocket, with: "/srv/chat.sock"))
        #expect(ConnectFailure.permissionDenied("/tmp/lanchat-1000/lanchat.sock", owner: "bob", group: "bob", user: "ann")
            .contains("it belongs to bob and group bob; use your own daemon"))
    }

    /// Without this user's own socket, the system service's is the one meant when it is there.
    @Test func theSystemSocketIsChosenWhenThisUserHasNone() throws {
        try withDirectory { directory in
            let environment = ["XDG_RUNTIME_DIR": directory]
            let system = "\(directory)/system.sock"
            #expect(DefaultPaths.clientSocket(environment: environment, system: system) == "\(directory)/lanchat/lanchat.sock")
            try "".write(toFile: system, atomically: true, encoding: .utf8)
            #expect(DefaultPaths.clientSocket(environment: environment, system: system) == system)
        }
    }
}
