import LanChatCore
import NIOCore

/// One TCP sync between two nodes: a mutual handshake that binds the session to two proven IDs,
/// an exchange of version vectors, then each side streams what the other lacks, verified entry by
/// entry on arrival. Both directions run at once, so neither side's sending can block on the other.
public struct SyncSession: Sendable {
    public struct Context: Sendable {
        public let identity: LocalIdentity
        public let network: String
        public let listenPort: UInt16
        public let storage: any SyncStorage
        /// Entries sent per session at most; the peer comes back for the rest.
        public let maxEntries: Int

        public init(identity: LocalIdentity, network: String, listenPort: UInt16, storage: any SyncStorage, maxEntries: Int = 50_000) {
            self.identity = identity
            self.network = network
            self.listenPort = listenPort
            self.storage = storage
            self.maxEntries = maxEntries
        }
    }

    public struct Result: Sendable, Equatable {
        public let peer: AuthorID
        /// The port the peer listens on (from its hello), for an inbound session.
        public let peerPort: UInt16
        public let received: Int
        public let sent: Int
        /// The peer stopped at its bound and has more for us.
        public let peerHasMore: Bool
        /// Everything read from the peer, framing included.
        public let bytesReceived: Int
    }

    /// Entries are stored in batches this large: one transaction each.
    static let ingestBatch = 2000

    let context: Context
    let channel: NIOAsyncChannel<[UInt8], ByteBuffer>

    public init(context: Context, channel: NIOAsyncChannel<[UInt8], ByteBuffer>) {
        self.context = context
        self.channel = channel
    }

    public func initiate(expecting expected: AuthorID?) async throws -> Result {
        try await channel.executeThenClose { inbound, outbound in
            var frames = FrameReader(inbound.makeAsyncIterator())
            let myChallenge = Handshake.randomChallenge()
            try await outbound.write(ByteBuffer(frame: .hello(
                network: context.network, sender: context.identity.id, port: context.listenPort, challenge: myChallenge)))
            guard case .helloReply(let peer, let theirChallenge, let signature) = try await frames.next() else {
                throw SyncError.protocolViolation("expected hello reply")
            }
            if let expected, expected != peer { throw SyncError.authentication("peer is \(peer.short), expected \(expected.short)") }
            guard peer != context.identity.id,
                Handshake.verify(signature, by: peer, role: .responder, network: context.network, challenge: myChallenge, other: context.identity.id)
            else { throw SyncError.authentication("peer's signature does not verify") }
            try await outbound.write(ByteBuffer(frame: .proof(signature: Handshake.sign(
                context.identity, role: .initiator, network: context.network, challenge: theirChallenge, other: peer))))
            return try await exchange(with: peer, port: 0, &frames, outbound)
        }
    }

    public func respond() async throws -> Result {
        try await channel.executeThenClose { inbound, outbound in
            var frames = FrameReader(inbound.makeAsyncIterator())
            guard case .hello(let network, let peer, let port, let theirChallenge) = try await frames.next() else {
                throw SyncError.protocolViolation("expected hello")
            }
            guard network == context.network else { throw SyncError.authentication("peer is on network '\(network)'") }
            guard peer != context.identity.id else { throw SyncError.authentication("connected to ourselves") }
            let myChallenge = Handshake.randomChallenge()
            try await outbound.write(ByteBuffer(frame: .helloReply(
                sender: context.identity.id, challenge: myChallenge,
                signature: Handshake.sign(context.identity, role: .responder, network: network, challenge: theirChallenge, other: peer))))
            guard case .proof(let signature) = try await frames.next(),
                Handshake.verify(signature, by: peer, role: .initiator, network: network, challenge: myChallenge, other: context.identity.id)
            else { throw SyncError.authentication("peer's proof does not verify") }
            return try await exchange(with: peer, port: port, &frames, outbound)
        }
    }

