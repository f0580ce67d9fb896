import Foundation
import LanChatControl
import Testing

/// Several daemons on one machine (the system service and people's own): the default port, taken, gives
/// way to a free one; a port asked for and taken is a clear error. In a namespace of its own (root; runs
/// with the LAN tests), where nothing else holds port 7420.
@Suite("the default port, taken", .serialized, .timeLimit(.minutes(1)))
struct DefaultPortLANTests {
    @Test("a second daemon on the default port takes a free one and says so; one asking for the taken port fails clearly")
    func theDefaultPortGivesWay() async throws {
        try await LoopbackNamespace.with { namespace in
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let (second, third) = (sandbox.nodePaths("second"), sandbox.nodePaths("third"))
            let system = try await namespace.startDaemon("first", in: sandbox, defaultPort: true)
            #expect(try await system.status().port == 7420)
            #expect(try await system.status().portTaken == nil)

            let personal = try await namespace.startDaemon("second", in: sandbox, defaultPort: true)
            let status = try await personal.status()
            #expect(status.port != 7420 && status.port > 0)
            #expect(status.portTaken == 7420)
            #expect(personal.log.contains("port 7420 is taken (another lanchatd on this machine?): taking a free port"))
            let shown = try await sandbox.lanchat(["status"], socket: second.socket)
            #expect(shown.stdout.contains("(port \(status.port); 7420 was taken)"), "\(shown)")

            let asked = try sandbox.spawnDaemon(
                stateDir: third.stateDir, socket: third.socket, extraArguments: ["--port", "7420"], launcher: namespace.launcher, defaultPort: true)
            let exit = try await asked.waitForExit()
            #expect(exit.status == 1)
            #expect(asked.log.contains("lanchatd: port 7420 is taken, by another lanchatd perhaps (UDP or TCP): choose another with --port"))
        }
    }
}
