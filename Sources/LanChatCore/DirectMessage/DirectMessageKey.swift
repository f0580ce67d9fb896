@preconcurrency import Crypto

/// The X25519 key others seal direct messages to, published in the identity's signed profile. Its
/// private half is derived from the identity's signing seed (HKDF-SHA256, info `lanchat dm key v1`),
/// so it needs no file of its own and moves with the identity.
public struct DirectMessageKey: Hashable, Sendable {
    public static let byteCount = 32
    public let bytes: [UInt8]
    /// Names the key in a sealed message's recipient list: the first 8 bytes of
    /// SHA-256(`lanchat dm key id v1` || key), so nodes find their messages without trying each one.
    /// Computed once: every message a node holds is checked against it, every time it reads them.
    public let keyID: UInt64

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
        keyID = Array(SHA256.hash(data: Array("lanchat dm key id v1".utf8) + bytes)).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// This identity's private X25519 key. Like `LocalIdentity`, never printed, logged or sent.
public struct DirectMessagePrivateKey: Sendable {
    let key: Curve25519.KeyAgreement.PrivateKey
    public let publicKey: DirectMessageKey

    init(rawRepresentation bytes: [UInt8]) {
        // Any 32 bytes make an X25519 private key (it is clamped when used).
        key = try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes)
        publicKey = DirectMessageKey(bytes: Array(key.publicKey.rawRepresentation))!
    }
}

extension LocalIdentity {
    public var directMessageKey: DirectMessagePrivateKey {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: seed), salt: [UInt8](), info: Array("lanchat dm key v1".utf8), outputByteCount: 32)
        return DirectMessagePrivateKey(rawRepresentation: derived.withUnsafeBytes { Array($0) })
    }
}
