/// A message of the TCP sync protocol. On the wire each frame is a u32 big-endian length
/// (of type and body, at most `maxBytes`) followed by a type byte and the body.
public enum SyncFrame: Equatable, Sendable {
    public static let maxBytes = 1 << 20
    /// Entries per `entries` frame; a full frame of the largest entries still fits `maxBytes`.
    public static let maxEntriesPerFrame = 40

    /// Every protocol version the sender speaks and the port it listens on (0: none), which every
    /// version reads, then the rest, which only a node that speaks one of those versions reads (nil otherwise).
    case hello(versions: [UInt8], port: UInt16, Hello?)
    /// The responder's versions, then the rest; nil when the two share no version: the responder
    /// sends only its list, so that the initiator learns why, and closes.
    case helloReply(versions: [UInt8], HelloReply?)
    case proof(signature: [UInt8])
    case vector(SyncVector)
    /// Sent twice by both sides after the vectors: first for each author whose log this side found
    /// forked against the peer's vector, then for the authors only the peer found forked: the positions
    /// it holds at a few seqs (its highest, then 1, 2, 4, 8 … below). Usually both empty.
    case forks(Checkpoints)
    /// Entries as decoded from the wire: well formed, signatures not checked yet (the receiving
    /// `SyncInbound` has them verified before anything is stored).
    case entries([Entry])
    /// The sender has sent all it will in this session; `more` says it stopped at its per-session bound.
    case done(more: Bool)
    /// Entries the sender holds without their payload, asked for whole (`PayloadFetch`).
    case fetch([EntryRef])

    private enum Tag: UInt8 {
        case hello = 1, helloReply, proof, vector, entries, done, forks, fetch
    }

    /// Type byte and body, without the length prefix (the transport adds it).
    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        switch self {
        case .hello(let versions, let port, let hello):
            writer.u8(Tag.hello.rawValue)
            ProtocolVersions.encode(versions, into: &writer)
            writer.u16(port)
            hello?.encode(into: &writer)
        case .helloReply(let versions, let reply):
            writer.u8(Tag.helloReply.rawValue)
            ProtocolVersions.encode(versions, into: &writer)
            reply?.encode(into: &writer)
        case .proof(let signature):
            writer.u8(Tag.proof.rawValue)
            writer.raw(signature)
        case .vector(let vector):
            writer.u8(Tag.vector.rawValue)
            vector.encode(into: &writer)
        case .entries(let entries):
            writer.u8(Tag.entries.rawValue)
            writer.u16(UInt16(entries.count))
            for entry in entries { writer.raw(entry.encoded) }
        case .done(let more):
            writer.u8(Tag.done.rawValue)
            writer.u8(more ? 1 : 0)
        case .forks(let checkpoints):
            writer.u8(Tag.forks.rawValue)
            TipsCodec.encode(checkpoints.positions, into: &writer)
        case .fetch(let refs):
            writer.u8(Tag.fetch.rawValue)
            PayloadFetch.encode(refs, into: &writer)
        }
        return writer.bytes
    }

    /// Decodes a frame, rejecting oversized, truncated, trailing and malformed input. Entries come out
    /// well formed but unverified: verification is batched across cores by the receiver.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> SyncFrame {
        guard bytes.count <= maxBytes else { throw .oversized(field: "frame", size: bytes.count, limit: maxBytes) }
        var reader = ByteReader(bytes)
        let tag = try reader.u8("frame type")
        let frame: SyncFrame
        switch Tag(rawValue: tag) {
        case .hello:
            let versions = try ProtocolVersions.decode(from: &reader)
            let port = try reader.u16("port")
            // The rest is laid out as a version this node does not speak defines it: not read at all.
            guard ProtocolVersions.readable(versions) else { return .hello(versions: versions, port: port, nil) }
            frame = .hello(versions: versions, port: port, try Hello.decode(from: &reader))
        case .helloReply:
            let versions = try ProtocolVersions.decode(from: &reader)
            guard ProtocolVersions.readable(versions) else { return .helloReply(versions: versions, nil) }
            frame = .helloReply(versions: versions, try HelloReply.decode(from: &reader))
        case .proof:
            frame = .proof(signature: try reader.raw(Entry.signatureBytes, "signature"))
        case .vector:
            frame = .vector(try SyncVector.decode(from: &reader))
        case .entries:
            let count = Int(try reader.u16("entry count"))
            guard count <= maxEntriesPerFrame else { throw .oversized(field: "entries", size: count, limit: maxEntriesPerFrame) }
            var entries: [Entry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                entries.append(try Entry.decode(from: &reader, verifySignature: false))
            }
            frame = .entries(entries)
        case .done:
            let more = try reader.u8("more")
            guard more <= 1 else { throw .invalid(field: "more", reason: "must be 0 or 1") }
            frame = .done(more: more == 1)
        case .forks:
            frame = .forks(Checkpoints(try TipsCodec.decode(
                from: &reader, maxAuthors: Checkpoints.maxAuthors, maxPerAuthor: Checkpoints.maxPerAuthor)))
        case .fetch:
            frame = .fetch(try PayloadFetch.decode(from: &reader))
        case nil:
            throw .invalid(field: "frame type", reason: "unknown frame type \(tag)")
        }
        try reader.finish()
        return frame
    }

    /// The frame's name, for errors and logs (never its contents).
    public var name: String {
        switch self {
        case .hello: "hello"
        case .helloReply: "hello reply"
        case .proof: "proof"
        case .vector: "vector"
        case .entries: "entries"
        case .done: "done"
        case .forks: "forks"
        case .fetch: "fetch"
        }
    }
}
