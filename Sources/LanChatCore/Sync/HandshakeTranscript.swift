/// The mutual proof at the start of every sync: each side signs the other's fresh challenge, bound to
/// the network, both IDs, its role, its start token, both version lists and the connection (the
/// responder's address and the stream keys, `ConnectionBinding`), so a signature can be replayed
/// neither later, nor in reverse, nor through a relay, a token cannot be claimed for a key one does
/// not hold, and no one between the two can strike versions from their lists unseen.
public enum HandshakeTranscript {
    public static let challengeBytes = 32
    public static let tokenBytes = 16
    private static let context = Array("lanchat sync handshake v3".utf8)

    public enum Role: UInt8, Sendable {
        case initiator = 0x49  // "I"
        case responder = 0x52  // "R"
    }

    /// What both sides said about versions: the initiator's hello list and the responder's reply list.
    public struct Versions: Equatable, Sendable {
        public let initiator: [UInt8]
        public let responder: [UInt8]

        public init(initiator: [UInt8], responder: [UInt8]) {
            self.initiator = initiator
            self.responder = responder
        }
    }

    public static func bytes(
        role: Role, network: String, challenge: [UInt8], signer: AuthorID, other: AuthorID, token: [UInt8], versions: Versions,
        binding: ConnectionBinding
    ) -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(context)
        writer.shortString(network)
        writer.u8(role.rawValue)
        writer.raw(challenge)
        writer.raw(signer.bytes)
        writer.raw(other.bytes)
        writer.raw(token)
        ProtocolVersions.encode(versions.initiator, into: &writer)
        ProtocolVersions.encode(versions.responder, into: &writer)
        binding.encode(into: &writer)
        return writer.bytes
    }

    public static func sign(
        _ identity: LocalIdentity, role: Role, network: String, challenge: [UInt8], other: AuthorID, token: [UInt8],
        versions: Versions, binding: ConnectionBinding
    ) -> [UInt8] {
        identity.sign(bytes(
            role: role, network: network, challenge: challenge, signer: identity.id, other: other, token: token, versions: versions,
            binding: binding))
    }

    public static func verify(
        _ signature: [UInt8], by signer: AuthorID, role: Role, network: String, challenge: [UInt8], other: AuthorID,
        token: [UInt8], versions: Versions, binding: ConnectionBinding
    ) -> Bool {
        signer.isValidSignature(
            signature,
            for: bytes(
                role: role, network: network, challenge: challenge, signer: signer, other: other, token: token, versions: versions,
                binding: binding))
    }

    public static func randomChallenge() -> [UInt8] { SecureRandom.bytes(challengeBytes) }

    /// A daemon draws one at its start: two daemons of one identity tell each other apart by it.
    public static func randomToken() -> [UInt8] { SecureRandom.bytes(tokenBytes) }
}
