import LanChatCore

/// What the report says about failure detection, idle traffic and the paths entries took.
extension Simulation {
    /// A crashed node is detected once no up honest node holds it alive or suspect (forgetting it counts).
    mutating func checkDetection() {
        for index in crashes.indices where crashes[index].detectedAt == nil && holders(of: crashes[index].node) == 0 {
            crashes[index].detectedAt = now
        }
        if crashes.contains(where: { $0.detectedAt == nil }) { schedule(.checkDetection, at: now + configuration.protocolPeriod) }
    }

    mutating func markQuietWindow(ends: Bool) {
        if ends {
            quietDatagrams = traffic.datagramsSent - (quietWindowStart ?? traffic.datagramsSent)
        } else {
            quietWindowStart = traffic.datagramsSent
        }
    }

    /// Up honest nodes that hold `node` alive or suspect; `verified`: only those that verified its ID.
    private func holders(of node: Int, verified: Bool = false) -> Int {
        count(knowing: node) { record, id in record.state != .offline && (!verified || record.verifiedID == id) }
    }

    /// Up honest nodes that have verified `node`'s ID at its address.
    func verifiers(of node: Int) -> Int {
        count(knowing: node) { record, id in record.verifiedID == id }
    }

    /// Up honest nodes whose record of `node`'s address passes `counts`, given that record and `node`'s ID.
    private func count(knowing node: Int, _ counts: (PeerRecord, AuthorID) -> Bool) -> Int {
        let (address, id) = (nodes[node].address, nodes[node].id)
        return nodes.count { other in
            guard other.isUp, other.isHonest, let record = other.replicator?.peer(at: address) else { return false }
            return counts(record, id)
        }
    }

    func membershipReport() -> SimulationReport.Membership {
        let lastHops = lastDeliveryHops.values.sorted()
        var idle: Double?
        if let window = scenario.quietWindow, let quietDatagrams, window.upperBound > window.lowerBound {
            let up = nodes.count(where: \.isUp)
            idle = Double(quietDatagrams) / Double(max(up, 1)) / (Double(window.upperBound - window.lowerBound) / 1000)
        }
        return SimulationReport.Membership(
            detectionRounds: crashes.map { crash in
                crash.detectedAt.map { Double($0 - crash.at) / Double(configuration.protocolPeriod) }
            },
            verifiersAtCrash: crashes.map(\.verifiers),
            holdersAtEnd: crashes.map { holders(of: $0.node) },
            verifiedHoldersAtEnd: crashes.map { holders(of: $0.node, verified: true) },
            idleDatagramsPerNodePerSecond: idle,
            lastDeliveryHops: lastHops.isEmpty ? nil : SimulationReport.Hops(median: lastHops[(lastHops.count - 1) / 2], max: lastHops[lastHops.count - 1]))
    }
}
