import LanChatCore

/// What adversarial nodes do on top of running the real replicator.
extension Simulation {
    /// Datagrams a replayer keeps, oldest dropped first.
    static let replayCapacity = 64

    mutating func misbehave(_ adversary: Adversary, at node: Int) {
        let targets = (nodes[node].replicator?.peers ?? []).filter { $0.state != .offline }.map(\.address)
        guard !targets.isEmpty else { return }
        switch adversary {
        case .forger:
            guard let forgery = forgedEntry(by: node, claimedIn: false) else { return }
            let datagram = Datagram(network: configuration.network, sender: nodes[node].id, body: .push(forgery))
            traffic.datagramsSent += 1
            send(datagram.encoded(), from: node, to: targets[random.below(targets.count)])
        case .replayer:
            for bytes in nodes[node].captured.suffix(8) {
                send(bytes, from: node, to: targets[random.below(targets.count)])
            }
        case .flooder(let count):
            let target = targets[random.below(targets.count)]
            for _ in 0..<count {
                send(Datagram.magic + random.bytes32(), from: node, to: target)
            }
        case .slanderer:
            let known = (nodes[node].replicator?.peers ?? []).filter { $0.state != .offline }.compactMap { record in
                record.verifiedID.map { MembershipUpdate(.suspect, subject: $0, incarnation: record.incarnation, address: record.address) }
            }
            guard !known.isEmpty else { return }
            for _ in 0..<Self.slandererTargets {
                let slander = (0..<Datagram.maxUpdates).map { _ in known[random.below(known.count)] }
                let probe = Datagram.Probe(id: UInt32(truncatingIfNeeded: random.next()), digest: 0, total: 0, hints: [], updates: slander)
                transmit(Datagram(network: configuration.network, sender: nodes[node].id, body: .ping(probe)), from: node, to: targets[random.below(targets.count)])
            }
        case .staller, .impostor:
            break  // they misbehave in syncs and in what they send
        }
    }

    /// Peers a slanderer tells each period.
    static let slandererTargets = 4

    /// The entry a forger passes off as another node's: a real entry of its own, relabelled with the
    /// victim's ID, so its signature cannot verify. `claimedIn`: at the seq its forged vector claims.
    func forgedEntry(by forger: Int, claimedIn: Bool) -> Entry? {
        guard let victim = forgeryVictim(of: forger) else { return nil }
        let seq = claimedIn ? nodes[forger].store.syncVector.highestSeq(of: nodes[victim].id) + 1 : UInt64(now % 1000 + 1)
        let genuine = Entry.sign(
            by: nodes[forger].identity, seq: seq, timestamp: HybridTimestamp(wallMillis: Self.epochMillis + now, counter: 0),
            links: seq > 1 ? [AuthorTip(seq: seq - 1, hash: EntryHash(of: [UInt8(truncatingIfNeeded: seq)]))] : [],
            content: .profile(name: "forged"))
        var bytes = genuine.encoded
        bytes.replaceSubrange(1...AuthorID.byteCount, with: nodes[victim].id.bytes)
        return try? Entry.decode(bytes, verifySignature: false)
    }

    /// A forger's sync vector claims one entry more of its victim than it holds, so the forgery it
    /// sends is within what it offered and only its signature can give it away.
    func forgedClaim(in vector: SyncVector, by forger: Int) -> SyncVector {
        guard let forgery = forgedEntry(by: forger, claimedIn: true) else { return vector }
        var tips = vector.tips
        tips[forgery.author] = [forgery.tip]
        return SyncVector(tips)
    }

    private func forgeryVictim(of forger: Int) -> Int? {
        let honest = nodes.indices.filter { $0 != forger && nodes[$0].isHonest }
        return honest.isEmpty ? nil : honest[Int(now / configuration.protocolPeriod) % honest.count]
    }
}

extension SimulatedNode {
    mutating func capture(_ bytes: [UInt8]) {
        captured.append(bytes)
        if captured.count > Simulation.replayCapacity { captured.removeFirst() }
    }
}
