@testable import LanChatCore

// Shared setup for the replicator tests: one node (identity 1) on `testNetwork`, peers at `address(n)`,
// and datagrams that go in as bytes, the only way a replicator takes them.

let testNetwork = "lanchat"

/// A distinct peer address per `n` (up to 65,535).
func address(_ n: Int) -> PeerAddress {
    PeerAddress(host: "10.0.\(n / 256).\(n % 256)", port: 7420)
}

/// The node under test: identity 1, seed 7, default settings unless `adjust` changes them.
func makeReplicator(
    vector: SyncVector = SyncVector(), _ adjust: (inout ReplicationConfiguration) -> Void = { _ in }
) throws -> Replicator {
    var configuration = ReplicationConfiguration(network: testNetwork)
    adjust(&configuration)
    return Replicator(configuration: configuration, identity: try identity(1), incarnation: 1_000, seed: 7, vector: vector)
}

/// A vector of one tip per author at these seqs, with made-up hashes.
func heads(_ seqs: [AuthorID: UInt64]) -> SyncVector {
    SyncVector(heads: seqs.mapValues { tip($0) })
}

/// A completed sync with `peer`: what the replicator is told after a handshake proved the ID.
func syncResult(_ peer: AuthorID, port: UInt16 = 0, received: Int = 0, sent: Int = 0, more: Bool = false) -> SyncResult {
    SyncResult(peer: peer, peerPort: port, received: received, sent: sent, peerHasMore: more)
}

extension Replicator {
    /// A probe as this node's peers would send it; by default in agreement with this node's vector.
    func probe(
        id: UInt32 = 9, digest: UInt64? = nil, total: UInt64? = nil, hints: [PeerHint] = [], updates: [MembershipUpdate] = [],
        recent: [EntryKey] = []
    ) -> Datagram.Probe {
        Datagram.Probe(id: id, digest: digest ?? vector.digest, total: total ?? vector.total, hints: hints, updates: updates, recent: recent)
    }

    /// Encodes and receives a datagram, as the shell does with what arrives over UDP.
    @discardableResult
    mutating func deliver(
        _ body: Datagram.Body, from sender: AuthorID, at address: PeerAddress, now: UInt64, network: String = testNetwork
    ) -> [Directive] {
        receive(Datagram(network: network, sender: sender, body: body).encoded(), from: address, now: now)
    }

    /// A ping in agreement with our vector: the peer is alive and nothing needs syncing but its ID.
    mutating func hear(_ sender: AuthorID, at address: PeerAddress, now: UInt64) {
        deliver(.ping(probe()), from: sender, at: address, now: now)
    }

    /// Our own ping came back from `address`, and the sync it opened proved our ID with our token: it is ours.
    mutating func learnOwnAddress(_ address: PeerAddress, now: UInt64) {
        hear(selfID, at: address, now: now)
        syncFinished(with: address, outcome: .itself, now: now)
    }

    /// The peer answered pings and proved its ID in a sync that ended at `now`.
    mutating func verify(_ peer: AuthorID, at address: PeerAddress, now: UInt64) {
        hear(peer, at: address, now: now)
        syncFinished(with: address, outcome: .completed(syncResult(peer)), now: now)
    }

    /// A sync with the verified peer at `address` fails at `now`, and the probe that doubt sends goes unanswered:
    /// the peer is suspect, since `now`, after the ticks of two periods.
    mutating func silence(_ address: PeerAddress, now: UInt64) {
        syncFinished(with: address, outcome: .failed, now: now)
        for period: UInt64 in [1, 2] { _ = tick(now: now + period * configuration.protocolPeriod) }
    }
}

extension [Datagram.Body] {
    /// The membership news of the pings and acks among them.
    var updates: [MembershipUpdate] {
        flatMap { body -> [MembershipUpdate] in
            switch body {
            case .ping(let probe), .ack(let probe): probe.updates
            default: []
            }
        }
    }
}

extension [Replicator.Directive] {
    /// The membership news every ping and ack carried.
    var news: [MembershipUpdate] { sent.map(\.body).updates }

    /// The hosts hinted in the acks sent to `recipient`, as it decodes them (zones stay off the wire).
    func hintedHosts(to recipient: PeerAddress) throws -> Set<String> {
        var hosts: Set<String> = []
        for case .send(let datagram, recipient) in self {
            guard case .ack(let probe) = try Datagram.decode(datagram.encoded()).body else { continue }
            hosts.formUnion(probe.hints.map(\.address.host))
        }
        return hosts
    }

    /// Where `.sync` directives point.
    var syncs: [PeerAddress] {
        compactMap { if case .sync(let address) = $0 { address } else { nil } }
    }

    /// The datagram bodies sent, with their recipients.
    var sent: [(body: Datagram.Body, to: PeerAddress)] {
        compactMap { if case .send(let datagram, let to) = $0 { (datagram.body, to) } else { nil } }
    }

    /// The indirect probes of `target`: the helper asked and the probe ID it was given.
    func pingRequests(for target: PeerAddress) -> [(helper: PeerAddress, probeID: UInt32)] {
        sent.compactMap { body, to in
            if case .pingRequest(let id, target) = body { (to, id) } else { nil }
        }
    }
}
