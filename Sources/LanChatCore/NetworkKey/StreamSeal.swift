/// Seals one direction of a sync connection. Its first frame is the bare `SealHeader` with a fresh
/// session ID (the preamble); every frame after it is ChaCha20-Poly1305 ciphertext and tag under the
/// session's subkey, the nonce counting frames from zero. TCP keeps the order, so the counter is not
/// sent; a dropped, repeated or reordered frame fails to open and ends the session.
public struct StreamSealer: Sendable {
    public static let tagBytes = SealBox.tagBytes

    public let preamble: [UInt8]
    public let fingerprint: KeyFingerprint
    private let subkey: Subkey
    private var counter: UInt64 = 0

    public init(ring: NetworkKeyRing, network: String, session: SessionID = .random()) {
        let header = SealHeader(fingerprint: ring.sending.fingerprint, session: session)
        preamble = header.encoded
        fingerprint = header.fingerprint
        subkey = ring.sending.subkey(session: session, purpose: .stream, network: network)
    }

    public mutating func seal(_ frame: [UInt8]) -> [UInt8] {
        defer { counter += 1 }
        return SealBox.seal(frame, key: subkey.key, counter: counter, header: [])
    }
}

/// What a node does with the frames a sync connection brings: with a network key, the first must be
/// the peer's preamble (naming a key of the ring) and every later one must open; without, a sealed
/// stream is refused as `otherKey` and plain frames pass.
public struct StreamGate: Sendable {
    private enum State: Sendable {
        case plain
        case awaitingPreamble(NetworkKeyRing, network: String)
        case opening(StreamOpener)
    }

    private var state: State

    public init(ring: NetworkKeyRing?, network: String) {
        state = ring.map { .awaitingPreamble($0, network: network) } ?? .plain
    }

    /// The key the peer seals with, once its preamble was read.
    public var peerKey: KeyFingerprint? {
        if case .opening(let opener) = state { opener.fingerprint } else { nil }
    }

    /// The frame's plain bytes; nil for the preamble, which carries no frame.
    public mutating func open(_ bytes: [UInt8]) throws(SealRefusal) -> [UInt8]? {
        switch state {
        case .plain:
            if let refusal = SealHeader.refusalWithoutKey(bytes) { throw refusal }
            return bytes
        case .awaitingPreamble(let ring, let network):
            state = .opening(try StreamOpener(preamble: bytes, ring: ring, network: network))
            return nil
        case .opening(var opener):
            let plain = try opener.open(bytes)
            state = .opening(opener)
            return plain
        }
    }
}

/// Opens the other direction of a sync connection, from its preamble on.
struct StreamOpener: Sendable {
    let fingerprint: KeyFingerprint
    private let subkey: Subkey
    private var counter: UInt64 = 0

    /// The peer's preamble, if it names a key of the ring.
    init(preamble: [UInt8], ring: NetworkKeyRing, network: String) throws(SealRefusal) {
        guard let header = SealHeader(preamble), preamble.count == SealHeader.byteCount else {
            throw SealHeader.isSealed(preamble) ? .forged : .unsealed
        }
        guard let key = ring.key(header.fingerprint) else { throw .otherKey(header.fingerprint) }
        fingerprint = header.fingerprint
        subkey = key.subkey(session: header.session, purpose: .stream, network: network)
    }

    mutating func open(_ sealed: [UInt8]) throws(SealRefusal) -> [UInt8] {
        guard let plain = SealBox.open(sealed[...], key: subkey.key, counter: counter, header: []) else { throw .forged }
        counter += 1
        return plain
    }
}
