import HeapModule
import LanChatCore

/// Drives the real protocol of every simulated node in memory, on a virtual clock, through a
/// `Scenario`: each node's `Replicator` receives encoded datagrams, and each sync runs the real
/// `SyncHandshake`, `SyncOutbound` and `SyncInbound` at both ends of a simulated TCP connection.
/// Every random choice comes from one `SplitMix64` seeded by the scenario, and events at the same
/// virtual time run in the order they were scheduled: the same scenario gives the same report.
public struct Simulation {
    public static let network = "sim"
    public static let port: UInt16 = 7420
    /// Wall-clock milliseconds at virtual time zero (2026-01-01), for entry timestamps.
    public static let epochMillis: UInt64 = 1_767_225_600_000
    /// As the daemon's `Node.restoreWait`.
    static let restoreWait: UInt64 = 3_000

    public let scenario: Scenario
    var nodes: [SimulatedNode]
    var nodeAt: [PeerAddress: Int] = [:]
    private var queue = Heap<ScheduledEvent>()
    private var scheduled: UInt64 = 0
    var random: SplitMix64
    var now: UInt64 = 0
    /// Partition group of each node; all zero when the network is whole.
    var group: [Int]
    let verifier = VerificationCache()
    /// The hash of every entry a node really wrote: what every honest node must end up holding.
    var published: [EntryHash: UInt64] = [:]
    var publishedFingerprint: UInt64 = 0
    var lastDeliveryAt: [EntryHash: UInt64] = [:]
    /// Hops each node's copy of an entry came over from its author (0 for the author's own), and the hops
    /// of each entry's last delivery.
    var hops: [[EntryHash: Int]]
    var lastDeliveryHops: [EntryHash: Int] = [:]
    /// Nodes that went down for good, when, and when no up node held them alive or suspect any more.
    /// `verifiers`: up honest nodes that had verified the crashed node's ID when it crashed, the only ones that act
    /// on news of it or pass it on.
    var crashes: [(node: Int, at: UInt64, verifiers: Int, detectedAt: UInt64?)] = []
    /// Datagrams sent before the quiet window began, and in it once it ended.
    var quietWindowStart: Int?
    var quietDatagrams: Int?
    var deliveries = SimulationReport.Deliveries()
    var traffic = SimulationReport.Traffic()
    var connections: [Int: SimulatedConnection] = [:]
    var nextConnection = 0
    private var publishesSkipped = 0
    private var convergedAt: UInt64?
    private var budgetExceeded = false
    private let message: EntryContent

    /// How entries reached a node, and from which node.
    enum Channel {
        case push(from: Int?)
        /// Pushed because the receiver wanted it (`LazyPush`).
        case pull(from: Int?)
        case sync(from: Int?)
    }

    /// Entries a node pushed to another because it wanted them, until the other stores them: a delivery by the
    /// push of one counts as a pull (the same entry pushed by another node does not).
    var served: Set<ServedEntry> = []

    struct ServedEntry: Hashable {
        let node: Int
        let hash: EntryHash
        let from: Int
    }

    var configuration: ReplicationConfiguration { scenario.configuration }

    public init(scenario: Scenario) throws {
        precondition(scenario.nodeCount > 0, "a simulation needs nodes")
        self.scenario = scenario
        random = SplitMix64(seed: scenario.seed)
        nodes = []
        nodes.reserveCapacity(scenario.nodeCount)
        for index in 0..<scenario.nodeCount {
            // Derived from the seed, not generated, so that IDs (and the order of everything keyed by them) repeat.
            let seed = random.bytes32()
            // A twin runs with the identity of another node: one state directory copied to two machines.
            var identity = try LocalIdentity(seed: seed)
            if let original = scenario.twins[index] { identity = nodes[original].identity }
            nodes.append(SimulatedNode(index: index, identity: identity))
            nodes[index].adversary = scenario.adversaries[index]
            nodeAt[nodes[index].address] = index
        }
        group = Array(repeating: 0, count: scenario.nodeCount)
        hops = Array(repeating: [:], count: scenario.nodeCount)
        message = .message(try EntryContent.Message(room: "general", body: "hello from the simulator"))
        for timed in scenario.actions {
            schedule(.action(timed.action), at: timed.time)
        }
        schedule(.checkConvergence, at: scenario.settledAt + scenario.convergenceCheckInterval)
        if let window = scenario.quietWindow {
            schedule(.quietWindow(ends: false), at: window.lowerBound)
            schedule(.quietWindow(ends: true), at: window.upperBound)
        }
    }

