import LanChatCore
import Testing

/// The replicator keeps the store's tips as a `SyncVector`; its pings carry that vector's digest and total.
@Suite("replicator rules: vector")
struct ReplicatorVectorTests {
    static let a = try! identity(1).id, b = try! identity(2).id, c = try! identity(3).id

    /// The digest the replicator sends must equal the vector's own, whatever the order tips arrive in.
    @Test(arguments: [[0, 1, 2], [2, 0, 1], [1, 2, 0]])
    func theReplicatorsDigestIsTheVectors(order: [Int]) throws {
        var node = try makeReplicator()
        let tips: [(AuthorID, [AuthorTip])] = [(Self.a, [tip(3)]), (Self.b, [tip(1, hash: 1), tip(1, hash: 2)]), (Self.c, [tip(7)])]
        for index in order { node.tipsChanged([tips[index].0: tips[index].1]) }
        let expected = SyncVector(Dictionary(uniqueKeysWithValues: tips))
        #expect(node.vector == expected)
        let ack = node.deliver(.ping(node.probe()), from: Self.b, at: address(2), now: 10).sent.first?.body
        // Newest first: every author's log grew here just now.
        let recent = order.reversed().map { EntryKey(author: tips[$0].0, seq: tips[$0].1[0].seq) }
        #expect(ack == .ack(Datagram.Probe(id: 9, digest: expected.digest, total: 11, hints: [], recent: recent)))
    }

    /// Tips replace the author's tips, also with fewer (a merge) or a lower seq; other authors stay.
    @Test func changedTipsReplaceTheAuthorsTips() throws {
        var node = try makeReplicator(vector: SyncVector([Self.a: [tip(4, hash: 1), tip(4, hash: 2)], Self.b: [tip(2)]]))
        let before = node.probe().digest
        node.tipsChanged([Self.a: [tip(5)]])
        #expect(node.vector == SyncVector([Self.a: [tip(5)], Self.b: [tip(2)]]))
        #expect(node.probe().digest != before)
        node.tipsChanged([Self.a: [tip(5)]])
        #expect(node.vector == SyncVector([Self.a: [tip(5)], Self.b: [tip(2)]]))
    }
}
