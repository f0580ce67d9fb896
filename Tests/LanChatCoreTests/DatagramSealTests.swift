@testable import LanChatCore
import Testing

/// Sealed datagrams: only holders of the key read or inject, a replay is refused, and a node without
/// a key tells that others closed the network.
@Suite("network key: datagrams")
struct DatagramSealTests {
    static let key = NetworkKeyTests.key
    static let ring = NetworkKeyRing([key])!
    static let otherRing = NetworkKeyRing([NetworkKey(text: randomKeyText())!])!
    static let session = SessionID(bytes: Array(0xA0...0xAF))!
    /// The clocks of sender and receiver: 2027-01-15.
    static let now: UInt64 = 1_800_000_000_000

    /// PROTOCOL.md's example: the sixth datagram (counter 5) of a session, "hello", network "office",
    /// sent at 1,800,000,000,000 ms.
    @Test func theSealedBytesAreTheDocumentedOnes() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office", session: Self.session)
        for _ in 0..<5 { _ = sealer.seal([], at: Self.now) }
        let sealed = sealer.seal(Array("hello".utf8), at: Self.now)
        #expect(Hex.encode(sealed)
            == "4c5302c33209d11b86d25fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf0000000000000005000001a3185c5000f00fd4a18b3c5a31d7aea9f29ff7a5dd17fd4310ea")
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        #expect(opener.open(sealed, at: Self.now) == .opened(Array("hello".utf8)))
    }

    @Test func everyDatagramOpensOnceAndAReplayIsRefused() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office")
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        let packets = (0..<3).map { sealer.seal([UInt8]("ping \($0)".utf8), at: Self.now) }
        // Out of order, as UDP may deliver them.
        for index in [0, 2, 1] { #expect(opener.open(packets[index], at: Self.now) == .opened([UInt8]("ping \(index)".utf8))) }
        for packet in packets { #expect(opener.open(packet, at: Self.now) == .refused(.replayed)) }
        #expect(opener.footprint == 1)
    }

    @Test func aCounterBelowTheWindowIsRefusedAsAReplay() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office")
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        let first = sealer.seal([1], at: Self.now)
        for _ in 0..<Int(ReplayWindow.size) { _ = sealer.seal([2], at: Self.now) }
        #expect(opener.open(sealer.seal([3], at: Self.now), at: Self.now) == .opened([3]))
        #expect(opener.open(first, at: Self.now) == .refused(.replayed))
    }

    @Test func anotherKeyOrNoKeyOrAnotherNetworkNameCannotBeRead() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office")
        let sealed = sealer.seal(Array("secret".utf8), at: Self.now)
        var other = DatagramOpener(ring: Self.otherRing, network: "office")
        #expect(other.open(sealed, at: Self.now) == .refused(.otherKey(Self.key.fingerprint)))
        var keyless = DatagramOpener(ring: nil, network: "office")
        #expect(keyless.open(sealed, at: Self.now) == .refused(.otherKey(Self.key.fingerprint)))
        var otherName = DatagramOpener(ring: Self.ring, network: "lab")
        #expect(otherName.open(sealed, at: Self.now) == .refused(.forged))
        #expect(!Hex.encode(sealed).contains(Hex.encode(Array("secret".utf8))))
    }

    @Test func anUnsealedDatagramIsRefusedWhereAKeyIsRequired() {
        let plain = Datagram(network: "office", sender: try! identity(1).id, body: .announce(EntryKey(author: try! identity(1).id, seq: 1)))
            .encoded()
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        #expect(opener.open(plain, at: Self.now) == .refused(.unsealed))
        var keyless = DatagramOpener(ring: nil, network: "office")
        #expect(keyless.open(plain, at: Self.now) == .opened(plain))
    }

    /// Every byte matters: the header and counter are authenticated, the ciphertext and tag too.
    @Test func anyFlippedByteOrTruncationIsForged() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office")
        let sealed = sealer.seal(Array("hello".utf8), at: Self.now)
        for index in 3..<sealed.count {
            var altered = sealed
            altered[index] ^= 0x01
            var opener = DatagramOpener(ring: Self.ring, network: "office")
            let outcome = opener.open(altered, at: Self.now)
            // Bytes 3-10 are the fingerprint: a flipped one names a key this node lacks.
            #expect(outcome == (index < 11 ? .refused(.otherKey(KeyFingerprint(value: Self.key.fingerprint.value ^ (1 << (8 * (10 - index)))))) : .refused(.forged)))
        }
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        #expect(opener.open(Array(sealed.dropLast()), at: Self.now) == .refused(.forged))
        #expect(opener.open(Array(sealed.prefix(30)), at: Self.now) == .refused(.forged))
        #expect(opener.open(sealed, at: Self.now) == .opened(Array("hello".utf8)))
    }

    /// A capture played back more than 5 minutes later is refused even by a receiver that forgot its
    /// session (it restarted); a sender whose clock is that far off is refused too, either way.
    @Test func aDatagramSentMoreThanFiveMinutesFromTheReceiversClockIsStale() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office")
        let captured = sealer.seal([7], at: Self.now)
        for offset in [-300_001, 300_001] as [Int64] {
            var restarted = DatagramOpener(ring: Self.ring, network: "office")
            #expect(restarted.open(captured, at: UInt64(Int64(Self.now) + offset)) == .refused(.stale))
        }
        var edge = DatagramOpener(ring: Self.ring, network: "office")
        #expect(edge.open(captured, at: Self.now + 300_000) == .opened([7]))
    }

    /// A restart draws a new session: its counters start at zero again, under a new subkey.
    @Test func aRestartedSenderIsNotTakenForAReplay() {
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        for _ in 0..<2 {
            var sealer = DatagramSealer(ring: Self.ring, network: "office")
            #expect(opener.open(sealer.seal([9], at: Self.now), at: Self.now) == .opened([9]))
        }
        #expect(opener.footprint == 2)
    }

    @Test func theSessionTableStaysBounded() {
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        for _ in 0..<(DatagramOpener.maxSessions + 10) {
            var sealer = DatagramSealer(ring: Self.ring, network: "office")
            _ = opener.open(sealer.seal([1], at: Self.now), at: Self.now)
        }
        #expect(opener.footprint == DatagramOpener.maxSessions)
    }

    /// Rotation: a node that accepts both keys opens what either seals.
    @Test func aRingOpensEveryKeyItHolds() {
        let both = NetworkKeyRing([Self.otherRing.sending, Self.key])!
        var opener = DatagramOpener(ring: both, network: "office")
        var old = DatagramSealer(ring: Self.ring, network: "office"), new = DatagramSealer(ring: Self.otherRing, network: "office")
        #expect(opener.open(old.seal([1], at: Self.now), at: Self.now) == .opened([1]))
        #expect(opener.open(new.seal([2], at: Self.now), at: Self.now) == .opened([2]))
    }
}
