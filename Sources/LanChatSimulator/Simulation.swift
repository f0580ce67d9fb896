import HeapModule
import LanChatCore

/// Drives one `Replicator` per simulated node in memory, on a virtual clock, through a `Scenario`.
/// Every random choice comes from one `SplitMix64` seeded by the scenario, and events at the same
/// virtual time run in the order they were scheduled: the same scenario gives the same report.
public struct Simulation {
    public static let network = "sim"
    public static let port: UInt16 = 7420
    /// Wall-clock milliseconds at virtual time zero (2026-01-01), for entry timestamps.
    static let epochMillis: UInt64 = 1_767_225_600_000

    public let scenario: Scenario
    private var nodes: [SimulatedNode]
    private var nodeAt: [PeerAddress: Int] = [:]
    /// Node IDs by index, and the other way round.
    private var ids: [AuthorID] = []
    private var nodeOf: [AuthorID: Int] = [:]
    private var queue = Heap<ScheduledEvent>()
    private var scheduled: UInt64 = 0
    private var random: SplitMix64
    private var now: UInt64 = 0
    /// Partition group of each node; all zero when the network is whole.
    private var group: [Int]
    /// Everything published so far: what every node must end up holding.
    private var everything = VersionVector()
    private var publishedAt: [MessageKey: UInt64] = [:]
    private var lastDeliveryAt: [MessageKey: UInt64] = [:]
    private var deliveries = SimulationReport.Deliveries()
    private var traffic = SimulationReport.Traffic()
    private var publishesSkipped = 0
    private var convergedAt: UInt64?
    private let message: EntryContent
    private let protocolPeriod: UInt64

    private enum Channel { case push, sync }

    /// An entry's key with its author as a node index: cheaper to hash than an `EntryKey`.
    private struct MessageKey: Hashable {
        let author: Int
        let seq: UInt64
    }

    public init(scenario: Scenario) throws {
        precondition(scenario.nodeCount > 0, "a simulation needs nodes")
        self.scenario = scenario
        random = SplitMix64(seed: scenario.seed)
        nodes = []
        nodes.reserveCapacity(scenario.nodeCount)
        for index in 0..<scenario.nodeCount {
            // Derived from the seed, not generated, so that IDs (and the order of everything keyed by them) repeat.
            let identity = try LocalIdentity(seed: random.bytes32())
            nodes.append(SimulatedNode(index: index, identity: identity))
            nodeAt[nodes[index].address] = index
            ids.append(identity.id)
            nodeOf[identity.id] = index
        }
        group = Array(repeating: 0, count: scenario.nodeCount)
        message = .message(try EntryContent.Message(room: "general", body: "hello from the simulator"))
        protocolPeriod = Replicator.Configuration(network: Self.network, selfID: nodes[0].id, seed: 0).protocolPeriod
        for timed in scenario.actions {
            schedule(.action(timed.action), at: timed.time)
        }
        schedule(.checkConvergence, at: scenario.settledAt + scenario.convergenceCheckInterval)
    }

    /// Builds and runs a simulation of the scenario.
    public static func run(_ scenario: Scenario) throws -> SimulationReport {
        var simulation = try Simulation(scenario: scenario)
        return simulation.run()
    }

    /// Plays the scenario until the network converges after its last action, or until the deadline.
    public mutating func run() -> SimulationReport {
        while convergedAt == nil, let next = queue.popMin(), next.time <= scenario.deadline {
            now = next.time
            handle(next.event)
        }
        return report()
    }

    // MARK: What tests may look at after a run

    public func id(ofNode index: Int) -> AuthorID { ids[index] }

    /// What the node's replicator holds, or nil while it is down.
    public func vector(ofNode index: Int) -> VersionVector? { nodes[index].replicator?.vector }

    // MARK: Events

    private mutating func schedule(_ event: SimulationEvent, at time: UInt64) {
        queue.insert(ScheduledEvent(time: time, order: scheduled, event: event))
        scheduled += 1
    }

    private mutating func handle(_ event: SimulationEvent) {
        switch event {
        case .action(let action): perform(action)
        case .tick(let node, let incarnation): tick(node, incarnation: incarnation)
        case .deliver(let datagram, let sender, let node): deliver(datagram, from: sender, to: node)
        case .finishSync(let initiator, let incarnation, let responder):
            finishSync(initiator: initiator, incarnation: incarnation, responder: responder)
        case .comeBack(let node): start(node)
        case .checkConvergence: checkConvergence()
        }
    }

