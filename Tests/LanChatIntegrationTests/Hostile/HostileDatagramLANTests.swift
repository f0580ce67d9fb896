import Foundation
import LanChatControl
import LanChatCore
import Testing

/// Crafted datagrams and connections against real daemons, inside a network namespace that has only
/// loopback (root; runs with the LAN tests). Issue 9, findings 2, 3 and 6.
@Suite("hostile input against daemons, in a loopback-only namespace", .serialized, .timeLimit(.minutes(2)))
struct HostileDatagramLANTests {
    @Test("a ping hinting 127.255.255.255 and a ping request for it do not stop replication; the failed sends are counted")
    func aBroadcastHintDoesNotStopReplication() async throws {
        try await LoopbackNamespace.with { namespace in
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let a = try await namespace.startDaemon("a", in: sandbox)
            let portA = try await a.port()
            let b = try await namespace.startDaemon("b", in: sandbox, ["--peer", "127.0.0.1:\(portA)"])
            for node in [a, b] {
                try await wait(until: { try await node.verifiedPeers().count == 1 }, "a and b to verify each other")
            }

            let attacker = try namespace.socket(SOCK_DGRAM, bindingTo: "127.0.0.1")
            defer { close(attacker) }
            let claimed = LocalIdentity.generate().id
            for host in ["127.255.255.255", "255.255.255.255", "224.0.0.1", "0.0.0.0"] {
                let target = PeerAddress(host: host, port: UInt16(portA))
                try Crafted.send(Crafted.ping(hints: [PeerHint(id: claimed, address: target)]), from: attacker, to: portA)
                try Crafted.send(Crafted.datagram(.pingRequest(probeID: 7, target: target)), from: attacker, to: portA)
            }
            // It has probed what it was told once a send to it failed (a probe per 200 ms period, a ping request at once).
            try await wait(until: { try await a.status().counters.sendErrors >= 1 }, "a to probe the broadcast address")

            // Replication goes on both ways.
            let fromB = try await b.send("from b after the attack").id ?? ""
            let fromA = try await a.send("from a after the attack").id ?? ""
            try await wait(until: {
                let (atA, atB) = (try await a.holds([fromB]), try await b.holds([fromA]))
                return atA && atB
            }, "both messages everywhere (a's log:\n\(a.log))")
            #expect(a.isRunning && b.isRunning)
            // 127.255.255.255 came over loopback, so it was probed, and the kernel refused (EACCES); the rest were refused.
            let counters = try await a.status().counters
            #expect(counters.sendErrors >= 1, "\(counters)")
            #expect(counters.addressesRefused >= 6, "\(counters)")
        }
    }

    @Test("a ping whose total is 2^64-1, then lanchat peers: the daemon answers and stays up")
    func aHugeTotalDoesNotCrashPeers() async throws {
        try await LoopbackNamespace.with { namespace in
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let paths = sandbox.nodePaths("a")
            let a = try await namespace.startDaemon("a", in: sandbox)
            let port = try await a.port()
            let attacker = try namespace.socket(SOCK_DGRAM, bindingTo: "127.0.0.1")
            defer { close(attacker) }
            try Crafted.send(Crafted.ping(total: .max, digest: .max), from: attacker, to: port)
            try await wait(until: { try await a.peers().count == 1 }, "a to record the crafted peer")
            for arguments in [["peers", "--json"], ["peers"], ["status"], ["doctor", "--json"]] {
                let result = try await sandbox.lanchat(arguments, socket: paths.socket)
                #expect(result.status != 3 && result.reason == .exit, "lanchat \(arguments.joined(separator: " ")): \(result)")
                if arguments == ["peers", "--json"] { #expect(result.succeeded, "\(result)") }
            }
            #expect(a.isRunning, "log:\n\(a.log)")
            #expect(try await a.whoami().id.isEmpty == false)
        }
    }

    /// 40 idle connections from 127.0.0.2 take at most 4 of b's 32 inbound slots, so a's sync gets in
    /// long before the idle timeout (10 s) would free them. a's own slots are all taken (8 hosts x 4), so
    /// the messages can only come by a's sync into b, and they were written before the two met, so not by push.
    @Test("idle connections from one address do not block another peer's sync")
    func slowlorisFromOneAddressDoesNotBlockSyncs() async throws {
        try await LoopbackNamespace.with { namespace in
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let a = try await namespace.startDaemon("a", in: sandbox)
            let b = try await namespace.startDaemon("b", in: sandbox)
            var ids: Set<String> = []
            for index in 0..<3 { ids.insert(try await b.send("before they met \(index)").id ?? "") }
            let (portA, portB) = (try await a.port(), try await b.port())

            let clock = ContinuousClock()
            let opened = clock.now
            var idle: [Int32] = []
            defer { for descriptor in idle { close(descriptor) } }
            for index in 0..<32 {
                let descriptor = try namespace.socket(SOCK_STREAM, bindingTo: "127.0.0.\(10 + index / 4)")
                idle.append(descriptor)
                try Crafted.connect(descriptor, to: portA)
            }
            for _ in 0..<40 {
                let descriptor = try namespace.socket(SOCK_STREAM, bindingTo: "127.0.0.2")
                idle.append(descriptor)
                try Crafted.connect(descriptor, to: portB)
            }
            // Introduce b to a: a ping from loopback hinting b's address.
            let introducer = try namespace.socket(SOCK_DGRAM, bindingTo: "127.0.0.1")
            defer { close(introducer) }
            guard let idB = AuthorID(text: try await b.whoami().id) else { throw HarnessError("b's ID does not parse") }
            let hint = PeerHint(id: idB, address: PeerAddress(host: "127.0.0.1", port: UInt16(portB)))
            try Crafted.send(Crafted.ping(hints: [hint]), from: introducer, to: portA)

            try await wait(until: { try await a.holds(ids) }, timeout: .seconds(8), "a to sync b's messages (b's log:\n\(b.log))")
            #expect(clock.now - opened < .seconds(9), "the idle connections may have timed out first")
            let counters = try await b.status().counters
            #expect(counters.inboundSyncs >= 1, "\(counters)")
            #expect(counters.inboundSyncsRefused >= 36, "\(counters)")
        }
    }
}
