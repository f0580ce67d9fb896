/// News about one peer's liveness, piggybacked on pings and acks (SWIM's dissemination), so that a
/// failure one node notices is known everywhere within a few periods, however many nodes there are.
/// The subject is named by its ID and by the address the sender knows it at: a receiver acts only on
/// the record at that address whose ID a sync handshake verified.
public struct MembershipUpdate: Equatable, Sendable {
    public enum Kind: UInt8, Sendable {
        /// Signed by the subject: it is up at this incarnation. The only news that clears a suspicion.
        case alive = 1
        /// The sender suspects the subject at this incarnation.
        case suspect
        /// The sender's suspicion ran out unrefuted. Receivers take it as a suspicion of their own, so no
        /// one node can declare another dead without the suspicion timeout running everywhere.
        case offline
    }

    /// Incarnations stay below 2^63, as seqs do, so that no message can leave its subject no number to refute with.
    public static let maxIncarnation: UInt64 = (1 << 63) - 1
    public static let signatureBytes = 64
    /// What an alive signs before the network and incarnation: a signature made for anything else never reads as one.
    static let signingContext = Array("lanchat alive".utf8)

    public let kind: Kind
    public let subject: AuthorID
    public let incarnation: UInt64
    public let address: PeerAddress
    /// The subject's Ed25519 signature of `signedBytes(network:)` for an alive; empty otherwise.
    public let signature: [UInt8]

    /// A suspicion or an offline report; an alive must be made with `alive(by:incarnation:address:network:)`.
    public init(_ kind: Kind, subject: AuthorID, incarnation: UInt64, address: PeerAddress) {
        precondition(kind != .alive, "an alive is signed")
        self.init(kind: kind, subject: subject, incarnation: incarnation, address: address, signature: [])
    }

    init(kind: Kind, subject: AuthorID, incarnation: UInt64, address: PeerAddress, signature: [UInt8]) {
        self.kind = kind
        self.subject = subject
        self.incarnation = incarnation
        self.address = address
        self.signature = signature
    }

    /// The refutation a node makes of a suspicion about itself. The address is not signed: a node does not
    /// know the addresses others reach it at, and a receiver applies it only where the subject's ID is verified.
    public static func alive(by identity: LocalIdentity, incarnation: UInt64, address: PeerAddress, network: String) -> Self {
        let message = signedBytes(subject: identity.id, incarnation: incarnation, network: network)
        return Self(kind: .alive, subject: identity.id, incarnation: incarnation, address: address, signature: identity.sign(message))
    }

    static func signedBytes(subject: AuthorID, incarnation: UInt64, network: String) -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        writer.raw(signingContext)
        writer.shortString(network)
        writer.raw(subject.bytes)
        writer.u64(incarnation)
        return writer.bytes
    }

    /// Whether an alive carries its subject's signature for this network and incarnation.
    public func isSignedAlive(network: String) -> Bool {
        kind == .alive && subject.isValidSignature(signature, for: Self.signedBytes(subject: subject, incarnation: incarnation, network: network))
    }

    /// Its size in a datagram, so a sender fills a datagram without going over `Datagram.maxBytes`.
    var encodedSize: Int { 1 + AuthorID.byteCount + 8 + address.encodedSize + signature.count }

    func encode(into writer: inout ByteWriter) {
        writer.u8(kind.rawValue)
        writer.raw(subject.bytes)
        writer.u64(incarnation)
        address.encode(into: &writer)
        writer.raw(signature)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> Self {
        let tag = try reader.u8("update kind")
        guard let kind = Kind(rawValue: tag) else { throw .invalid(field: "update kind", reason: "unknown kind \(tag)") }
        let subject = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "update subject"))
        let incarnation = try reader.u64("incarnation")
        guard incarnation <= maxIncarnation, kind != .alive || incarnation >= 1 else {
            throw .invalid(field: "incarnation", reason: kind == .alive ? "must be 1 to 2^63-1" : "must be below 2^63")
        }
        let address = try PeerAddress.decode(from: &reader)
        let signature = kind == .alive ? try reader.raw(signatureBytes, "alive signature") : []
        return Self(kind: kind, subject: subject, incarnation: incarnation, address: address, signature: signature)
    }
}

/// Checks the signature of an alive. The simulator shares one that checks each distinct alive once.
public protocol AliveVerifying: Sendable {
    func verify(_ alive: MembershipUpdate, network: String) -> Bool
}

/// One Ed25519 check per call.
public struct AliveSignatureVerifier: AliveVerifying {
    public init() {}

    public func verify(_ alive: MembershipUpdate, network: String) -> Bool { alive.isSignedAlive(network: network) }
}
