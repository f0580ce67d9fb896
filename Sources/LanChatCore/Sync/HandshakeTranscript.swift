/// The mutual proof at the start of every sync: each side signs the other's fresh challenge, bound to
/// the network, both IDs and its role, so a signature can be replayed neither later nor in reverse.
public enum HandshakeTranscript {
    public static let challengeBytes = 32
    private static let context = Array("lanchat sync handshake v1".utf8)

    public enum Role: UInt8, Sendable {
        case initiator = 0x49  // "I"
        case responder = 0x52  // "R"
    }

    public static func bytes(
        role: Role, network: String, challenge: [UInt8], signer: AuthorID, other: AuthorID
    ) -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(context)
        writer.shortString(network)
        writer.u8(role.rawValue)
        writer.raw(challenge)
        writer.raw(signer.bytes)
        writer.raw(other.bytes)
        return writer.bytes
    }

    public static func sign(
        _ identity: LocalIdentity, role: Role, network: String, challenge: [UInt8], other: AuthorID
    ) -> [UInt8] {
        identity.sign(bytes(role: role, network: network, challenge: challenge, signer: identity.id, other: other))
    }

    public static func verify(
        _ signature: [UInt8], by signer: AuthorID, role: Role, network: String, challenge: [UInt8], other: AuthorID
    ) -> Bool {
        signer.isValidSignature(
            signature, for: bytes(role: role, network: network, challenge: challenge, signer: signer, other: other))
    }

    public static func randomChallenge() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<challengeBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
