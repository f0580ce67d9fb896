@preconcurrency import Crypto

/// The secret half of this node's identity. It signs; it is never printed, logged or sent,
/// so it deliberately has no description and no encoder.
public struct LocalIdentity: Sendable {
    private let key: Curve25519.Signing.PrivateKey
    public let id: AuthorID

    public static func generate() -> LocalIdentity {
        LocalIdentity(key: Curve25519.Signing.PrivateKey())
    }

    public init(seed: [UInt8]) throws(DecodeError) {
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .invalid(field: "private key", reason: "must be a 32-byte Ed25519 seed")
        }
        self.init(key: key)
    }

    private init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
        // Force-try is safe: a public key derived by the library always has the right size.
        self.id = try! AuthorID(bytes: Array(key.publicKey.rawRepresentation))
    }

    /// For writing the key file only.
    public var seed: [UInt8] { Array(key.rawRepresentation) }

    public func sign(_ message: [UInt8]) -> [UInt8] {
        // Signing with a valid in-memory key cannot fail in practice; BoringSSL reports no error path.
        Array(try! key.signature(for: message))
    }
}
