import Foundation
import LanChatClient
import LanChatControl
import LanChatCore
import Testing

/// Real daemons on loopback replicating to each other (no mDNS: seeds and peer exchange only).
@Suite("replication between daemons", .serialized)
struct ReplicationTests {
    @Test("5 nodes in a chain exchange messages, and a rename shows on old messages everywhere")
    func chainConverges() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let nodes = try await sandbox.startChain(5)
        var sent: Set<String> = []
        for (index, node) in nodes.enumerated() {
            sent.insert(try await node.send("hello from node \(index)").id ?? "")
        }
        for (index, node) in nodes.enumerated() {
            try await wait(until: { Set(try await node.history().compactMap(\.id)).isSuperset(of: sent) },
                           timeout: .seconds(15), "node \(index) to hold all 5 messages")
        }
        // Peer exchange: node 0 was given no peer, yet learns about all four others.
        try await wait(until: { try await nodes[0].peers().filter { $0.state == .alive && $0.id != nil }.count == 4 },
                       timeout: .seconds(15), "node 0 to know all four peers")

        let renamed = nodes[2]
        let renamedID = try await renamed.whoami().id
        _ = try await renamed.withControlClient { try $0.request(.name("Carol")) }
        for (index, node) in nodes.enumerated() {
            try await wait(until: {
                try await node.history().filter { $0.author.id == renamedID }.map(\.author.name) == ["Carol"]
            }, timeout: .seconds(15), "node \(index) to show node 2's old message under its new name")
        }
    }

    @Test("a node started after 2,000 messages holds all of them within seconds")
    func lateJoinerCatchesUp() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let first = try await sandbox.startNode("early")
        try await first.sendMany(2000, prefix: "backlog")
        let expected = try await first.status().entries
        let clock = ContinuousClock()
        let start = clock.now
        let late = try await sandbox.startNode("late", peers: [first])
        // Its own profile, plus everything the first node has.
        try await wait(until: { try await late.status().entries == expected + 1 }, timeout: .seconds(30),
                       "the late node to hold all \(expected) entries")
        let elapsed = clock.now - start
        let history = try await late.history(limit: 5000)
        #expect(history.count == 2000)
        #expect(Set(history.compactMap(\.body)).count == 2000)
        print("late joiner: \(expected) entries in \(elapsed) (start-up included)")
    }

    @Test("a 10 KiB message, too big for a datagram, arrives everywhere")
    func bigMessageArrives() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let nodes = try await sandbox.startChain(3)
        try await waitUntilMeshed(nodes)
        let body = String(repeating: "0123456789abcdef", count: 640)
        let id = try await nodes[0].send(body).id
        for (index, node) in nodes.enumerated() {
            try await wait(until: { try await node.history().contains { $0.id == id && $0.body == body } },
                           timeout: .seconds(10), "node \(index) to hold the 10 KiB message")
        }
    }

    @Test("a node killed with -9 goes offline, comes back alive on restart and catches up")
    func killedNodeReturns() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let nodes = try await sandbox.startChain(3)
        try await waitUntilMeshed(nodes)
        let victim = nodes[2]
        let victimID = try await victim.whoami().id
        let victimPort = try await victim.port()
        victim.signal(SIGKILL)
        try await victim.waitForExit()
        try await wait(until: { try await nodes[0].peers().contains { $0.id == victimID && $0.state == .offline } },
                       timeout: .seconds(15), "node 0 to see the killed node offline")
        let missed = try await nodes[0].send("while you were away").id

        let back = try await sandbox.startNode("n2", peers: [nodes[0]], port: victimPort)
        #expect(try await back.whoami().id == victimID)
        try await wait(until: { try await nodes[0].peers().contains { $0.id == victimID && $0.state == .alive } },
                       timeout: .seconds(15), "node 0 to see the restarted node alive again")
        try await wait(until: { try await back.history().contains { $0.id == missed } },
                       timeout: .seconds(15), "the restarted node to catch up what it missed")
    }

    @Test("daemons on different networks never exchange entries")
    func networksAreSeparate() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let alpha = try await sandbox.startNode("alpha", network: "alpha")
        let beta = try await sandbox.startNode("beta", peers: [alpha], network: "beta")
        // A second alpha node that also knows beta: the control that replication works at all here.
        let alpha2 = try await sandbox.startNode("alpha2", peers: [alpha, beta], network: "alpha")
        let alphaMessage = try await alpha.send("for alpha only").id
        try await beta.send("for beta only")
        try await wait(until: { try await alpha2.history().contains { $0.id == alphaMessage } }, timeout: .seconds(10),
                       "alpha's message to reach the other alpha node")
        // Both networks demonstrably received the other's packets, and ignored them.
        try await wait(until: { (try await alpha.status().counters.otherNetwork) >= 3 }, timeout: .seconds(10),
                       "alpha to receive and ignore beta's pings")
        try await wait(until: { (try await beta.status().counters.otherNetwork) >= 3 }, timeout: .seconds(10),
                       "beta to receive and ignore alpha2's pings")
        #expect(try await alpha.history().map(\.body) == ["for alpha only"])
        #expect(try await alpha2.history().map(\.body) == ["for alpha only"])
        #expect(try await beta.history().map(\.body) == ["for beta only"])
        #expect(try await beta.peers().allSatisfy { $0.id == nil })
        #expect(try await beta.status().entries == 2)  // its profile and its message
    }

    /// Every node knows every other as a verified, live peer.
    private func waitUntilMeshed(_ nodes: [Daemon]) async throws {
        for (index, node) in nodes.enumerated() {
            try await wait(until: {
                try await node.peers().filter { $0.state == .alive && $0.id != nil }.count == nodes.count - 1
            }, timeout: .seconds(15), "node \(index) to know all its peers")
        }
    }
}
