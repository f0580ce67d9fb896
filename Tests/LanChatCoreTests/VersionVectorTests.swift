import LanChatCore
import Testing

/// The replicator's vector: contiguous heads and their digest. Its wire form for syncs is `SyncVector`.
@Suite("VersionVector")
struct VersionVectorTests {
    let a: AuthorID, b: AuthorID, c: AuthorID

    init() throws {
        (a, b, c) = (try identity(1).id, try identity(2).id, try identity(3).id)
    }

    @Test func digest() {
        let vector = VersionVector([a: 4, b: 9])
        #expect(vector.digest == VersionVector([b: 9, a: 4]).digest)
        #expect(vector.digest != VersionVector([a: 4, b: 10]).digest)
        #expect(vector.digest != VersionVector([a: 4]).digest)
        #expect(vector.digest != VersionVector([a: 4, c: 9]).digest)
        #expect(vector.digest != VersionVector([a: 9, b: 4]).digest)
        #expect(VersionVector().digest == VersionVector([a: 0]).digest)  // a zero head is no head
    }

    @Test func advanceOnlyMovesForward() {
        var vector = VersionVector([a: 5])
        vector.advance(a, to: 3)
        #expect(vector[a] == 5)
        vector.advance(a, to: 6)
        vector.advance(b, to: 1)
        #expect(vector == VersionVector([a: 6, b: 1]))
        #expect(vector[c] == 0)
        #expect(vector.total == 7)
    }

    /// The replicator keeps its digest incrementally; it must equal the vector's own, whatever the order heads arrive in.
    @Test(arguments: [[0, 1, 2], [2, 0, 1], [1, 2, 0]])
    func theReplicatorsDigestIsTheVectors(order: [Int]) throws {
        var node = try makeReplicator()
        let heads: [(AuthorID, UInt64)] = [(a, 3), (b, 1), (c, 7)]
        for index in order { node.headsAdvanced([heads[index].0: heads[index].1]) }
        let expected = VersionVector([a: 3, b: 1, c: 7])
        #expect(node.vector == expected)
        let ack = node.deliver(.ping(node.probe()), from: b, at: address(2), now: 10).sent.first?.body
        #expect(ack == .ack(Datagram.Probe(id: 9, digest: expected.digest, total: 11, hints: [])))
    }
}
