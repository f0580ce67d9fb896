import Foundation

/// What a simulation run measured. Equal seeds and scenarios give equal reports.
public struct SimulationReport: Equatable, Sendable {
    /// What the replicators asked the network to carry, and what became of it.
    public struct Traffic: Equatable, Sendable {
        /// Every `.send` directive.
        public var datagramsSent = 0
        /// `.send` directives carrying a `.push` or `.relay` body.
        public var pushDatagrams = 0
        /// Those an author sent as it published.
        public var authorPushDatagrams = 0
        /// Dropped by the loss rate.
        public var datagramsLost = 0
        /// Dropped because sender and target were in different partition groups.
        public var datagramsPartitioned = 0
        /// Dropped because the target was down, had not joined, or is no node at all.
        public var datagramsUndeliverable = 0
        /// `.sync` directives.
        public var syncsStarted = 0
        public var syncsCompleted = 0
        public var syncsFailed = 0
        /// Of the failed syncs, those whose two sides were in different partition groups.
        public var syncsPartitioned = 0
        /// Completed syncs whose two sides already held the same vector.
        public var syncsIdle = 0
        /// Completed syncs that stopped at the per-session bound.
        public var syncsCut = 0
        /// Syncs whose initiator went down before they ended.
        public var syncsAbandoned = 0
        /// Of the failed syncs, those cancelled at the session timeout.
        public var syncsTimedOut = 0
        /// Frames carried by all syncs, both ways.
        public var syncFrames = 0
        /// Datagrams honest nodes dropped as malformed or badly signed.
        public var datagramsRejected = 0
        /// Datagrams honest nodes dropped unread, their sender over its rate.
        public var datagramsRateLimited = 0
    }

    /// Checked at the end of every run, on the honest nodes.
    public struct Invariants: Equatable, Sendable {
        /// Entries held that no node wrote (forgeries): must be 0.
        public var forgedEntriesStored: Int
        /// Every honest node that is up holds the same entries.
        public var honestNodesAgree: Bool
        /// Every bounded structure of every replicator that outgrew its bound.
        public var boundsExceeded: [String]

        public var hold: Bool { forgedEntriesStored == 0 && honestNodesAgree && boundsExceeded.isEmpty }
    }

    /// A node storing an entry it did not author, counted once per node and entry.
    public struct Deliveries: Equatable, Sendable {
        public var byPush = 0
        /// Pushed to a node that asked for it after a probe named it (`LazyPush`).
        public var byPull = 0
        public var bySync = 0
        public var total: Int { byPush + byPull + bySync }
    }

    /// Over messages: the time from publishing a message to its last delivery anywhere.
    public struct Latency: Equatable, Sendable {
        public var median: UInt64
        public var max: UInt64
    }

    /// Over messages: the hops (push or sync, node to node) of each one's last delivery.
    public struct Hops: Equatable, Sendable {
        public var median: Int
        public var max: Int
    }

    public struct Membership: Equatable, Sendable {
        /// Per crash, protocol periods until no up honest node held the crashed node alive or suspect; nil if never.
        public var detectionRounds: [Double?]
        /// Per crash, the up honest nodes that had verified the crashed node when it crashed: only they act on
        /// news of it and pass it on.
        public var verifiersAtCrash: [Int]
        /// Per crash, the up honest nodes still holding it alive or suspect when the run ended.
        public var holdersAtEnd: [Int]
        /// Of those, the ones that had verified it.
        public var verifiedHoldersAtEnd: [Int]
        /// Datagrams per up node per second in the scenario's quiet window, if it has one.
        public var idleDatagramsPerNodePerSecond: Double?
        public var lastDeliveryHops: Hops?

        /// Per crash, "rounds (verifiers at the crash)"; for one never detected, how many still held it and how many
        /// of those had verified it, instead of the rounds.
        public var perCrash: [String] {
            detectionRounds.indices.map { index in
                let rounds = detectionRounds[index].map { String(format: "%.0f", $0) }
                    ?? "\(holdersAtEnd[index]) still holding it, \(verifiedHoldersAtEnd[index]) of them its verifiers"
                return "\(rounds) (\(verifiersAtCrash[index]) verifiers)"
            }
        }
    }

    public var seed: UInt64
    public var nodes: Int
    /// Up when the run ended.
    public var upNodes: Int
    public var protocolPeriod: UInt64
    public var entriesPublished: Int
    /// Publish actions skipped because the chosen node was down.
    public var publishesSkipped: Int
    public var deliveries: Deliveries
    public var traffic: Traffic
    public var lastDeliveryLatency: Latency?
    /// The last disruption or message of the script (a restarted node's return counts).
    public var settledAt: UInt64
    /// When every up node's vector first equalled the vector of everything published; nil if never.
    public var convergedAt: UInt64?
    public var endedAt: UInt64
    /// Ed25519 checks of entries actually run: each distinct entry once.
    public var signatureChecks: Int
    public var invariants: Invariants
    /// The run stopped at its wall-clock budget, not at convergence or its deadline.
    public var budgetExceeded: Bool
    public var membership: Membership

    public var converged: Bool { convergedAt != nil }

