import Foundation
import LanChatControl
import LanChatCore
import Testing

/// A node that speaks only a later protocol version opens a sync: the daemon answers with the versions
/// it speaks instead of closing silently, and names the node in `peers` and `doctor`. Loopback TCP, no root.
@Suite("protocol versions meet", .timeLimit(.minutes(1)))
struct VersionMeetingTests {
    @Test("a node of version 3 only is answered with this node's versions, and listed by peers and doctor")
    func aNodeOfAnotherVersionIsAnsweredAndListed() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let daemon = try await sandbox.startDaemon()
        let descriptor = try LoopbackNamespace.boundSocket(SOCK_STREAM, "127.0.0.1")
        defer { close(descriptor) }
        try Crafted.connect(descriptor, to: try await daemon.port())
        // Version 3's hello: its list and listen port (7421), which every version reads, then what version 3 defines.
        try Crafted.sendFrame([1, 1, 3, 0x1c, 0xfd] + [UInt8](repeating: 0x33, count: 40), on: descriptor)
        let reply = try await DedicatedThread.run { try Crafted.receiveFrame(on: descriptor) }
        // The reply's list alone: a node of version 3 reads it, and learns what this one speaks.
        #expect(reply == SyncFrame.helloReply(versions: ProtocolVersions.spoken, nil).encoded())

        try await wait(
            until: { try await daemon.peers().contains { $0.address == "127.0.0.1:7421" } }, "the node of version 3 in peers")
        let peers = try await sandbox.lanchat(["peers", "--json"], socket: daemon.socketPath)
        let listed = try peers.decoded(PeerInfo.self).first { $0.address == "127.0.0.1:7421" }
        #expect(listed?.protocolVersion == 3, "\(peers)")
        let human = try await sandbox.lanchat(["peers"], socket: daemon.socketPath)
        #expect(human.stdout.contains("other version (protocol 3)"), "\(human)")
        let doctor = try await sandbox.lanchat(["doctor", "--json"], socket: daemon.socketPath)
        let versions = try doctor.decoded(DoctorCheck.self).first { $0.check == "versions" }
        #expect(versions?.status == .problem && versions?.items == ["127.0.0.1:7421 speaks protocol 3"], "\(doctor)")
        #expect(doctor.status == 1, "doctor exits 1 on a problem: \(doctor)")
        #expect(daemon.isRunning)
    }
}