    private mutating func perform(_ action: Scenario.Action) {
        switch action {
        case .join(let node, let seeds):
            guard !nodes[node].isUp else { return }
            nodes[node].seeds = seeds
            start(node)
        case .publish(let choice):
            guard let node = pick(choice) else {
                publishesSkipped += 1
                return
            }
            publish(from: node)
        case .partition(let groups):
            group = Array(repeating: 0, count: nodes.count)
            for (number, members) in groups.enumerated() {
                for node in members { group[node] = number + 1 }
            }
        case .heal:
            group = Array(repeating: 0, count: nodes.count)
        case .restart(let choice, let downtime):
            guard let node = pick(choice) else { return }
            stop(node)
            schedule(.comeBack(node: node), at: now + downtime)
        }
    }

    /// The chosen node if it is up.
    private mutating func pick(_ choice: Scenario.NodeChoice) -> Int? {
        switch choice {
        case .node(let node):
            return nodes[node].isUp ? node : nil
        case .randomUp:
            let up = nodes.indices.filter { nodes[$0].isUp }
            return up.isEmpty ? nil : up[random.below(up.count)]
        }
    }

    // MARK: Node lifecycle

    /// A fresh replicator from the node's log and seeds, as a (re)started daemon builds it.
    private mutating func start(_ node: Int) {
        let configuration = Replicator.Configuration(network: Self.network, selfID: nodes[node].id, seed: random.next())
        var replicator = Replicator(configuration: configuration, vector: nodes[node].log.vector(ids: ids))
        for seed in nodes[node].seeds {
            replicator.discovered(nodes[seed].address, source: .configured)
        }
        nodes[node].replicator = replicator
        nodes[node].incarnation += 1
        let firstTick = now + random.uniform(0...configuration.protocolPeriod - 1)
        schedule(.tick(node: node, incarnation: nodes[node].incarnation), at: firstTick)
    }

    private mutating func stop(_ node: Int) {
        nodes[node].replicator = nil
        nodes[node].incarnation += 1
    }

    private mutating func tick(_ node: Int, incarnation: Int) {
        guard nodes[node].incarnation == incarnation, let directives = nodes[node].replicator?.tick(now: now),
            let period = nodes[node].replicator?.configuration.protocolPeriod
        else { return }
        schedule(.tick(node: node, incarnation: incarnation), at: now + period)
        interpret(directives, at: node)
    }

    private mutating func publish(from node: Int) {
        let entry = nodes[node].write(message, now: now)
        everything.advance(entry.author, to: entry.seq)
        publishedAt[MessageKey(author: node, seq: entry.seq)] = now
        // `pick` returned an up node, so the replicator is there.
        guard let directives = nodes[node].replicator?.published(entry, now: now) else { return }
        interpret(directives, at: node)
    }

    // MARK: Directives

    private mutating func interpret(_ directives: [Replicator.Directive], at node: Int) {
        for directive in directives {
            switch directive {
            case .send(let datagram, let target): transmit(datagram, from: node, to: target)
            case .store(let entries, _):
                // Every entry in the simulation was written by one of its nodes.
                store(entries.compactMap { entry in nodeOf[entry.author].map { ($0, entry) } }, at: node, by: .push)
            case .sync(let peer): openSync(from: node, with: peer)
            }
        }
    }

    private mutating func transmit(_ datagram: Datagram, from sender: Int, to address: PeerAddress) {
        traffic.datagramsSent += 1
        if case .push = datagram.body { traffic.pushDatagrams += 1 }
        guard let target = nodeAt[address] else {
            traffic.datagramsUndeliverable += 1
            return
        }
        guard group[sender] == group[target] else {
            traffic.datagramsPartitioned += 1
            return
        }
        guard !random.chance(scenario.lossRate) else {
            traffic.datagramsLost += 1
            return
        }
        schedule(.deliver(datagram, from: nodes[sender].address, to: target), at: now + random.uniform(scenario.latency))
    }

    private mutating func deliver(_ datagram: Datagram, from sender: PeerAddress, to node: Int) {
        guard let directives = nodes[node].replicator?.receive(datagram, from: sender, now: now) else {
            traffic.datagramsUndeliverable += 1
            return
        }
        interpret(directives, at: node)
    }

