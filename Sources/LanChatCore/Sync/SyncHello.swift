extension SyncFrame {
    /// What follows the version list and port of a hello, for a node that speaks one of the versions.
    public struct Hello: Equatable, Sendable {
        public let network: String
        public let sender: AuthorID
        public let challenge: [UInt8]
        /// The sender's start token (`HandshakeTranscript.tokenBytes`): a daemon that meets its own ID
        /// with another token has a twin.
        public let token: [UInt8]

        public init(network: String, sender: AuthorID, challenge: [UInt8], token: [UInt8]) {
            self.network = network
            self.sender = sender
            self.challenge = challenge
            self.token = token
        }

        func encode(into writer: inout ByteWriter) {
            writer.shortString(network)
            writer.raw(sender.bytes)
            writer.raw(challenge)
            writer.raw(token)
        }

        static func decode(from reader: inout ByteReader) throws(DecodeError) -> Hello {
            Hello(
                network: try reader.utf8(Int(try reader.u8("network length")), limit: NetworkName.maxBytes, "network"),
                sender: try AuthorID(bytes: reader.raw(AuthorID.byteCount, "sender")),
                challenge: try reader.raw(HandshakeTranscript.challengeBytes, "challenge"),
                token: try reader.raw(HandshakeTranscript.tokenBytes, "token"))
        }
    }

    /// What follows the responder's version list in a hello reply, when the two share a version.
    public struct HelloReply: Equatable, Sendable {
        public let sender: AuthorID
        public let challenge: [UInt8]
        public let token: [UInt8]
        /// Over the transcript of role R (`HandshakeTranscript`).
        public let signature: [UInt8]

        public init(sender: AuthorID, challenge: [UInt8], token: [UInt8], signature: [UInt8]) {
            self.sender = sender
            self.challenge = challenge
            self.token = token
            self.signature = signature
        }

        func encode(into writer: inout ByteWriter) {
            writer.raw(sender.bytes)
            writer.raw(challenge)
            writer.raw(token)
            writer.raw(signature)
        }

        static func decode(from reader: inout ByteReader) throws(DecodeError) -> HelloReply {
            HelloReply(
                sender: try AuthorID(bytes: reader.raw(AuthorID.byteCount, "sender")),
                challenge: try reader.raw(HandshakeTranscript.challengeBytes, "challenge"),
                token: try reader.raw(HandshakeTranscript.tokenBytes, "token"),
                signature: try reader.raw(Entry.signatureBytes, "signature"))
        }
    }
}
