@testable import LanChatCore
import Testing

/// Sealed sync streams: a preamble, then frames that open only in order, under the right key.
@Suite("network key: sync streams")
struct StreamSealTests {
    static let ring = DatagramSealTests.ring

    @Test func framesOpenInOrderAfterThePreamble() throws {
        var sealer = StreamSealer(ring: Self.ring, network: "office")
        var gate = StreamGate(ring: Self.ring, network: "office")
        #expect(try gate.open(sealer.preamble) == nil)
        #expect(gate.peerKey == Self.ring.sending.fingerprint)
        let frames = (0..<3).map { sealer.seal([UInt8]("frame \($0)".utf8)) }
        for (index, frame) in frames.enumerated() { #expect(try gate.open(frame) == [UInt8]("frame \(index)".utf8)) }
    }

    /// PROTOCOL.md's example: the first frame of a stream, "hello", network "office".
    @Test func theFirstFrameIsTheDocumentedOne() {
        var sealer = StreamSealer(ring: Self.ring, network: "office", session: DatagramSealTests.session)
        #expect(Hex.encode(sealer.preamble) == "4c5302c33209d11b86d25fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
        #expect(Hex.encode(sealer.seal(Array("hello".utf8))) == "eb43ca8d3e9cc8db8d6f4d575aef3c30da6554521b")
    }

    @Test func aRepeatedDroppedOrReorderedFrameEndsTheStream() throws {
        var sealer = StreamSealer(ring: Self.ring, network: "office")
        let frames = (0..<3).map { sealer.seal([UInt8($0)]) }
        for order in [[0, 0], [1], [0, 2]] {
            var gate = StreamGate(ring: Self.ring, network: "office")
            _ = try gate.open(sealer.preamble)
            #expect(throws: SealRefusal.forged) {
                for index in order { _ = try gate.open(frames[index]) }
            }
        }
    }

    @Test func aStreamUnderAnotherKeyOrWithoutOneIsRefusedAtItsFirstBytes() throws {
        let sealer = StreamSealer(ring: Self.ring, network: "office")
        var other = StreamGate(ring: DatagramSealTests.otherRing, network: "office")
        #expect(throws: SealRefusal.otherKey(Self.ring.sending.fingerprint)) { try other.open(sealer.preamble) }
        var keyless = StreamGate(ring: nil, network: "office")
        #expect(throws: SealRefusal.otherKey(Self.ring.sending.fingerprint)) { try keyless.open(sealer.preamble) }
        var keyed = StreamGate(ring: Self.ring, network: "office")
        let hello = SyncFrame.hello(versions: [2], port: 7420, nil).encoded()
        #expect(throws: SealRefusal.unsealed) { try keyed.open(hello) }
        var plain = StreamGate(ring: nil, network: "office")
        #expect(try plain.open(hello) == hello)
    }
}
