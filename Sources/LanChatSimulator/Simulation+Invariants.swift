import LanChatCore

/// What must hold after every run, whatever the adversaries did.
extension Simulation {
    func invariants() -> SimulationReport.Invariants {
        let honest = nodes.filter(\.isHonest)
        let forged = honest.reduce(0) { count, node in
            count + node.store.allEntries.count { published[$0.hash] == nil }
        }
        let up = honest.filter(\.isUp)
        let agree = up.allSatisfy {
            $0.store.count == up.first?.store.count && $0.store.fingerprint == up.first?.store.fingerprint
        }
        var exceeded: [String] = []
        for node in nodes where node.isUp {
            guard let replicator = node.replicator else { continue }
            let footprint = replicator.footprint
            for (name, value, limit) in [
                ("peer table", footprint.peers, Replicator.Footprint.maxPeers),
                ("self addresses", footprint.selfAddresses, Replicator.Footprint.maxSelfAddresses),
                ("outstanding probes", footprint.outstandingProbes, Replicator.Footprint.maxOutstandingProbes),
                ("rate-limited sources", footprint.rateLimitedSources, Replicator.Footprint.maxRateLimitedSources),
                ("inbound syncs", footprint.inboundSessions, configuration.sync.maxInboundSessions),
                ("queued membership news", footprint.queuedNews, Replicator.Footprint.maxQueuedNews),
            ] where value > limit {
                exceeded.append("node \(node.index): \(name) \(value) > \(limit)")
            }
        }
        return SimulationReport.Invariants(
            forgedEntriesStored: forged, honestNodesAgree: agree, boundsExceeded: exceeded)
    }
}
