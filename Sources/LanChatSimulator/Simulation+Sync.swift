import LanChatCore

/// Syncs over simulated TCP: the driver the daemon's `SyncSession` is, with frames as events.
extension Simulation {
    mutating func openSync(from node: Int, with address: PeerAddress) {
        traffic.syncsStarted += 1
        let id = nextConnection
        nextConnection += 1
        connections[id] = SimulatedConnection(
            responderAddress: address, responderNode: nodeAt[address],
            initiator: .init(node: node, incarnation: nodes[node].incarnation))
        schedule(.connect(connection: id), at: now + random.uniform(scenario.latency))
    }

    /// The connection reaches the responder, which accepts it or not; then both ends start their handshake.
    mutating func connect(_ id: Int) {
        guard let connection = connections[id] else { return }
        guard isCurrent(connection.initiator) else {
            connections[id] = nil
            traffic.syncsAbandoned += 1
            return
        }
        let initiatorHost = nodes[connection.initiator.node].address.host
        guard let responder = connection.responderNode, nodes[responder].isUp, group[connection.initiator.node] == group[responder],
            nodes[responder].replicator?.admitInbound(from: initiatorHost) == true
        else {
            reset(id, timedOut: false)
            return
        }
        // No relays here: both ends see the responder at the address dialled.
        let responding = handshake(.responder, at: responder, reached: connection.responderAddress)
        let initiating = handshake(.initiator(expecting: nil), at: connection.initiator.node, reached: connection.responderAddress)
        connections[id]?.responder = .init(node: responder, incarnation: nodes[responder].incarnation, handshake: responding)
        connections[id]?.initiator.handshake = initiating
        schedule(.syncDeadline(connection: id), at: now + configuration.sync.sessionTimeout)
        for side in [SimulatedConnection.Side.initiator, .responder] {
            guard let actions = connections[id]?[side]?.handshake?.start() else { continue }
            perform(actions, on: id, at: side)
        }
    }

    private mutating func handshake(_ role: SyncHandshake.Role, at node: Int, reached responder: PeerAddress) -> SyncHandshake {
        SyncHandshake(
            role: role, identity: nodes[node].identity, network: configuration.network, listenPort: Self.port,
            configuration: configuration.sync, challenge: random.bytes32(), token: nodes[node].token,
            binding: ConnectionBinding(responder: responder)!)
    }

    private func isCurrent(_ end: SimulatedConnection.End) -> Bool {
        nodes[end.node].isUp && nodes[end.node].incarnation == end.incarnation
    }

    mutating func arrive(_ frame: SyncFrame, on id: Int, at side: SimulatedConnection.Side) {
        guard let connection = connections[id], let end = connection[side], let other = connection[side.other] else { return }
        guard isCurrent(end), isCurrent(other), group[end.node] == group[other.node] else {
            reset(id, timedOut: false)
            return
        }
        if end.handshake != nil {
            guard let actions = connections[id]?[side]?.handshake?.receive(frame) else { return }
            perform(actions, on: id, at: side)
        } else if let actions = connections[id]?[side]?.inbound?.receive(frame) {
            perform(actions, on: id, at: side)
        }
    }

    private mutating func perform(_ actions: [SyncHandshake.Action], on id: Int, at side: SimulatedConnection.Side) {
        for action in actions {
            guard let node = connections[id]?[side]?.node else { return }
            switch action {
            case .send(let frame):
                sendFrame(frame, on: id, from: side)
            case .readVector:
                var vector = nodes[node].store.syncVector
                if nodes[node].adversary == .forger { vector = forgedClaim(in: vector, by: node) }
                let forked = nodes[node].store.forkedAuthors
                guard let more = connections[id]?[side]?.handshake?.vectorRead(vector, forked: forked) else { return }
                perform(more, on: id, at: side)
            case .lookUp(let positions):
                let held = nodes[node].store.held(positions)
                guard let more = connections[id]?[side]?.handshake?.found(held) else { return }
                perform(more, on: id, at: side)
            case .findForkPoints(let searches):
                let points = nodes[node].store.forkPoints(searches)
                guard let more = connections[id]?[side]?.handshake?.forkPointsFound(points) else { return }
                perform(more, on: id, at: side)
            case .readCheckpoints(let authors):
                let checkpoints = nodes[node].store.checkpoints(of: authors)
                guard let more = connections[id]?[side]?.handshake?.checkpointsRead(checkpoints) else { return }
                perform(more, on: id, at: side)
            case .established(let exchange):
                connections[id]?[side]?.handshake = nil
                connections[id]?[side]?.exchange = (exchange.peer, exchange.peerPort)
                if side == .responder, let initiator = connections[id]?.initiator.node {
                    let host = nodes[initiator].address.host
                    connections[id]?[side]?.held = nodes[node].replicator?.inboundSyncEstablished(from: host, port: exchange.peerPort)
                }
                connections[id]?[side]?.inbound = exchange.inbound
                stream(exchange.outbound, on: id, from: side)
            case .fail(let failure):
                // What the initiator learnt (its own ID proven, other versions) tells its replicator more than a failure.
                reset(id, timedOut: false, initiatorOutcome: side == .initiator ? .init(failure) : .failed)
            }
        }
    }

