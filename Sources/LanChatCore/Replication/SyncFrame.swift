/// A message of the TCP sync protocol. On the wire each frame is a u32 big-endian length
/// (of type and body, at most `maxBytes`) followed by a type byte and the body.
public enum SyncFrame: Equatable, Sendable {
    public static let maxBytes = 1 << 20
    /// Entries per `entries` frame; a full frame of the largest entries still fits `maxBytes`.
    public static let maxEntriesPerFrame = 40

    case hello(network: String, sender: AuthorID, port: UInt16, challenge: [UInt8])
    case helloReply(sender: AuthorID, challenge: [UInt8], signature: [UInt8])
    case proof(signature: [UInt8])
    case vector(VersionVector)
    /// Encoded entries, each verified by the receiver before it is stored.
    case entries([[UInt8]])
    /// The sender has sent all it will in this session; `more` says it stopped at its per-session bound.
    case done(more: Bool)

    private enum Tag: UInt8 {
        case hello = 1, helloReply, proof, vector, entries, done
    }

    /// Type byte and body, without the length prefix (the transport adds it).
    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        switch self {
        case .hello(let network, let sender, let port, let challenge):
            writer.u8(Tag.hello.rawValue)
            writer.u8(Datagram.protocolVersion)
            writer.shortString(network)
            writer.raw(sender.bytes)
            writer.u16(port)
            writer.raw(challenge)
        case .helloReply(let sender, let challenge, let signature):
            writer.u8(Tag.helloReply.rawValue)
            writer.raw(sender.bytes)
            writer.raw(challenge)
            writer.raw(signature)
        case .proof(let signature):
            writer.u8(Tag.proof.rawValue)
            writer.raw(signature)
        case .vector(let vector):
            writer.u8(Tag.vector.rawValue)
            vector.encode(into: &writer)
        case .entries(let entries):
            writer.u8(Tag.entries.rawValue)
            writer.u16(UInt16(entries.count))
            for entry in entries { writer.raw(entry) }
        case .done(let more):
            writer.u8(Tag.done.rawValue)
            writer.u8(more ? 1 : 0)
        }
        return writer.bytes
    }

    /// Decodes a frame; entries inside an `entries` frame are split and checked here, their signatures
    /// too unless the caller verifies them itself (`hasValidSignature`, on several cores) before use.
    public static func decode(_ bytes: [UInt8], verifySignatures: Bool = true) throws(DecodeError) -> (frame: SyncFrame, entries: [Entry]) {
        guard bytes.count <= maxBytes else { throw .oversized(field: "frame", size: bytes.count, limit: maxBytes) }
        var reader = ByteReader(bytes)
        let tag = try reader.u8("frame type")
        var entries: [Entry] = []
        let frame: SyncFrame
        switch Tag(rawValue: tag) {
        case .hello:
            let version = try reader.u8("protocol version")
            guard version == Datagram.protocolVersion else { throw .unsupportedVersion(version) }
            let network = try reader.utf8(Int(try reader.u8("network length")), limit: NetworkName.maxBytes, "network")
            let sender = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "sender"))
            let port = try reader.u16("port")
            frame = .hello(network: network, sender: sender, port: port, challenge: try reader.raw(Handshake.challengeBytes, "challenge"))
        case .helloReply:
            let sender = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "sender"))
            let challenge = try reader.raw(Handshake.challengeBytes, "challenge")
            frame = .helloReply(sender: sender, challenge: challenge, signature: try reader.raw(Entry.signatureBytes, "signature"))
        case .proof:
            frame = .proof(signature: try reader.raw(Entry.signatureBytes, "signature"))
        case .vector:
            frame = .vector(try VersionVector.decode(from: &reader))
        case .entries:
            let count = Int(try reader.u16("entry count"))
            guard count <= maxEntriesPerFrame else { throw .oversized(field: "entries", size: count, limit: maxEntriesPerFrame) }
            for _ in 0..<count {
                entries.append(try Entry.decode(from: &reader, verifySignature: verifySignatures))
            }
            frame = .entries(entries.map(\.encoded))
        case .done:
            let more = try reader.u8("more")
            guard more <= 1 else { throw .invalid(field: "more", reason: "must be 0 or 1") }
            frame = .done(more: more == 1)
        case nil:
            throw .invalid(field: "frame type", reason: "unknown frame type \(tag)")
        }
        try reader.finish()
        return (frame, entries)
    }
}

/// The mutual proof at the start of every sync: each side signs the other's fresh challenge, bound to
/// the network, both IDs and its role, so a signature can be replayed neither later nor in reverse.
public enum Handshake {
    public static let challengeBytes = 32
    private static let context = Array("lanchat sync handshake v1".utf8)

    public enum Role: UInt8, Sendable {
        case initiator = 0x49  // "I"
        case responder = 0x52  // "R"
    }

    public static func transcript(
        role: Role, network: String, challenge: [UInt8], signer: AuthorID, other: AuthorID
    ) -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(context)
        writer.shortString(network)
        writer.u8(role.rawValue)
        writer.raw(challenge)
        writer.raw(signer.bytes)
        writer.raw(other.bytes)
        return writer.bytes
    }

    public static func sign(
        _ identity: LocalIdentity, role: Role, network: String, challenge: [UInt8], other: AuthorID
    ) -> [UInt8] {
        identity.sign(transcript(role: role, network: network, challenge: challenge, signer: identity.id, other: other))
    }

    public static func verify(
        _ signature: [UInt8], by signer: AuthorID, role: Role, network: String, challenge: [UInt8], other: AuthorID
    ) -> Bool {
        signer.isValidSignature(
            signature, for: transcript(role: role, network: network, challenge: challenge, signer: signer, other: other))
    }
}

extension Handshake {
    public static func randomChallenge() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<challengeBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

extension Entry {
    /// The seq of an entry in canonical encoding, read without decoding the rest (version byte, author, then seq).
    public static func seq(ofEncoded bytes: [UInt8]) -> UInt64 {
        bytes[(1 + AuthorID.byteCount)..<(1 + AuthorID.byteCount + 8)].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