    /// Push datagrams ÷ deliveries − 1: 0 is one datagram per delivery; negative when syncs delivered
    /// what push did not reach.
    public var redundancy: Double {
        deliveries.total == 0 ? 0 : Double(traffic.pushDatagrams) / Double(deliveries.total) - 1
    }

    public var pushDatagramsPerDelivery: Double {
        deliveries.total == 0 ? 0 : Double(traffic.pushDatagrams) / Double(deliveries.total)
    }

    public var datagramsPerDelivery: Double {
        deliveries.total == 0 ? 0 : Double(traffic.datagramsSent) / Double(deliveries.total)
    }

    public var pushFraction: Double {
        deliveries.total == 0 ? 0 : Double(deliveries.byPush) / Double(deliveries.total)
    }

    public var pullFraction: Double {
        deliveries.total == 0 ? 0 : Double(deliveries.byPull) / Double(deliveries.total)
    }

    /// Push datagrams per message published: what its author sent.
    public var authorDatagramsPerMessage: Double {
        entriesPublished == 0 ? 0 : Double(traffic.authorPushDatagrams) / Double(entriesPublished)
    }

    /// The slowest detection of a crash, in protocol periods; infinite if one was never detected, nil without crashes.
    public var roundsToDetectFailure: Double? {
        membership.detectionRounds.isEmpty ? nil : membership.detectionRounds.map { $0 ?? .infinity }.max()
    }

    /// Protocol periods from the last disruption to convergence.
    public var roundsToConverge: Double? {
        convergedAt.map { Double($0 - settledAt) / Double(protocolPeriod) }
    }
}

extension SimulationReport: CustomStringConvertible {
    public var description: String {
        let convergence: String
        if let convergedAt, let rounds = roundsToConverge {
            convergence = "converged at \(seconds(convergedAt)), \(seconds(convergedAt - settledAt)) after the last "
                + "disruption or message at \(seconds(settledAt)): \(fixed(rounds, 1)) rounds of \(protocolPeriod) ms"
        } else {
            convergence = "NOT converged by \(seconds(endedAt)) (last disruption or message at \(seconds(settledAt)))"
        }
        let latency = lastDeliveryLatency.map { "median \(seconds($0.median)), max \(seconds($0.max))" } ?? "no deliveries"
        let hops = membership.lastDeliveryHops.map { "; hops median \($0.median), max \($0.max)" } ?? ""
        let detection = roundsToDetectFailure.map {
            "\nfailure detection: \(membership.detectionRounds.count) crashes, all up nodes knew within \(fixed($0, 1)) rounds; "
                + "per crash: \(membership.perCrash.joined(separator: "; "))"
        } ?? ""
        let idle = membership.idleDatagramsPerNodePerSecond.map { "\nidle: \(fixed($0, 2)) datagrams per node per second" } ?? ""
        return """
            \(nodes) nodes (\(upNodes) up at the end), seed \(seed); \(entriesPublished) messages published\
            \(publishesSkipped > 0 ? " (\(publishesSkipped) skipped: node down)" : "")
            deliveries: \(deliveries.total), \(percent(pushFraction)) by push, \(percent(pullFraction)) by pull, \(percent(1 - pushFraction - pullFraction)) by sync
            push datagrams: \(traffic.pushDatagrams), \(fixed(pushDatagramsPerDelivery, 3)) per delivery \
            (relative message redundancy \(fixed(redundancy, 3)))
            all datagrams: \(traffic.datagramsSent) (\(fixed(datagramsPerDelivery, 1)) per delivery); \
            lost \(traffic.datagramsLost), across a partition \(traffic.datagramsPartitioned), \
            to no running node \(traffic.datagramsUndeliverable)
            syncs: \(traffic.syncsStarted) started, \(traffic.syncsCompleted) completed (\(traffic.syncsIdle) with \
            nothing to move, \(traffic.syncsCut) cut at the bound), \(traffic.syncsFailed) failed (\(traffic.syncsPartitioned) across a partition, \
            \(traffic.syncsTimedOut) timed out), \(traffic.syncsAbandoned) abandoned; \(traffic.syncFrames) frames
            hostile or broken datagrams refused: \(traffic.datagramsRejected) malformed or badly signed, \
            \(traffic.datagramsRateLimited) over their sender's rate; \(signatureChecks) signature checks in all
            invariants: \(invariants.forgedEntriesStored) forged entries stored, honest nodes \
            \(invariants.honestNodesAgree ? "agree" : "DISAGREE"), \
            \(invariants.boundsExceeded.isEmpty ? "every bound held" : "bounds exceeded: \(invariants.boundsExceeded.joined(separator: "; "))")\
            \(budgetExceeded ? "\nSTOPPED at its wall-clock budget" : "")
            last delivery of each message after publishing: \(latency)\(hops); \(fixed(authorDatagramsPerMessage, 1)) push datagrams by its author\(detection)\(idle)
            \(convergence)
            """
    }

    private func seconds(_ millis: UInt64) -> String { "\(fixed(Double(millis) / 1000, 2)) s" }

    private func percent(_ fraction: Double) -> String { "\(fixed(fraction * 100, 1))%" }

    private func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}
