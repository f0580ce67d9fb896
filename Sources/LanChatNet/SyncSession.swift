import LanChatCore
import NIOCore

/// Carries one TCP sync: frames in and out, store reads and writes, signature checks on every core.
/// Every decision (what to send, what to accept, when it is over) is the core's `SyncHandshake`,
/// `SyncOutbound` and `SyncInbound`; this only executes their actions.
public struct SyncSession: Sendable {
    let storage: any SyncStorage
    let channel: NIOAsyncChannel<[UInt8], ByteBuffer>
    let keys: NetworkKeyRing?
    let network: String

    /// `keys`: the network keys on a closed network: every frame both ways is sealed (`StreamSealer`).
    public init(storage: any SyncStorage, channel: NIOAsyncChannel<[UInt8], ByteBuffer>, keys: NetworkKeyRing?, network: String) {
        self.storage = storage
        self.channel = channel
        self.keys = keys
        self.network = network
    }

    /// Runs the session to its end; throws a `SyncFailure` (or the transport's error) if it does not complete.
    /// `bytesReceived` counts everything read from the peer, framing included. `established` hears who
    /// the peer is (and the port it listens on) once the handshake proved it, before any entry moves.
    public func run(
        _ opening: SyncHandshake, established: @Sendable (_ peer: AuthorID, _ peerPort: UInt16) async -> Void = { _, _ in }
    ) async throws -> (result: SyncResult, bytesReceived: Int) {
        try await channel.executeThenClose { inbound, outbound in
            var frames = FrameReader(inbound.makeAsyncIterator(), gate: StreamGate(ring: keys, network: network))
            var writer = FrameWriter(sealer: keys.map { StreamSealer(ring: $0, network: network) })
            if let preamble = writer.preamble { try await outbound.write(preamble) }
            let exchange = try await open(opening, &frames, &writer, outbound)
            await PeerTransport.handshakeCompleted(on: channel)
            await established(exchange.peer, exchange.peerPort)
            // Both halves at once: neither side's sending may wait on the other's reading.
            async let sent = Self.send(exchange.outbound, storage: storage, writer, outbound)
            let (received, more) = try await receive(exchange.inbound, &frames)
            let result = SyncResult(
                peer: exchange.peer, peerPort: exchange.peerPort, received: received, sent: try await sent, peerHasMore: more)
            // Closing now would drop frames still queued for the socket (the peer would see the session cut
            // short). Half-close once they are written, and close when the peer does: it has read them all.
            outbound.finish()
            await frames.peerClosed()
            return (result, frames.bytesRead)
        }
    }

    private func open(
        _ opening: SyncHandshake, _ frames: inout FrameReader, _ writer: inout FrameWriter,
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws -> SyncExchange {
        var handshake = opening
        var actions = handshake.start()
        var first = true
        while true {
            while !actions.isEmpty {
                switch actions.removeFirst() {
                case .send(let frame): try await outbound.write(writer.buffer(frame))
                case .readVector:
                    actions += handshake.vectorRead(
                        try await storage.syncVector(), forked: try await storage.forkedAuthors(),
                        missing: try await storage.missingPayloads(limit: PayloadFetch.maxRefs))
                case .lookUp(let positions): actions += handshake.found(try await storage.held(positions))
                case .readCheckpoints(let authors): actions += handshake.checkpointsRead(try await storage.checkpoints(of: authors))
                case .findForkPoints(let searches): actions += handshake.forkPointsFound(try await storage.forkPoints(searches))
                case .established(let exchange): return exchange
                case .fail(let failure): throw failure
                }
            }
            let frame = try await frames.next()
            // The peer's preamble came before its first frame: both keys are known, and the proofs bind them.
            if first, let mine = writer.key, let theirs = frames.peerKey { handshake.sealed(mine: mine, theirs: theirs) }
            first = false
            actions = handshake.receive(frame)
        }
    }

    /// The frames of one read are written while the next read runs: a catch-up is not held up by the
    /// sender's store, and at most two reads' worth of entries are in memory.
    private static func send(
        _ half: SyncOutbound, storage: any SyncStorage, _ writer: FrameWriter, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws -> Int {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var half = half
            var writer = writer
            var writing = false
            while true {
                var frames: [SyncFrame] = []
                var step = half.next()
                while case .send(let frame) = step {
                    frames.append(frame)
                    step = half.next()
                }
                // Sealed here, in order; written in order too: these follow the frames still being written.
                let buffers = frames.map { writer.buffer($0) }
                if writing { try await group.next() }
                group.addTask {
                    for buffer in buffers { try await outbound.write(buffer) }
                }
                writing = true
                switch step {
                case .read(let author, let after, let limit): half.read(try await storage.entries(author: author, after: after, limit: limit))
                case .readWhole(let refs): half.readWhole(try await storage.wholeEntries(refs))
                case .finished(let sent):
                    try await group.waitForAll()
                    return sent
                case .send: preconditionFailure("every frame was taken above")
                }
            }
        }
    }

    /// One batch is stored while the next is read and verified: catch-up is bound by the store.
    private func receive(_ half: SyncInbound, _ frames: inout FrameReader) async throws -> (received: Int, more: Bool) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var half = half
            var storing = false
            while true {
                var actions = half.receive(try await frames.next())
                while !actions.isEmpty || (storing && half.awaitsStores) {
                    guard !actions.isEmpty else {
                        try await group.next()
                        storing = false
                        actions += half.stored()
                        continue
                    }
                    switch actions.removeFirst() {
                    case .verify(let batch): actions += half.verified(batch, valid: await ParallelVerifier.verify(batch))
                    case .store(let batch):
                        if storing {
                            try await group.next()
                            actions += half.stored()
                        }
                        group.addTask { try await storage.ingest(batch) }
                        storing = true
                    case .fetched(let refs): try await storage.settleFetch(refs)
                    case .finished(let received, let more): return (received, more)
                    case .fail(let failure): throw failure
                    }
                }
            }
        }
    }
}

/// Reads frames from a connection: opened (on a closed network) and decoded.
struct FrameReader {
    private var iterator: NIOAsyncChannelInboundStream<[UInt8]>.AsyncIterator
    private var gate: StreamGate
    private(set) var bytesRead = 0

    init(_ iterator: NIOAsyncChannelInboundStream<[UInt8]>.AsyncIterator, gate: StreamGate) {
        self.iterator = iterator
        self.gate = gate
    }

    var peerKey: KeyFingerprint? { gate.peerKey }

    /// Returns when the peer closes its side, which it does once it has read everything this side sent.
    /// A stray frame or a reset ends the wait too: the sync is complete either way.
    mutating func peerClosed() async {
        _ = try? await iterator.next()
    }

    mutating func next() async throws -> SyncFrame {
        while true {
            guard let sealed = try await iterator.next() else { throw SyncFailure.closed }
            bytesRead += 4 + sealed.count
            let opened: [UInt8]?
            do {
                opened = try gate.open(sealed)
            } catch {
                throw SyncFailure.unauthenticated(error)
            }
            guard let bytes = opened else { continue }
            do {
                return try SyncFrame.decode(bytes)
            } catch {
                throw SyncFailure.protocolViolation("bad frame: \(error)")
            }
        }
    }
}
