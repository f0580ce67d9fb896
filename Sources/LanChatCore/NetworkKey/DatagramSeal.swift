/// Seals this node's datagrams under its sending key. One sealer per daemon start: a new session
/// ID, so a new subkey, every time, and the counter nonce counts up from zero under it. Nothing is
/// persisted, so neither a restart nor a restored backup can reuse a nonce.
///
/// A sealed datagram: the `SealHeader` (27 bytes), the counter (8, big-endian), the sender's wall clock
/// in milliseconds (8), the ChaCha20-Poly1305 ciphertext of the plain datagram, its tag (16). All
/// before the ciphertext is authenticated data.
public struct DatagramSealer: Sendable {
    /// Counter and clock.
    static let clearBytes = SealHeader.byteCount + 8 + 8
    /// What sealing adds to a datagram.
    public static let overhead = clearBytes + SealBox.tagBytes

    /// The same for every datagram of the session: encoded once.
    private let header: [UInt8]
    private let subkey: Subkey
    private var counter: UInt64 = 0

    public init(ring: NetworkKeyRing, network: String, session: SessionID = .random()) {
        header = SealHeader(fingerprint: ring.sending.fingerprint, session: session).encoded
        subkey = ring.sending.subkey(session: session, purpose: .datagram, network: network)
    }

    /// `wallMillis`: the sender's clock, so that a receiver refuses a capture played back later, also
    /// after it restarted and forgot which counters it saw.
    public mutating func seal(_ plain: [UInt8], at wallMillis: UInt64) -> [UInt8] {
        var writer = ByteWriter(capacity: Self.overhead + plain.count)
        writer.raw(header)
        writer.u64(counter)
        writer.u64(wallMillis)
        let authenticated = writer.bytes
        writer.raw(SealBox.seal(plain, key: subkey.key, counter: counter, header: authenticated))
        counter += 1
        return writer.bytes
    }
}

/// Opens datagrams sealed under any key of the ring, refusing replays, before anything else reads
/// them: a counter seen before in its session, or a datagram sent more than `maxClockDifference` from
/// this node's clock (`stale`: a capture kept for later, or a sender whose clock is off). Without a ring, plain datagrams pass and sealed ones are refused as `otherKey`, so a node
/// can tell that others closed the network.
///
/// Subkeys are derived once per session and kept with the session's replay window, for at most
/// `maxSessions` sessions (the least recently used goes). A session enters only once one of its
/// datagrams authenticated, so only key holders fill the table; one forgotten by then and heard
/// again starts a new window.
public struct DatagramOpener: Sendable {
    public static let maxSessions = 1024
    /// As far as the hybrid clock lets an author's clock run ahead (PROTOCOL.md §2.9).
    public static let maxClockDifference: UInt64 = 300_000

    public enum Outcome: Equatable, Sendable {
        case opened([UInt8])
        case refused(SealRefusal)
    }

    private struct Slot: Hashable {
        let fingerprint: KeyFingerprint
        let session: SessionID
    }

    private struct Session {
        let subkey: Subkey
        var window = ReplayWindow()
        var lastUse: UInt64
    }

    private let ring: NetworkKeyRing?
    private let network: String
    private var sessions: [Slot: Session] = [:]
    private var uses: UInt64 = 0

    public init(ring: NetworkKeyRing?, network: String) {
        self.ring = ring
        self.network = network
    }

    public var footprint: Int { sessions.count }

    /// `wallMillis`: this node's clock.
    public mutating func open(_ bytes: [UInt8], at wallMillis: UInt64) -> Outcome {
        guard let ring else { return SealHeader.refusalWithoutKey(bytes).map(Outcome.refused) ?? .opened(bytes) }
        guard let header = SealHeader(bytes) else { return .refused(SealHeader.isSealed(bytes) ? .forged : .unsealed) }
        guard bytes.count <= Datagram.maxBytes else { return .refused(.forged) }
        guard let key = ring.key(header.fingerprint) else { return .refused(.otherKey(header.fingerprint)) }
        guard bytes.count >= DatagramSealer.overhead else { return .refused(.forged) }
        let counter = bytes[SealHeader.byteCount..<SealHeader.byteCount + 8].reduce(0) { $0 << 8 | UInt64($1) }
        let sentAt = bytes[SealHeader.byteCount + 8..<DatagramSealer.clearBytes].reduce(0) { $0 << 8 | UInt64($1) }
        let slot = Slot(fingerprint: header.fingerprint, session: header.session)
        let known = sessions[slot]
        if let known, !known.window.isFresh(counter) { return .refused(.replayed) }
        let subkey = known?.subkey ?? key.subkey(session: header.session, purpose: .datagram, network: network)
        let authenticated = Array(bytes[..<DatagramSealer.clearBytes])
        guard let plain = SealBox.open(bytes[DatagramSealer.clearBytes...], key: subkey.key, counter: counter, header: authenticated)
        else { return .refused(.forged) }
        // After it authenticated: only a key holder's own clock can be stale, not an outsider's claim.
        guard max(sentAt, wallMillis) - min(sentAt, wallMillis) <= Self.maxClockDifference else { return .refused(.stale) }
        uses += 1
        var session = known ?? Session(subkey: subkey, lastUse: uses)
        session.window.record(counter)
        session.lastUse = uses
        if known == nil, sessions.count >= Self.maxSessions, let oldest = sessions.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            sessions[oldest.key] = nil
        }
        sessions[slot] = session
        return .opened(plain)
    }
}
