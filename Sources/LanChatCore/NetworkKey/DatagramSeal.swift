/// Seals this node's datagrams under its sending key. One sealer per daemon start: a new session
/// ID, so a new subkey, every time, and the counter nonce counts up from zero under it. Nothing is
/// persisted, so neither a restart nor a restored backup can reuse a nonce.
///
/// A sealed datagram: the `SealHeader` (27 bytes), the counter (8, big-endian), the ChaCha20-Poly1305
/// ciphertext of the plain datagram, its tag (16). The header and counter are authenticated data.
public struct DatagramSealer: Sendable {
    /// What sealing adds to a datagram.
    public static let overhead = SealHeader.byteCount + 8 + SealBox.tagBytes

    private let header: SealHeader
    private let subkey: Subkey
    private var counter: UInt64 = 0

    public init(ring: NetworkKeyRing, network: String, session: SessionID = .random()) {
        header = SealHeader(fingerprint: ring.sending.fingerprint, session: session)
        subkey = ring.sending.subkey(session: session, purpose: .datagram, network: network)
    }

    public mutating func seal(_ plain: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: Self.overhead + plain.count)
        writer.raw(header.encoded)
        writer.u64(counter)
        let authenticated = writer.bytes
        writer.raw(SealBox.seal(plain, key: subkey.key, counter: counter, header: authenticated))
        counter += 1
        return writer.bytes
    }
}

/// Opens datagrams sealed under any key of the ring, refusing replays, before anything else reads
/// them. Without a ring, plain datagrams pass and sealed ones are refused as `otherKey`, so a node
/// can tell that others closed the network.
///
/// Subkeys are derived once per session and kept with the session's replay window, for at most
/// `maxSessions` sessions (the least recently used goes). A session enters only once one of its
/// datagrams authenticated, so only key holders fill the table; one forgotten by then and heard
/// again starts a new window.
public struct DatagramOpener: Sendable {
    public static let maxSessions = 1024

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

    public var sealed: Bool { ring != nil }

    public var footprint: Int { sessions.count }

    public mutating func open(_ bytes: [UInt8]) -> Outcome {
        let header = SealHeader(bytes)
        guard let ring else {
            // "LS" cannot start a plain datagram ("LC"): one that does is sealed, or garbage.
            guard SealHeader.isSealed(bytes) else { return .opened(bytes) }
            return .refused(header.map { .otherKey($0.fingerprint) } ?? .forged)
        }
        guard let header else { return .refused(SealHeader.isSealed(bytes) ? .forged : .unsealed) }
        guard bytes.count <= Datagram.maxBytes else { return .refused(.forged) }
        guard let key = ring.key(header.fingerprint) else { return .refused(.otherKey(header.fingerprint)) }
        guard bytes.count >= DatagramSealer.overhead else { return .refused(.forged) }
        let counter = bytes[SealHeader.byteCount..<SealHeader.byteCount + 8].reduce(0) { $0 << 8 | UInt64($1) }
        let slot = Slot(fingerprint: header.fingerprint, session: header.session)
        let known = sessions[slot]
        if let known, !known.window.isFresh(counter) { return .refused(.replayed) }
        let subkey = known?.subkey ?? key.subkey(session: header.session, purpose: .datagram, network: network)
        let authenticated = Array(bytes[..<(SealHeader.byteCount + 8)])
        guard let plain = SealBox.open(bytes[(SealHeader.byteCount + 8)...], key: subkey.key, counter: counter, header: authenticated)
        else { return .refused(.forged) }
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
