import Foundation
import LanChatControl
import Testing

/// A sync connection that sends nothing is closed after the idle timeout (10 s), not held for the
/// session's 120 s. Issue 9, finding 6. Loopback TCP only, no root.
@Suite("idle sync connections", .timeLimit(.minutes(1)))
struct IdleConnectionTests {
    /// A daemon, and a TCP connection to its port from 127.0.0.2 that has sent nothing yet.
    private func withConnectionFrom127002(_ body: (Daemon, Int32) async throws -> Void) async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let daemon = try await sandbox.startDaemon()
        let descriptor = try LoopbackNamespace.boundSocket(SOCK_STREAM, "127.0.0.2")
        defer { close(descriptor) }
        try Crafted.connect(descriptor, to: try await daemon.port())
        try await body(daemon, descriptor)
    }

    @Test("a connection that never says hello is closed after about 10 s")
    func anIdleConnectionIsClosed() async throws {
        try await withConnectionFrom127002 { daemon, descriptor in
            var timeout = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(
                descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let clock = ContinuousClock()
            let start = clock.now
            let (received, code) = await DedicatedThread.run {
                var byte: UInt8 = 0
                let count = recv(descriptor, &byte, 1, 0)
                return (count, count < 0 ? errno : 0)
            }
            let waited = clock.now - start
            #expect(
                received == 0 || code == ECONNRESET,
                "recv gave \(received), errno \(code) after \(waited): still open")
            #expect(waited >= .seconds(8) && waited < .seconds(15), "closed after \(waited)")
            #expect(daemon.isRunning)
        }
    }

    /// One byte every 2 s keeps the connection from being idle, but the handshake never ends.
    @Test(
        "a connection that trickles bytes without finishing the handshake is closed after about 10 s")
    func aTricklingHandshakeIsClosed() async throws {
        try await withConnectionFrom127002 { daemon, descriptor in
            let clock = ContinuousClock()
            let start = clock.now
            var closedAfter: Duration?
            // A frame length prefix announcing a large frame, then its bytes one at a time.
            let bytes: [UInt8] = [0, 0, 0x10, 0] + Array(repeating: 1, count: 20)
            for byte in bytes {
                var one = byte
                if send(descriptor, &one, 1, Int32(MSG_NOSIGNAL)) != 1 {
                    closedAfter = clock.now - start
                    break
                }
                var probe: UInt8 = 0
                if recv(descriptor, &probe, 1, Int32(MSG_DONTWAIT)) == 0 {
                    closedAfter = clock.now - start
                    break
                }
                try await Task.sleep(for: .seconds(2))
            }
            let after = try #require(closedAfter, "still open after \(clock.now - start)")
            #expect(after >= .seconds(9) && after < .seconds(15), "closed after \(after)")
            #expect(daemon.isRunning)
        }
    }
}