    /// Builds and runs a simulation of the scenario.
    public static func run(_ scenario: Scenario) throws -> SimulationReport {
        var simulation = try Simulation(scenario: scenario)
        return simulation.run()
    }

    /// Plays the scenario until the network converges after its last action, until the virtual
    /// deadline, or until the wall-clock budget runs out.
    public mutating func run() -> SimulationReport {
        let clock = ContinuousClock()
        let started = clock.now
        var handled = 0
        // A quiet window and crashes not yet detected everywhere keep the run going after convergence.
        while convergedAt == nil || (scenario.quietWindow != nil && quietDatagrams == nil) || crashes.contains(where: { $0.detectedAt == nil }),
            let next = queue.popMin(), next.time <= scenario.deadline
        {
            now = next.time
            handle(next.event)
            handled += 1
            if handled % 4096 == 0, clock.now - started > scenario.wallClockBudget {
                budgetExceeded = true
                break
            }
        }
        return report()
    }

    // MARK: What tests may look at after a run

    public func id(ofNode index: Int) -> AuthorID { nodes[index].id }

    public func address(ofNode index: Int) -> PeerAddress { nodes[index].address }

    /// What the node's replicator holds, or nil while it is down.
    public func vector(ofNode index: Int) -> SyncVector? { nodes[index].replicator?.vector }

    /// Whether the node's store holds two entries of this author at one seq.
    public func holdsFork(ofNode index: Int, author: AuthorID) -> Bool { nodes[index].store.isForked(author) }

    /// The incarnation the node's replicator refutes suspicions with, or nil while it is down.
    public func incarnation(ofNode index: Int) -> UInt64? { nodes[index].replicator?.incarnation }

    /// The replicator's view of the node's peers, or nil while it is down.
    public func peers(ofNode index: Int) -> [PeerRecord]? { nodes[index].replicator?.peers }

    // MARK: Events

    mutating func schedule(_ event: SimulationEvent, at time: UInt64) {
        queue.insert(ScheduledEvent(time: time, order: scheduled, event: event))
        scheduled += 1
    }

    private mutating func handle(_ event: SimulationEvent) {
        switch event {
        case .action(let action): perform(action)
        case .tick(let node, let incarnation): tick(node, incarnation: incarnation)
        case .deliver(let bytes, let sender, let node): deliver(bytes, from: sender, to: node)
        case .connect(let connection): connect(connection)
        case .frame(let connection, let side, let frame): arrive(frame, on: connection, at: side)
        case .syncDeadline(let connection): reset(connection, timedOut: true)
        case .comeBack(let node): start(node, restarted: true)
        case .allowWrites(let node, let incarnation):
            if nodes[node].incarnation == incarnation { allowWrites(node) }
        case .checkConvergence: checkConvergence()
        case .checkDetection: checkDetection()
        case .quietWindow(let ends): markQuietWindow(ends: ends)
        }
    }

    private mutating func perform(_ action: Scenario.Action) {
        switch action {
        case .join(let node, let seeds):
            guard !nodes[node].isUp else { return }
            nodes[node].seeds = seeds
            start(node, restarted: false)
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
        case .restoreBackup(let node, let lost, let downtime):
            guard nodes[node].isUp else { return }
            stop(node)
            nodes[node].restoreBackup(losing: lost)
            schedule(.comeBack(node: node), at: now + downtime)
        case .crash(let choice):
            guard let node = pick(choice) else { return }
            stop(node)
            // One check a period looks at every crash not yet detected.
            if !crashes.contains(where: { $0.detectedAt == nil }) { schedule(.checkDetection, at: now + configuration.protocolPeriod) }
            crashes.append((node, now, verifiers(of: node), nil))
        }
    }

    /// The chosen node if it is up; a random choice picks among honest nodes only.
    private mutating func pick(_ choice: Scenario.NodeChoice) -> Int? {
        switch choice {
        case .node(let node):
            return nodes[node].isUp ? node : nil
        case .randomUp:
            let up = nodes.indices.filter { nodes[$0].isUp && nodes[$0].isHonest }
            return up.isEmpty ? nil : up[random.below(up.count)]
        }
    }

    // MARK: Node lifecycle

