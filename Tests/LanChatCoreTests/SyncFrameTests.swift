import LanChatCore
import Testing

/// The frames of the TCP sync protocol: every type round-trips, malformed frames are refused, and
/// entries come out of a frame well formed but unverified.
@Suite("SyncFrame")
struct SyncFrameTests {
    static let alice = try! identity(1), bob = try! identity(2)
    static let challenge = [UInt8](repeating: 0xC1, count: HandshakeTranscript.challengeBytes)
    static let signature = [UInt8](repeating: 0x5E, count: Entry.signatureBytes)

    static let frames: [SyncFrame] = [
        .hello(network: "lanchat", sender: alice.id, port: 7420, challenge: challenge),
        .hello(network: "x", sender: alice.id, port: 0, challenge: challenge),
        .helloReply(sender: bob.id, challenge: challenge, signature: signature),
        .proof(signature: signature),
        .vector(SyncVector()),
        .vector(SyncVector([alice.id: [tip(1), tip(2, hash: 3)], bob.id: [tip(9)]])),
        .entries([]),
        .entries(log(of: alice, 1...3) + log(of: bob, 7...7)),
        .entries(log(of: bob, 1...UInt64(SyncFrame.maxEntriesPerFrame))),
        .done(more: false),
        .done(more: true),
    ]

    @Test(arguments: frames)
    func roundTrip(_ frame: SyncFrame) throws {
        let bytes = frame.encoded()
        #expect(try SyncFrame.decode(bytes) == frame)
        #expect(try SyncFrame.decode(bytes).encoded() == bytes)
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let bytes: [UInt8]
        let error: DecodeError
    }

    static let malformed: [Malformed] = {
        let hello = SyncFrame.hello(network: "lanchat", sender: alice.id, port: 7420, challenge: challenge).encoded()
        let tooMany = SyncFrame.entries(log(of: bob, 1...UInt64(SyncFrame.maxEntriesPerFrame + 1))).encoded()
        return [
            Malformed(testDescription: "empty", bytes: [], error: .truncated(field: "frame type")),
            Malformed(testDescription: "unknown type", bytes: [7], error: .invalid(field: "frame type", reason: "unknown frame type 7")),
            Malformed(testDescription: "another protocol version", bytes: [hello[0], 2] + hello.dropFirst(2), error: .unsupportedVersion(2)),
            Malformed(testDescription: "a short challenge", bytes: Array(hello.dropLast()), error: .truncated(field: "challenge")),
            Malformed(testDescription: "trailing bytes", bytes: hello + [0], error: .trailingBytes(count: 1)),
            Malformed(testDescription: "done with more = 2", bytes: [6, 2], error: .invalid(field: "more", reason: "must be 0 or 1")),
            Malformed(testDescription: "more entries than a frame holds", bytes: tooMany,
                      error: .oversized(field: "entries", size: SyncFrame.maxEntriesPerFrame + 1, limit: SyncFrame.maxEntriesPerFrame)),
            Malformed(testDescription: "fewer entries than counted", bytes: [5, 0, 1], error: .truncated(field: "version")),
            Malformed(testDescription: "larger than a frame may be", bytes: [6] + [UInt8](repeating: 0, count: SyncFrame.maxBytes),
                      error: .oversized(field: "frame", size: SyncFrame.maxBytes + 1, limit: SyncFrame.maxBytes)),
        ]
    }()

    @Test(arguments: malformed)
    func decodeRejects(_ input: Malformed) {
        #expect(throws: input.error) { try SyncFrame.decode(input.bytes) }
    }

    /// A tampered entry decodes from a frame (verification is the receiver's, batched) but fails the verifier.
    @Test func entriesComeOutUnverified() throws {
        let genuine = log(of: Self.alice, 1...2)
        var bytes = genuine[1].encoded
        bytes[bytes.count - Entry.signatureBytes - 1] ^= 0x01  // the last byte of the name: still valid UTF-8 text
        let tampered = try Entry.decode(bytes, verifySignature: false)
        #expect(throws: DecodeError.self) { try Entry.decode(bytes) }

        let decoded = try SyncFrame.decode(SyncFrame.entries([genuine[0], tampered]).encoded())
        guard case .entries(let entries) = decoded else {
            Issue.record("expected entries, got \(decoded.name)")
            return
        }
        #expect(entries == [genuine[0], tampered])
        #expect(SignatureVerifier().verify([entries[0]]))
        #expect(!SignatureVerifier().verify([entries[1]]))
        #expect(!SignatureVerifier().verify(entries))
    }
}
