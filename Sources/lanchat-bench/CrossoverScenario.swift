import Glibc
import LanChatCore

/// Where pushing down the relay tree starts to beat pushing to each peer. Measured here: what one push
/// datagram costs its sender (a burst of them through a UDP socket on loopback, as the daemon sends them),
/// what checking its entry costs a relaying node, and how deep the tree is at each size (the real
/// `RelayTree` over random positions). The network's one-way latency per hop is not measurable on one
/// machine: two values bound a LAN, a switched wire (0.1 ms) and Wi-Fi (1 ms).
struct CrossoverResult {
    struct Row {
        let nodes: Int
        let depth: Int
        /// Until the last peer has the datagram, per hop latency: sent one by one, and down the tree.
        let direct: [Double]
        let tree: [Double]
        /// What a burst to every peer puts in the socket's send buffer at once.
        let burstBytes: Int
    }

    let fanout: Int
    let datagramBytes: Int
    let sendMicros: Double
    let verifyMicros: Double
    let sendBufferBytes: Int
    let rows: [Row]

    static let hopLatencies = [0.1, 1.0]

    /// The smallest size at which the tree is faster, per hop latency; nil if none of those measured.
    var crossover: [Int?] {
        Self.hopLatencies.indices.map { index in rows.first { $0.tree[index] < $0.direct[index] }?.nodes }
    }
}

enum CrossoverScenario {
    static func run(sizes: [Int]) throws -> CrossoverResult {
        let fanout = ReplicationConfiguration(network: "lanchat").relayFanout
        let identity = LocalIdentity.generate()
        let entry = Entry.sign(
            by: identity, seq: 1, timestamp: HybridTimestamp(wallMillis: 1, counter: 0),
            content: .message(try EntryContent.Message(room: "general", body: String(repeating: "a typical line of chat ", count: 16))))
        let datagram = Datagram(network: "lanchat", sender: identity.id, body: .relay(entry, until: 0)).encoded()
        let (sendMicros, sendBuffer) = try measureSends(datagram, count: 20_000)
        let verifyMicros = 1e6 / SignatureRate.verificationsPerSecond(threads: 1)
        var random = SplitMix64(seed: 7)
        let rows = sizes.map { nodes in
            let depth = treeDepth(nodes: nodes, fanout: fanout, random: &random)
            let direct = CrossoverResult.hopLatencies.map { Double(nodes) * sendMicros / 1000 + $0 }
            let tree = CrossoverResult.hopLatencies.map { Double(depth) * ($0 + (verifyMicros + Double(fanout) * sendMicros) / 1000) }
            return CrossoverResult.Row(nodes: nodes, depth: depth, direct: direct, tree: tree, burstBytes: nodes * datagram.count)
        }
        return CrossoverResult(
            fanout: fanout, datagramBytes: datagram.count, sendMicros: sendMicros, verifyMicros: verifyMicros, sendBufferBytes: sendBuffer,
            rows: rows)
    }

    /// Microseconds per datagram over bursts of 100 to a socket that drains between bursts, and the send
    /// buffer the kernel grants for the daemon's request of 4 MB (`PeerTransport`).
    private static func measureSends(_ bytes: [UInt8], count: Int) throws -> (micros: Double, sendBuffer: Int) {
        let receiver = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        defer {
            close(receiver)
            close(sender)
        }
        var size: Int32 = 4 << 20
        setsockopt(receiver, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(sender, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(receiver, $0, length) == 0 && getsockname(receiver, $0, &length) == 0 }
        }
        guard receiver >= 0, sender >= 0, bound else { throw BenchError("cannot open the sockets to time sends: \(String(cString: strerror(errno)))") }
        var granted: Int32 = 0
        var grantedLength = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(sender, SOL_SOCKET, SO_SNDBUF, &granted, &grantedLength)
        var drain = [UInt8](repeating: 0, count: 2048)
        var elapsed: UInt64 = 0
        var sent = 0
        for _ in 0..<(count / 100) {
            let start = nowNanos()
            for _ in 0..<100 {
                let result = withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(sender, bytes, bytes.count, 0, $0, length) }
                }
                if result == bytes.count { sent += 1 }
            }
            elapsed += nowNanos() - start
            while recv(receiver, &drain, drain.count, 0) > 0 {}
        }
        guard sent > 0 else { throw BenchError("no datagram could be sent to time sends") }
        return (Double(elapsed) / 1000 / Double(sent), Int(granted))
    }

    /// Hops until the last peer has it, every node knowing every other, down the real tree from a random author.
    private static func treeDepth(nodes: Int, fanout: Int, random: inout SplitMix64) -> Int {
        let peers = (0..<nodes).map { (address: PeerAddress(host: "10.\($0 >> 16).\($0 >> 8 & 255).\($0 & 255)", port: 7420), position: random.next()) }
        let position = Dictionary(uniqueKeysWithValues: peers.map { ($0.address, $0.position) })
        var frontier = RelayTree.plan(from: random.next(), until: nil, peers: peers, fanout: fanout).map { ($0, 1) }
        var deepest = 0
        while let (send, depth) = frontier.popLast() {
            deepest = max(deepest, depth)
            guard let until = send.until, let at = position[send.to] else { continue }
            frontier += RelayTree.plan(from: at, until: until, peers: peers, fanout: fanout).map { ($0, depth + 1) }
        }
        return deepest
    }
}