    /// A fresh replicator from the node's store and seeds, as a (re)started daemon builds it. A restarted
    /// node knows peers, so, as the daemon does, it writes only once a sync brought its own latest
    /// entries, or after `restoreWait`.
    private mutating func start(_ node: Int, restarted: Bool) {
        var replicator = Replicator(
            configuration: configuration, identity: nodes[node].identity,
            incarnation: Replicator.startingIncarnation(wallMillis: Self.epochMillis + now), seed: random.next(),
            vector: nodes[node].store.syncVector, aliveVerifier: verifier)
        // As the daemon names the address its socket is bound to.
        replicator.ownAddresses([nodes[node].address])
        for seed in nodes[node].seeds {
            replicator.discovered(nodes[seed].address, source: .configured)
        }
        nodes[node].replicator = replicator
        nodes[node].incarnation += 1
        nodes[node].writesAllowed = !restarted
        if restarted {
            schedule(.allowWrites(node: node, incarnation: nodes[node].incarnation), at: now + Self.restoreWait)
        }
        let firstTick = now + random.uniform(0...configuration.protocolPeriod - 1)
        schedule(.tick(node: node, incarnation: nodes[node].incarnation), at: firstTick)
    }

    private mutating func stop(_ node: Int) {
        nodes[node].pastRejections = nodes[node].rejections
        nodes[node].replicator = nil
        nodes[node].incarnation += 1
    }

    private mutating func tick(_ node: Int, incarnation: Int) {
        guard nodes[node].incarnation == incarnation, let directives = nodes[node].replicator?.tick(now: now) else { return }
        schedule(.tick(node: node, incarnation: incarnation), at: now + configuration.protocolPeriod)
        interpret(directives, at: node)
        if let adversary = nodes[node].adversary { misbehave(adversary, at: node) }
    }

    /// Writes that waited for the gate go out once it opens.
    mutating func allowWrites(_ node: Int) {
        guard !nodes[node].writesAllowed else { return }
        nodes[node].writesAllowed = true
        let waiting = nodes[node].waitingPublishes
        nodes[node].waitingPublishes = 0
        for _ in 0..<waiting { publish(from: node) }
    }

    private mutating func publish(from node: Int) {
        guard nodes[node].writesAllowed else {
            nodes[node].waitingPublishes += 1
            return
        }
        let entry = nodes[node].write(message, now: now)
        hops[node][entry.hash] = 0
        if published.updateValue(now, forKey: entry.hash) == nil {
            publishedFingerprint &+= SimulatedStore.fingerprint(of: entry)
        }
        guard let directives = nodes[node].replicator?.published([entry], now: now) else { return }
        traffic.authorPushDatagrams += directives.count { if case .send = $0 { true } else { false } }
        interpret(directives, at: node)
    }

    // MARK: Directives

    mutating func interpret(_ directives: [Replicator.Directive], at node: Int) {
        for directive in directives {
            switch directive {
            case .send(let datagram, let target): transmit(datagram, from: node, to: target)
            case .pushed(let entry, let sender, let relayUntil): checkPush(entry, from: sender, relayUntil: relayUntil, at: node)
            case .sync(let peer): openSync(from: node, with: peer)
            case .serve(let after, let peer): serve(after, from: node, to: peer)
            }
        }
    }

    /// As the daemon does: the entries after `after` that the node holds, pushed to the peer that wanted them.
    private mutating func serve(_ after: EntryKey, from node: Int, to peer: PeerAddress) {
        let entries = nodes[node].store.entries(author: after.author, after: after.seq, limit: Datagram.maxPushedEntries)
        if let target = nodeAt[peer] { served.formUnion(entries.map { ServedEntry(node: target, hash: $0.hash, from: node) }) }
        guard let directives = nodes[node].replicator?.serve(entries, to: peer) else { return }
        interpret(directives, at: node)
    }

    /// As the daemon does with a burst, here of one: a simulated datagram arrives alone. A relay goes on
    /// once found authentic, before it is stored.
    private mutating func checkPush(_ entry: Entry, from sender: PeerAddress, relayUntil: UInt64?, at node: Int) {
        let (authentic, forged) = PushBurst.authentic([entry]) { [verifier] in $0.map { verifier.verify([$0]) } }
        if let relayUntil, let relayed = authentic.first, let directives = nodes[node].replicator?.relay(relayed, from: sender, until: relayUntil, now: now) {
            interpret(directives, at: node)
        }
        let from = nodeAt[sender]
        let pulled = authentic.first.flatMap { entry in from.map { served.remove(ServedEntry(node: node, hash: entry.hash, from: $0)) != nil } } ?? false
        store(authentic, at: node, by: pulled ? .pull(from: from) : .push(from: from))
        nodes[node].replicator?.pushesSettled(1, forged: forged)
    }

