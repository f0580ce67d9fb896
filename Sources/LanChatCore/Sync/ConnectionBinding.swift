/// What ties a handshake to the connection it runs on: the responder's address and port as the
/// connection reaches it, the port the initiator says it listens on (which the responder records with
/// the initiator's proven ID), and the network keys each direction is sealed with. Both ends sign it, so
/// a node that relays a connection to a third one cannot make the initiator record the third one's
/// proven ID at the relay's address: the responder signs its own address, not the relay's.
public struct ConnectionBinding: Equatable, Sendable {
    /// Canonical: IPv4 in dotted form (never IPv4-mapped IPv6), IPv6 as RFC 5952 writes it, no scope ID.
    public let responder: PeerAddress
    /// The listen port the initiator's hello named; set by `SyncHandshake` on both sides.
    public internal(set) var initiatorPort: UInt16
    /// Fingerprints of the keys the initiator's and the responder's frames are sealed with; nil on an
    /// open network.
    public private(set) var initiatorKey: KeyFingerprint?
    public private(set) var responderKey: KeyFingerprint?

    /// Nil when the host is not a numeric address.
    public init?(responder address: PeerAddress, initiatorPort: UInt16 = 0) {
        self.initiatorPort = initiatorPort
        guard let numeric = NumericHost(address.unzoned.host) else { return nil }
        responder = PeerAddress(host: numeric.unmapped.description, port: address.port)
    }

    /// Both directions' keys, known once the peer's preamble was read.
    public mutating func sealed(initiator: KeyFingerprint, responder: KeyFingerprint) {
        initiatorKey = initiator
        responderKey = responder
    }

    func encode(into writer: inout ByteWriter) {
        writer.shortString(responder.host)
        writer.u16(responder.port)
        writer.u16(initiatorPort)
        for key in [initiatorKey, responderKey] {
            writer.u8(key == nil ? 0 : 1)
            if let key { writer.u64(key.value) }
        }
    }
}
