/// What opens every sealed packet and stream, in clear: `LS`, the protocol version, the fingerprint
/// of the key it is sealed with, and the sending session's ID (27 bytes).
struct SealHeader: Equatable {
    static let magic: [UInt8] = [0x4C, 0x53]  // "LS"
    static let byteCount = magic.count + 1 + KeyFingerprint.byteCount + SessionID.byteCount

    let fingerprint: KeyFingerprint
    let session: SessionID

    static func isSealed(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    /// What a node without a network key makes of a packet or frame: nil for a plain one ("LS" cannot
    /// start one), else why it is refused: the key it is sealed with, or garbage.
    static func refusalWithoutKey(_ bytes: [UInt8]) -> SealRefusal? {
        guard isSealed(bytes) else { return nil }
        return SealHeader(bytes).map { .otherKey($0.fingerprint) } ?? .forged
    }

    var encoded: [UInt8] {
        var writer = ByteWriter(capacity: Self.byteCount)
        writer.raw(Self.magic)
        writer.u8(Datagram.protocolVersion)
        writer.u64(fingerprint.value)
        writer.raw(session.bytes)
        return writer.bytes
    }

    /// The header at the start of `bytes`; nil unless it is one of this protocol version.
    init?(_ bytes: [UInt8]) {
        var reader = ByteReader(bytes.prefix(Self.byteCount))
        guard (try? reader.raw(2, "magic")) == Self.magic, (try? reader.u8("version")) == Datagram.protocolVersion,
            let fingerprint = try? reader.u64("fingerprint"), let session = try? reader.raw(SessionID.byteCount, "session")
        else { return nil }
        self.fingerprint = KeyFingerprint(value: fingerprint)
        self.session = SessionID(bytes: session)!
    }

    init(fingerprint: KeyFingerprint, session: SessionID) {
        self.fingerprint = fingerprint
        self.session = session
    }
}

/// Why a sealed (or unsealed) packet or stream was refused before anything else looked at it.
public enum SealRefusal: Error, Equatable, Sendable {
    /// Not sealed, where this node requires a network key.
    case unsealed
    /// Sealed under a key this node does not hold (or this node has none): its fingerprint.
    case otherKey(KeyFingerprint)
    /// Does not authenticate: altered, truncated or forged.
    case forged
    /// A datagram counter this node already accepted (or older than its window).
    case replayed
    /// A datagram sent more than 5 minutes from this node's clock: a capture played back later, or a
    /// sender whose clock is off.
    case stale
}