    mutating func transmit(_ datagram: Datagram, from sender: Int, to address: PeerAddress) {
        var datagram = datagram
        if case .impostor(let victim) = nodes[sender].adversary {
            datagram = Datagram(network: datagram.network, sender: nodes[victim].id, body: datagram.body)
        }
        traffic.datagramsSent += 1
        switch datagram.body {
        case .push, .pushes, .relay: traffic.pushDatagrams += 1
        default: break
        }
        send(datagram.encoded(), from: sender, to: address)
    }

    /// Carries bytes to the node at the address, through loss and partitions.
    mutating func send(_ bytes: [UInt8], from sender: Int, to address: PeerAddress) {
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
        schedule(.deliver(bytes, from: nodes[sender].address, to: target), at: now + random.uniform(scenario.latency))
    }

    private mutating func deliver(_ bytes: [UInt8], from sender: PeerAddress, to node: Int) {
        guard let directives = nodes[node].replicator?.receive(bytes, from: sender, now: now) else {
            traffic.datagramsUndeliverable += 1
            return
        }
        if nodes[node].adversary == .replayer { nodes[node].capture(bytes) }
        interpret(directives, at: node)
    }

    /// Stores what is new, tells the replicator the new heads and counts deliveries.
    mutating func store(_ entries: [Entry], at node: Int, by channel: Channel) {
        let (fresh, tips) = nodes[node].store.insert(entries)
        guard !fresh.isEmpty else { return }
        let wallMillis = Self.epochMillis + now
        for entry in fresh {
            nodes[node].clock.observe(entry.timestamp, wallMillis: wallMillis)
            let source: Int?
            switch channel {
            case .push(let from), .pull(let from), .sync(let from): source = from
            }
            hops[node][entry.hash] = source.flatMap { hops[$0][entry.hash] }.map { $0 + 1 } ?? 1
            guard entry.author != nodes[node].id else { continue }
            switch channel {
            case .push: deliveries.byPush += 1
            case .pull: deliveries.byPull += 1
            case .sync: deliveries.bySync += 1
            }
            lastDeliveryAt[entry.hash] = now
            lastDeliveryHops[entry.hash] = hops[node][entry.hash]
        }
        nodes[node].replicator?.tipsChanged(tips)
    }

    // MARK: Convergence

    private mutating func checkConvergence() {
        if isConverged {
            convergedAt = now
        } else {
            schedule(.checkConvergence, at: now + scenario.convergenceCheckInterval)
        }
    }

    /// Every up honest node holds exactly what was written: counts first, then fingerprints, then the
    /// replicator's vector.
    private var isConverged: Bool {
        let up = nodes.filter { $0.isUp && $0.isHonest }
        return !up.isEmpty
            && up.allSatisfy { $0.store.count == published.count && $0.store.fingerprint == publishedFingerprint }
            && up.allSatisfy { $0.replicator?.vector == $0.store.syncVector }
    }

    // MARK: Report

    private func report() -> SimulationReport {
        let latencies = published.compactMap { hash, at in lastDeliveryAt[hash].map { $0 - at } }.sorted()
        let rejections = nodes.filter(\.isHonest).map(\.rejections).reduce(Rejections(), +)
        var traffic = traffic
        traffic.datagramsRejected = Int(rejections.dropped)
        traffic.datagramsRateLimited = Int(rejections.rateLimited)
        return SimulationReport(
            seed: scenario.seed,
            nodes: nodes.count,
            upNodes: nodes.count(where: \.isUp),
            protocolPeriod: configuration.protocolPeriod,
            entriesPublished: published.count,
            publishesSkipped: publishesSkipped,
            deliveries: deliveries,
            traffic: traffic,
            lastDeliveryLatency: latencies.isEmpty
                ? nil : SimulationReport.Latency(median: latencies[(latencies.count - 1) / 2], max: latencies[latencies.count - 1]),
            settledAt: scenario.settledAt,
            convergedAt: convergedAt,
            endedAt: now,
            signatureChecks: verifier.signatureChecks,
            invariants: invariants(),
            budgetExceeded: budgetExceeded,
            membership: membershipReport())
    }
}
