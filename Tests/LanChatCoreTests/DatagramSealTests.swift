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

    /// PROTOCOL.md's example: the sixth datagram (counter 5) of a session, "hello", network "office".
    @Test func theSealedBytesAreTheDocumentedOnes() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office", session: Self.session)
        for _ in 0..<5 { _ = sealer.seal([]) }
        let sealed = sealer.seal(Array("hello".utf8))
        #expect(Hex.encode(sealed)
            == "4c5302c33209d11b86d25fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf0000000000000005f00fd4a18be1b9cd206c81d15109d409fafeea8c98")
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        #expect(opener.open(sealed) == .opened(Array("hello".utf8)))
    }

    @Test func everyDatagramOpensOnceAndAReplayIsRefused() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office")
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        let packets = (0..<3).map { sealer.seal([UInt8]("ping \($0)".utf8)) }
        // Out of order, as UDP may deliver them.
        for index in [0, 2, 1] { #expect(opener.open(packets[index]) == .opened([UInt8]("ping \(index)".utf8))) }
        for packet in packets { #expect(opener.open(packet) == .refused(.replayed)) }
        #expect(opener.footprint == 1)
    }

    @Test func aCounterBelowTheWindowIsRefusedAsAReplay() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office")
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        let first = sealer.seal([1])
        for _ in 0..<Int(ReplayWindow.size) { _ = sealer.seal([2]) }
        #expect(opener.open(sealer.seal([3])) == .opened([3]))
        #expect(opener.open(first) == .refused(.replayed))
    }

    @Test func anotherKeyOrNoKeyOrAnotherNetworkNameCannotBeRead() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office")
        let sealed = sealer.seal(Array("secret".utf8))
        var other = DatagramOpener(ring: Self.otherRing, network: "office")
        #expect(other.open(sealed) == .refused(.otherKey(Self.key.fingerprint)))
        var keyless = DatagramOpener(ring: nil, network: "office")
        #expect(keyless.open(sealed) == .refused(.otherKey(Self.key.fingerprint)))
        var otherName = DatagramOpener(ring: Self.ring, network: "lab")
        #expect(otherName.open(sealed) == .refused(.forged))
        #expect(!Hex.encode(sealed).contains(Hex.encode(Array("secret".utf8))))
    }

    @Test func anUnsealedDatagramIsRefusedWhereAKeyIsRequired() {
        let plain = Datagram(network: "office", sender: try! identity(1).id, body: .announce(EntryKey(author: try! identity(1).id, seq: 1)))
            .encoded()
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        #expect(opener.open(plain) == .refused(.unsealed))
        var keyless = DatagramOpener(ring: nil, network: "office")
        #expect(keyless.open(plain) == .opened(plain))
    }

    /// Every byte matters: the header and counter are authenticated, the ciphertext and tag too.
    @Test func anyFlippedByteOrTruncationIsForged() {
        var sealer = DatagramSealer(ring: Self.ring, network: "office")
        let sealed = sealer.seal(Array("hello".utf8))
        for index in 3..<sealed.count {
            var altered = sealed
            altered[index] ^= 0x01
            var opener = DatagramOpener(ring: Self.ring, network: "office")
            let outcome = opener.open(altered)
            // Bytes 3-10 are the fingerprint: a flipped one names a key this node lacks.
            #expect(outcome == (index < 11 ? .refused(.otherKey(KeyFingerprint(value: Self.key.fingerprint.value ^ (1 << (8 * (10 - index)))))) : .refused(.forged)))
        }
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        #expect(opener.open(Array(sealed.dropLast())) == .refused(.forged))
        #expect(opener.open(Array(sealed.prefix(30))) == .refused(.forged))
        #expect(opener.open(sealed) == .opened(Array("hello".utf8)))
    }

    /// A restart draws a new session: its counters start at zero again, under a new subkey.
    @Test func aRestartedSenderIsNotTakenForAReplay() {
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        for _ in 0..<2 {
            var sealer = DatagramSealer(ring: Self.ring, network: "office")
            #expect(opener.open(sealer.seal([9])) == .opened([9]))
        }
        #expect(opener.footprint == 2)
    }

    @Test func theSessionTableStaysBounded() {
        var opener = DatagramOpener(ring: Self.ring, network: "office")
        for _ in 0..<(DatagramOpener.maxSessions + 10) {
            var sealer = DatagramSealer(ring: Self.ring, network: "office")
            _ = opener.open(sealer.seal([1]))
        }
        #expect(opener.footprint == DatagramOpener.maxSessions)
    }

    /// Rotation: a node that accepts both keys opens what either seals.
    @Test func aRingOpensEveryKeyItHolds() {
        let both = NetworkKeyRing([Self.otherRing.sending, Self.key])!
        var opener = DatagramOpener(ring: both, network: "office")
        var old = DatagramSealer(ring: Self.ring, network: "office"), new = DatagramSealer(ring: Self.otherRing, network: "office")
        #expect(opener.open(old.seal([1])) == .opened([1]))
        #expect(opener.open(new.seal([2])) == .opened([2]))
    }
}