    private mutating func perform(_ actions: [SyncInbound.Action], on id: Int, at side: SimulatedConnection.Side) {
        for action in actions {
            guard let node = connections[id]?[side]?.node else { return }
            switch action {
            case .verify(let batch):
                guard let more = connections[id]?[side]?.inbound?.verified(batch, valid: verifier.verify(batch)) else { return }
                perform(more, on: id, at: side)
            case .store(let batch):
                store(batch, at: node, by: .sync(from: connections[id]?[side.other]?.node))
                guard let more = connections[id]?[side]?.inbound?.stored() else { return }
                perform(more, on: id, at: side)
            // Simulated stores hold every payload, so no node asks for one (`PayloadFetch`).
            case .fetched:
                break
            case .finished(let received, let peerHasMore):
                connections[id]?[side]?.received = (received, peerHasMore)
                finishIfDone(id, side)
            case .fail:
                reset(id, timedOut: false)
            }
        }
    }

    /// The outbound half runs to its end at once: its frames are queued on the connection in order.
    private mutating func stream(_ half: SyncOutbound, on id: Int, from side: SimulatedConnection.Side) {
        guard let node = connections[id]?[side]?.node else { return }
        let adversary = nodes[node].adversary
        if adversary == .staller { return }
        var half = half
        while true {
            switch half.next() {
            case .read(let author, let after, let limit):
                half.read(nodes[node].store.entries(author: author, after: after, limit: limit))
            case .readWhole:
                half.readWhole([])
            case .send(let frame):
                if case .done = frame, adversary == .forger, let forgery = forgedEntry(by: node, claimedIn: true) {
                    sendFrame(.entries([forgery]), on: id, from: side)
                }
                sendFrame(frame, on: id, from: side)
            case .finished(let sent):
                connections[id]?[side]?.sent = sent
                finishIfDone(id, side)
                return
            }
        }
    }

    private mutating func sendFrame(_ frame: SyncFrame, on id: Int, from side: SimulatedConnection.Side) {
        traffic.syncFrames += 1
        let earliest = now + random.uniform(scenario.latency)
        let arrival = max(earliest, connections[id]?.lastArrival[side] ?? 0)
        connections[id]?.lastArrival[side] = arrival
        schedule(.frame(connection: id, to: side.other, frame), at: arrival)
    }

    /// An end whose halves both finished reports to its replicator; the connection closes once both ends have.
    private mutating func finishIfDone(_ id: Int, _ side: SimulatedConnection.Side) {
        guard let connection = connections[id], let end = connection[side], !end.finished, let result = end.result else { return }
        connections[id]?[side]?.finished = true
        allowWrites(end.node)
        let initiatorHost = nodes[connection.initiator.node].address.host
        let directives: [Replicator.Directive]? =
            switch side {
            case .initiator:
                nodes[end.node].replicator?.syncFinished(with: connection.responderAddress, outcome: .completed(result), now: now)
            case .responder:
                nodes[end.node].replicator?.inboundSyncEnded(from: initiatorHost, held: end.held, result: result, now: now)
            }
        interpret(directives ?? [], at: end.node)
        guard let initiator = connections[id]?.initiator.result, connections[id]?.initiator.finished == true,
            let responder = connections[id]?.responder, responder.finished, let other = responder.result
        else { return }
        connections[id] = nil
        traffic.syncsCompleted += 1
        if initiator.sent == 0 && initiator.received == 0 { traffic.syncsIdle += 1 }
        if initiator.peerHasMore || other.peerHasMore { traffic.syncsCut += 1 }
    }

    /// Ends the connection for both ends that have not finished: a failure, a partition, a node gone, a timeout.
    mutating func reset(_ id: Int, timedOut: Bool, initiatorOutcome: Replicator.SyncOutcome = .failed) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        traffic.syncsFailed += 1
        if timedOut { traffic.syncsTimedOut += 1 }
        if let responder = connection.responderNode, group[connection.initiator.node] != group[responder] {
            traffic.syncsPartitioned += 1
        }
        if !connection.initiator.finished, isCurrent(connection.initiator) {
            let node = connection.initiator.node
            interpret(nodes[node].replicator?.syncFinished(with: connection.responderAddress, outcome: initiatorOutcome, now: now) ?? [], at: node)
        }
        if let responder = connection.responder, !responder.finished, isCurrent(responder) {
            let initiatorHost = nodes[connection.initiator.node].address.host
            nodes[responder.node].replicator?.inboundSyncEnded(from: initiatorHost, held: responder.held, result: nil, now: now)
        }
    }
}
