/// Why a sync session ended without completing. Every one closes the connection; none affects others.
public enum SyncFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// A frame that does not decode, or that the protocol does not allow at this point.
    case protocolViolation(String)
    /// The other side did not prove the ID it claims, or is on another network.
    case authentication(String)
    /// The peer speaks none of this node's protocol versions; `theirs` are the ones it listed, `port`
    /// the one its hello named (0 on the initiator's side: a reply names none).
    case incompatibleVersions(theirs: [UInt8], port: UInt16)
    /// The peer proved this node's own ID with this node's start token: this node, at another address.
    case itself
    /// The peer proved this node's own ID with another start token: the same identity runs there too.
    case twin
    /// An entry whose signature does not verify: nothing of that batch is stored.
    case badSignature
    /// The peer sent more than a session may carry, or entries it did not offer.
    case outOfBounds(String)
    case closed
    case timedOut
    /// The node refused the connection: too many sessions at once.
    case refused
    /// The stream is not sealed with a key of this node's network (or this node has none and it is).
    case unauthenticated(SealRefusal)

    public var description: String {
        switch self {
        case .protocolViolation(let text): "protocol violation: \(text)"
        case .authentication(let text): "handshake failed: \(text)"
        case .incompatibleVersions(let theirs, _):
            "the peer speaks protocol \(theirs.map(String.init).joined(separator: ", ")), this node \(ProtocolVersions.spoken.map(String.init).joined(separator: ", "))"
        case .itself: "connected to this node itself"
        case .twin: "the peer proved this node's own identity with another start token: it runs on another machine too"
        case .badSignature: "an entry's signature does not verify"
        case .outOfBounds(let text): "out of bounds: \(text)"
        case .closed: "connection closed"
        case .timedOut: "timed out"
        case .refused: "refused: too many sessions"
        case .unauthenticated(.unsealed): "the peer does not seal with a network key, and this node requires one"
        case .unauthenticated(.otherKey(let fingerprint)): "the peer seals with another network key (\(fingerprint))"
        case .unauthenticated: "a frame does not authenticate under the network key"
        }
    }
}