    private func exchange(
        with peer: AuthorID, port: UInt16, _ frames: inout FrameReader, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws -> Result {
        let mine = try await context.storage.versionVector()
        try await outbound.write(ByteBuffer(frame: .vector(mine)))
        guard case .vector(let theirs) = try await frames.next() else { throw SyncError.protocolViolation("expected vector") }
        let wanted = theirs.behind(mine)
        let sender = Task { [context] in try await Self.stream(wanted, context: context, outbound) }
        do {
            let (received, more) = try await receiveEntries(&frames, offered: theirs)
            // Cancelling this session (its deadline) must reach the sender too, or a peer that stops
            // reading would hold it forever.
            let sent = try await withTaskCancellationHandler { try await sender.value } onCancel: { sender.cancel() }
            return Result(
                peer: peer, peerPort: port, received: received, sent: sent, peerHasMore: more, bytesReceived: frames.bytesRead)
        } catch {
            sender.cancel()
            throw error
        }
    }

    private static func stream(
        _ wanted: [(author: AuthorID, after: UInt64)], context: Context, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws -> Int {
        var sent = 0
        var hitBound = false
        outer: for (author, after) in wanted {
            var cursor = after
            while true {
                let budget = context.maxEntries - sent
                guard budget > 0 else {
                    hitBound = true
                    break outer
                }
                let batch = try await context.storage.encodedEntries(
                    author: author, after: cursor, limit: min(budget, SyncFrame.maxEntriesPerFrame * 50))
                if batch.isEmpty { break }
                for start in stride(from: 0, to: batch.count, by: SyncFrame.maxEntriesPerFrame) {
                    let chunk = Array(batch[start..<min(start + SyncFrame.maxEntriesPerFrame, batch.count)])
                    try await outbound.write(ByteBuffer(frame: .entries(chunk)))
                }
                sent += batch.count
                // The last entry's seq sits at a fixed offset of the canonical encoding.
                cursor = Entry.seq(ofEncoded: batch[batch.count - 1])
            }
        }
        try await outbound.write(ByteBuffer(frame: .done(more: hitBound)))
        return sent
    }

    /// Receives entries until the peer's `done`. Each batch is verified on every core, then stored while
    /// the next one is read and verified: no entry is stored before its signature checks out.
    private func receiveEntries(_ frames: inout FrameReader, offered theirs: VersionVector) async throws -> (Int, Bool) {
        var pending: [Entry] = []
        var received = 0
        var storing: Task<Void, any Error>?
        func store(_ batch: [Entry]) async throws {
            try await EntryVerifier.verifyAll(batch)
            try await storing?.value
            storing = Task { [storage = context.storage] in try await storage.ingest(batch) }
        }
        while true {
            let (frame, entries) = try await frames.nextWithEntries()
            switch frame {
            case .entries:
                // Only authors the peer's own vector listed, and no more than a session may carry.
                guard entries.allSatisfy({ theirs[$0.author] > 0 }) else {
                    throw SyncError.protocolViolation("entries of an author the peer did not offer")
                }
                received += entries.count
                guard received <= context.maxEntries else { throw SyncError.protocolViolation("more entries than a session carries") }
                pending += entries
                if pending.count >= Self.ingestBatch {
                    try await store(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            case .done(let more):
                if !pending.isEmpty { try await store(pending) }
                try await storing?.value
                return (received, more)
            case .hello, .helloReply, .proof, .vector:
                throw SyncError.protocolViolation("unexpected frame while receiving entries")
            }
        }
    }
}

/// Reads decoded frames from a connection.
struct FrameReader {
    private var iterator: NIOAsyncChannelInboundStream<[UInt8]>.AsyncIterator
    private(set) var bytesRead = 0

    init(_ iterator: NIOAsyncChannelInboundStream<[UInt8]>.AsyncIterator) {
        self.iterator = iterator
    }

    mutating func next() async throws -> SyncFrame {
        try await nextWithEntries().frame
    }

    mutating func nextWithEntries() async throws -> (frame: SyncFrame, entries: [Entry]) {
        guard let bytes = try await iterator.next() else { throw SyncError.closed }
        bytesRead += 4 + bytes.count
        do {
            return try SyncFrame.decode(bytes, verifySignatures: false)
        } catch {
            throw SyncError.protocolViolation("bad frame: \(error)")
        }
    }
}
