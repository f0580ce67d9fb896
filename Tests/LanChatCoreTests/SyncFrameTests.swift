import LanChatCore
import Testing

/// The frames of the TCP sync protocol: every type round-trips, malformed frames are refused, and
/// entries come out of a frame well formed but unverified.
@Suite("SyncFrame")
struct SyncFrameTests {
    static let alice = try! identity(1), bob = try! identity(2)
    static let challenge = [UInt8](repeating: 0xC1, count: HandshakeTranscript.challengeBytes)
    static let signature = [UInt8](repeating: 0x5E, count: Entry.signatureBytes)
    static let token = [UInt8](repeating: 0x70, count: HandshakeTranscript.tokenBytes)
    static let hello = SyncFrame.hello(versions: [2], port: 7420, .init(network: "lanchat", sender: alice.id, challenge: challenge, token: token))

    static let frames: [SyncFrame] = [
        hello,
        .hello(versions: [2], port: 0, .init(network: "x", sender: alice.id, challenge: challenge, token: token)),
        .hello(versions: [1, 2, 3, 4, 5, 6, 7, 255], port: 7420, .init(network: "x", sender: alice.id, challenge: challenge, token: token)),
        .hello(versions: [3], port: 7420, nil),
        .helloReply(versions: [2], .init(sender: bob.id, challenge: challenge, token: token, signature: signature)),
        .helloReply(versions: [1, 3], nil),
        .proof(signature: signature),
        .vector(SyncVector()),
        .vector(SyncVector([alice.id: [tip(1), tip(2, hash: 3)], bob.id: [tip(9)]])),
        .entries([]),
        .entries(log(of: alice, 1...3) + log(of: bob, 7...7)),
        .entries(log(of: bob, 1...UInt64(SyncFrame.maxEntriesPerFrame))),
        .done(more: false),
        .done(more: true),
        .forks(Checkpoints()),
        .forks(Checkpoints([alice.id: [tip(1), tip(2, hash: 1), tip(2, hash: 2), tip(9)], bob.id: [tip(1 << 40)]])),
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
        let hello = Self.hello.encoded()
        let rest = Array(hello.dropFirst(3))
        let tooMany = SyncFrame.entries(log(of: bob, 1...UInt64(SyncFrame.maxEntriesPerFrame + 1))).encoded()
        return [
            Malformed(testDescription: "empty", bytes: [], error: .truncated(field: "frame type")),
            Malformed(testDescription: "unknown type", bytes: [9], error: .invalid(field: "frame type", reason: "unknown frame type 9")),
            Malformed(testDescription: "no version", bytes: [1, 0] + rest,
                      error: .invalid(field: "protocol version count", reason: "must be 1 to 8, is 0")),
            Malformed(testDescription: "more versions than a node speaks", bytes: [1, 9] + (1...9) + rest,
                      error: .invalid(field: "protocol version count", reason: "must be 1 to 8, is 9")),
            Malformed(testDescription: "version 0", bytes: [1, 2, 0, 2] + rest,
                      error: .invalid(field: "protocol versions", reason: "must be above 0 and rise strictly")),
            Malformed(testDescription: "versions repeated", bytes: [1, 2, 2, 2] + rest,
                      error: .invalid(field: "protocol versions", reason: "must be above 0 and rise strictly")),
            Malformed(testDescription: "versions falling", bytes: [1, 2, 3, 2] + rest,
                      error: .invalid(field: "protocol versions", reason: "must be above 0 and rise strictly")),
            Malformed(testDescription: "a list cut short", bytes: [1, 3, 1, 2], error: .truncated(field: "protocol versions")),
            Malformed(testDescription: "a hello reply without its list", bytes: [2], error: .truncated(field: "protocol version count")),
            Malformed(testDescription: "a short token", bytes: Array(hello.dropLast()), error: .truncated(field: "token")),
            Malformed(testDescription: "a version-2 hello without its rest", bytes: Array(hello.prefix(5)), error: .truncated(field: "network length")),
            Malformed(testDescription: "trailing bytes", bytes: hello + [0], error: .trailingBytes(count: 1)),
            Malformed(testDescription: "done with more = 2", bytes: [6, 2], error: .invalid(field: "more", reason: "must be 0 or 1")),
            Malformed(testDescription: "more entries than a frame holds", bytes: tooMany,
                      error: .oversized(field: "entries", size: SyncFrame.maxEntriesPerFrame + 1, limit: SyncFrame.maxEntriesPerFrame)),
            Malformed(testDescription: "fewer entries than counted", bytes: [5, 0, 1], error: .truncated(field: "version")),
            Malformed(testDescription: "larger than a frame may be", bytes: [6] + [UInt8](repeating: 0, count: SyncFrame.maxBytes),
                      error: .oversized(field: "frame", size: SyncFrame.maxBytes + 1, limit: SyncFrame.maxBytes)),
            Malformed(testDescription: "forks without a count", bytes: [7], error: .truncated(field: "vector size")),
            Malformed(testDescription: "forks of too many authors", bytes: [7] + bigEndian(UInt32(Checkpoints.maxAuthors + 1)),
                      error: .oversized(field: "vector", size: Checkpoints.maxAuthors + 1, limit: Checkpoints.maxAuthors)),
            Malformed(testDescription: "forks with too many positions", bytes: forks(count: Checkpoints.maxPerAuthor + 1),
                      error: .oversized(field: "tips", size: Checkpoints.maxPerAuthor + 1, limit: Checkpoints.maxPerAuthor)),
        ]
    }()

    /// A hello of versions this build does not speak is read as far as its list and port, whatever
    /// follows: a later version lays out the rest as it likes.
    @Test(arguments: [[UInt8](), [0xff], [UInt8](repeating: 7, count: 5000)])
    func aHelloOfOtherVersionsIsReadUpToItsPort(rest: [UInt8]) throws {
        #expect(try SyncFrame.decode([1, 2, 3, 9, 0x1c, 0xfc] + rest) == .hello(versions: [3, 9], port: 7420, nil))
        #expect(try SyncFrame.decode([2, 1, 3] + rest) == .helloReply(versions: [3], nil))
    }

    /// A forks frame of one author with `count` positions at seqs 1, 2, ….
    static func forks(count: Int) -> [UInt8] {
        [7] + bigEndian(UInt32(1)) + alice.id.bytes + [UInt8(count)] + (1...UInt64(count)).flatMap { bigEndian($0) + tip($0).hash.bytes }
    }

    @Test func theMostPositionsAForksFrameMayCarryDecode() throws {
        let frame = try SyncFrame.decode(Self.forks(count: Checkpoints.maxPerAuthor))
        #expect(frame == .forks(Checkpoints([Self.alice.id: (1...UInt64(Checkpoints.maxPerAuthor)).map { tip($0) }])))
    }

    @Test(arguments: malformed)
    func decodeRejects(_ input: Malformed) {
        #expect(throws: input.error) { try SyncFrame.decode(input.bytes) }
    }

    /// A tampered entry decodes from a frame (verification is the receiver's, batched) but fails the verifier.
    @Test func entriesComeOutUnverified() throws {
        let genuine = log(of: Self.alice, 1...2)
        var bytes = genuine[1].encoded
        bytes[Offset.timestamp + 7] ^= 0x01  // a byte of the signed header: still well formed
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