    /// Stores what is new, tells the replicator the new heads and counts deliveries.
    private mutating func store(_ entries: [(author: Int, entry: Entry)], at node: Int, by channel: Channel) {
        let (fresh, heads) = nodes[node].log.insert(entries)
        guard !fresh.isEmpty else { return }
        let wallMillis = Self.epochMillis + now
        for entry in fresh {
            nodes[node].clock.observe(entry.timestamp, wallMillis: wallMillis)
            guard let author = nodeOf[entry.author], author != node else { continue }
            switch channel {
            case .push: deliveries.byPush += 1
            case .sync: deliveries.bySync += 1
            }
            lastDeliveryAt[MessageKey(author: author, seq: entry.seq)] = now
        }
        nodes[node].replicator?.headsAdvanced(heads)
    }

    // MARK: Sync

    private mutating func openSync(from node: Int, with peer: PeerAddress) {
        traffic.syncsStarted += 1
        schedule(
            .finishSync(initiator: node, incarnation: nodes[node].incarnation, responder: peer),
            at: now + random.uniform(scenario.syncDuration))
    }

    /// A TCP sync: reliable, but only between two running nodes in the same partition group.
    private mutating func finishSync(initiator: Int, incarnation: Int, responder address: PeerAddress) {
        guard nodes[initiator].incarnation == incarnation, nodes[initiator].isUp else {
            traffic.syncsAbandoned += 1
            return
        }
        let target = nodeAt[address]
        guard let responder = target, nodes[responder].isUp, group[initiator] == group[responder] else {
            traffic.syncsFailed += 1
            if let target, group[initiator] != group[target] { traffic.syncsPartitioned += 1 }
            nodes[initiator].replicator?.syncFinished(with: address, outcome: .failed, now: now)
            return
        }
        traffic.syncsCompleted += 1
        // Each side is told whether the other stopped at the per-session bound before sending all it lacked.
        var cut = (toInitiator: false, toResponder: false)
        if nodes[initiator].log.total == nodes[responder].log.total
            && nodes[initiator].log.fingerprint == nodes[responder].log.fingerprint
        {
            traffic.syncsIdle += 1
        } else {
            // The two vectors are exchanged before any entry moves, as in the sync protocol.
            let toInitiator = nodes[responder].log.missing(from: nodes[initiator].log, limit: scenario.syncBound)
            let toResponder = nodes[initiator].log.missing(from: nodes[responder].log, limit: scenario.syncBound)
            store(toInitiator.entries, at: initiator, by: .sync)
            store(toResponder.entries, at: responder, by: .sync)
            cut = (toInitiator.more, toResponder.more)
            if cut.toInitiator || cut.toResponder { traffic.syncsCut += 1 }
        }
        let responderID = nodes[responder].id
        nodes[initiator].replicator?.syncFinished(
            with: address, outcome: .completed(id: responderID, more: cut.toInitiator), now: now)
        let (initiatorAddress, initiatorID) = (nodes[initiator].address, nodes[initiator].id)
        nodes[responder].replicator?.inboundSyncVerified(initiatorAddress, id: initiatorID, more: cut.toResponder, now: now)
    }

    // MARK: Convergence

    private mutating func checkConvergence() {
        if isConverged {
            convergedAt = now
        } else {
            schedule(.checkConvergence, at: now + scenario.convergenceCheckInterval)
        }
    }

    /// Every up node's replicator (and log) holds exactly what was published: totals first, then digests.
    private var isConverged: Bool {
        let total = everything.total
        let up = nodes.filter(\.isUp)
        guard !up.isEmpty,
            up.allSatisfy({ $0.log.total == total && $0.replicator?.vector.total == total })
        else { return false }
        let digest = everything.digest
        return up.allSatisfy { $0.replicator?.vector.digest == digest }
    }

    // MARK: Report

    private func report() -> SimulationReport {
        let latencies = publishedAt.compactMap { key, published in lastDeliveryAt[key].map { $0 - published } }.sorted()
        return SimulationReport(
            seed: scenario.seed,
            nodes: nodes.count,
            upNodes: nodes.count(where: \.isUp),
            protocolPeriod: protocolPeriod,
            entriesPublished: publishedAt.count,
            publishesSkipped: publishesSkipped,
            deliveries: deliveries,
            traffic: traffic,
            lastDeliveryLatency: latencies.isEmpty
                ? nil : SimulationReport.Latency(median: latencies[(latencies.count - 1) / 2], max: latencies[latencies.count - 1]),
            settledAt: scenario.settledAt,
            convergedAt: convergedAt,
            endedAt: now)
    }
}
