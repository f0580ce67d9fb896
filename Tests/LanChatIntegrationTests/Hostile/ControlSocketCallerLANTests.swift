import Foundation
import LanChatControl
import Testing

/// The daemon asks the kernel who connected to its control socket and serves only its own user, root
/// and, where the socket's mode lets its group in, members of that group; anyone else reads one line
/// naming the fix, also where the socket's mode was loosened by hand. Root: the CLI runs as another
/// user (`setpriv`); runs with the LAN tests.
@Suite("control socket callers, as other users", .serialized, .timeLimit(.minutes(1)))
struct ControlSocketCallerLANTests {
    private static let nobody = "65534"
    private static let group = "4242"

    /// `lanchat --socket SOCKET status` (or other arguments) as `nobody`, with these extra `setpriv` options.
    private func statusAsNobody(
        _ sandbox: Sandbox, groups: [String], _ arguments: [String] = ["status"], stdin: Data? = nil, socket: String? = nil
    ) async throws -> ProcessResult {
        guard geteuid() == 0 else { throw HarnessError("the control socket caller tests need root (they run the CLI as another user): run `make test` as root") }
        let identity = ["--reuid", Self.nobody, "--regid", Self.nobody] + (groups.isEmpty ? ["--clear-groups"] : ["--groups", groups.joined(separator: ",")])
        // A copy beside the socket: the build directory may sit where only root may enter (/root).
        let client = "\(sandbox.root)/lanchat"
        if !FileManager.default.fileExists(atPath: client) {
            try FileManager.default.copyItem(atPath: try Binaries.lanchat().path, toPath: client)
            #expect(chmod(client, 0o755) == 0)
        }
        return try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/setpriv"), identity + [client, "--socket", socket ?? sandbox.socketPath] + arguments, stdin: stdin)
    }

    @Test("another user is refused by the daemon with the fix, even through a socket whose mode was loosened by hand")
    func anotherUserIsRefused() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        _ = try await sandbox.startDaemon()
        // What a careless admin might do: let everyone reach the socket.
        #expect(chmod(sandbox.root, 0o755) == 0 && chmod(sandbox.socketPath, 0o666) == 0)
        let refused = try await statusAsNobody(sandbox, groups: [])
        #expect(refused.status == ClientExitStatus.noPermission.rawValue, "\(refused)")
        #expect(refused.stderr.contains("uid 65534 may not use this daemon's control socket"), "\(refused)")
        #expect(refused.stdout.isEmpty)
        #expect(try await sandbox.lanchat("status").status == 0, "its own user is served")
    }

    @Test("a member of the socket's group is served (the system service), by a supplementary group too")
    func aMemberOfTheSocketsGroupIsServed() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        // As under the system unit: the daemon runs with the service's group, which owns the socket's
        // directory and so the socket.
        #expect(chown(sandbox.root, 0, gid_t(Self.group)!) == 0 && chmod(sandbox.root, 0o750) == 0)
        _ = try await sandbox.startDaemon(
            extraArguments: ["--socket-mode", "0660"], launcher: ["/usr/bin/setpriv", "--regid", Self.group, "--clear-groups"])
        let member = try await statusAsNobody(sandbox, groups: [Self.group])
        #expect(member.status == 0, "\(member)")
        // The group speaks as the identity; it may not take its key, nor link devices to it.
        for arguments in [["identity", "export"], ["link"]] {
            let refused = try await statusAsNobody(sandbox, groups: [Self.group], arguments, stdin: Data("a long passphrase\n".utf8))
            #expect(refused.status == ClientExitStatus.noPermission.rawValue, "\(refused)")
            #expect(refused.stderr.contains("only the daemon's own user or root may"), "\(refused)")
            #expect(refused.stdout.isEmpty)
        }
        // Not a member: the socket's mode refuses first, and the CLI says so, with the fix.
        let stranger = try await statusAsNobody(sandbox, groups: [])
        #expect(stranger.status == ClientExitStatus.noPermission.rawValue, "\(stranger)")
        #expect(stranger.stderr.contains("permission denied on \(sandbox.socketPath): it belongs to root and group \(Self.group);"), "\(stranger)")
    }

    /// The directory the socket is in may be closed to this user too (the system service's is 0750): the
    /// socket is there all the same, and the CLI must not say that no daemon runs.
    @Test("a socket in a directory another user may not enter is a permission problem, not a missing daemon")
    func aClosedDirectoryIsNoPermission() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        // The sandbox stays open to enter (the CLI's copy is there); the daemon's socket is in a directory of it that is not.
        #expect(chmod(sandbox.root, 0o711) == 0)
        let closed = "\(sandbox.root)/closed"
        #expect(mkdir(closed, 0o700) == 0)
        _ = try await sandbox.startDaemon(socket: "\(closed)/lanchat.sock")
        let refused = try await statusAsNobody(sandbox, groups: [], socket: "\(closed)/lanchat.sock")
        #expect(refused.status == ClientExitStatus.noPermission.rawValue, "\(refused)")
        #expect(refused.stderr.contains("permission denied on \(closed)/lanchat.sock"), "\(refused)")
    }
}
