/// Why a sync session ended without completing. Every one closes the connection; none affects others.
public enum SyncFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// A frame that does not decode, or that the protocol does not allow at this point.
    case protocolViolation(String)
    /// The other side did not prove the ID it claims, or is on another network, or is us.
    case authentication(String)
    /// An entry whose signature does not verify: nothing of that batch is stored.
    case badSignature
    /// The peer sent more than a session may carry, or entries it did not offer.
    case outOfBounds(String)
    case closed
    case timedOut
    /// The node refused the connection: too many sessions at once.
    case refused

    public var description: String {
        switch self {
        case .protocolViolation(let text): "protocol violation: \(text)"
        case .authentication(let text): "handshake failed: \(text)"
        case .badSignature: "an entry's signature does not verify"
        case .outOfBounds(let text): "out of bounds: \(text)"
        case .closed: "connection closed"
        case .timedOut: "timed out"
        case .refused: "refused: too many sessions"
        }
    }
}
