@testable import LanChatCore
import Testing

/// The queue's send limit follows the peer table: news sent as often as a smaller table calls for is done.
@Suite("gossip queue")
struct GossipQueueTests {
    @Test func newsPastALimitThatShrankLeavesTheQueue() throws {
        var queue = GossipQueue()
        queue.enqueue(MembershipUpdate(.suspect, subject: try identity(2).id, incarnation: 0, address: address(2)))
        queue.enqueue(MembershipUpdate(.suspect, subject: try identity(3).id, incarnation: 0, address: address(3)))
        // Two at most a datagram: each item once.
        let take = { (queue: inout GossipQueue, limit: Int) in
            var excluded: Set = [address(9)]
            return queue.take(for: address(9), onLink: nil, limit: limit, maxCount: 2, budget: 1_200, excluding: &excluded).map(\.address)
        }
        #expect(take(&queue, 10) == [address(2), address(3)])
        #expect(take(&queue, 10) == [address(2), address(3)])
        // Both were sent twice; a limit of 2 now means they are done, without being sent again.
        #expect(take(&queue, 2).isEmpty)
        #expect(queue.count == 0)
    }

    /// Taken news moves on to the next count: the same take must not reach it there and say it again.
    @Test func oneTakeCarriesEachPieceOfNewsOnce() throws {
        var queue = GossipQueue()
        queue.enqueue(MembershipUpdate(.suspect, subject: try identity(2).id, incarnation: 0, address: address(2)))
        var excluded: Set = [address(9)]
        #expect(queue.take(for: address(9), onLink: nil, limit: 10, maxCount: 4, budget: 1_200, excluding: &excluded).map(\.address) == [address(2)])
        #expect(excluded == [address(9), address(2)])
        // What the datagram carries already is not taken again by a second take for it.
        #expect(queue.take(for: address(9), onLink: nil, limit: 10, maxCount: 4, budget: 1_200, excluding: &excluded).isEmpty)
        var next: Set = [address(9)]
        #expect(queue.take(for: address(9), onLink: nil, limit: 10, maxCount: 4, budget: 1_200, excluding: &next).map(\.address) == [address(2)])
    }
}

/// A link-local address means a host on one link only: news naming it goes only to peers on that link.
@Suite("gossip queue: link-local news")
struct GossipQueueLinkTests {
    @Test func newsOfALinkLocalAddressGoesOnlyToPeersOnItsLink() throws {
        var queue = GossipQueue()
        let local = PeerAddress(host: "fe80::2%eth0", port: 7420)
        queue.enqueue(MembershipUpdate(.suspect, subject: try identity(2).id, incarnation: 0, address: local))
        let elsewhere = [
            (PeerAddress(host: "fe80::9%eth1", port: 7420), "eth1"), (PeerAddress(host: "2001:db8::9", port: 7420), nil),
            // An IPv4 peer on that very link: it refuses IPv6 addresses, so none are sent to it.
            (PeerAddress(host: "10.0.0.9", port: 7420), "eth0"),
        ]
        for (recipient, link) in elsewhere {
            var excluded: Set<PeerAddress> = []
            #expect(queue.take(for: recipient, onLink: link, limit: 10, maxCount: 4, budget: 1_200, excluding: &excluded).isEmpty)
        }
        var excluded: Set<PeerAddress> = []
        let neighbour = PeerAddress(host: "2001:db8::9", port: 7420)
        #expect(queue.take(for: neighbour, onLink: "eth0", limit: 10, maxCount: 4, budget: 1_200, excluding: &excluded).map(\.address) == [local])
    }
}
