@testable import LanChatCore
import Testing

/// A link-local IPv6 address (fe80::/10) names a host on one link only, and its zone (the interface) means
/// something on this machine only: peers learn such addresses with the zone of the link they came over, and
/// name them only to peers on that link, without the zone.
@Suite("replicator rules: link-local addresses")
struct ReplicatorLinkLocalTests {
    static func onLink(_ n: Int, _ zone: String = "eth0") -> PeerAddress { PeerAddress(host: "fe80::\(n)%\(zone)", port: 7420) }

    @Test func aLinkLocalHintIsLearntOnTheLinkOfThePeerThatGaveIt() throws {
        var node = try makeReplicator()
        let hint = PeerHint(id: try identity(3).id, address: PeerAddress(host: "fe80::3", port: 7420))
        node.deliver(.ping(node.probe(hints: [hint])), from: try identity(2).id, at: Self.onLink(2), now: 10)
        #expect(node.peer(at: Self.onLink(3))?.claimedID == hint.id)
        #expect(node.counters.addressesRefused == 0)
    }

    /// From a peer reached at a global address, the link is the interface the datagram came in on; unknown, nothing.
    /// A peer's own link is kept only once its ID is proven: a datagram that merely claims its address moves nothing.
    @Test func aLinkLocalHintFromAGlobalAddressIsLearntOnTheLinkItCameIn() throws {
        var node = try makeReplicator()
        let hint = PeerHint(id: try identity(3).id, address: PeerAddress(host: "fe80::3", port: 7420))
        let global = PeerAddress(host: "2001:db8::2", port: 7420)
        let ping = Datagram(network: testNetwork, sender: try identity(2).id, body: .ping(node.probe(hints: [hint]))).encoded()
        node.receive(ping, from: global, now: 10)
        #expect(node.peers.map(\.address) == [global])
        #expect(node.counters.addressesRefused == 1)
        node.receive(ping, from: global, link: "eth1", now: 20)
        #expect(node.peer(at: Self.onLink(3, "eth1"))?.claimedID == hint.id)
        #expect(node.peer(at: global)?.link == nil)
        node.syncFinished(with: global, outcome: .completed(syncResult(try identity(2).id)), now: 30)
        node.receive(ping, from: global, link: "eth1", now: 40)
        #expect(node.peer(at: global)?.link == "eth1")
    }

    /// An ack names the link-local peer to a neighbour on its link (with no zone on the wire), and to no one else.
    @Test func linkLocalPeersAreHintedOnlyToPeersOnTheirLink() throws {
        var node = try makeReplicator()
        let neighbour = Self.onLink(3), elsewhere = [Self.onLink(4, "eth1"), address(5)]
        node.verify(try identity(2).id, at: Self.onLink(2), now: 10)
        node.verify(try identity(3).id, at: neighbour, now: 10)
        for (n, peer) in zip(4..., elsewhere) { node.verify(try identity(UInt8(n)).id, at: peer, now: 10) }
        // A peer of each family that may be named to anyone of that family: the others have hints to get.
        node.verify(try identity(6).id, at: PeerAddress(host: "2001:db8::6", port: 7420), now: 10)
        node.verify(try identity(7).id, at: address(7), now: 10)

        func hinted(to recipient: PeerAddress, id: UInt8) throws -> Set<String> {
            var hosts: Set<String> = []
            for probeID in UInt32(1)...20 {
                let out = node.deliver(.ping(node.probe(id: probeID)), from: try identity(id).id, at: recipient, now: 3000 + UInt64(probeID))
                hosts.formUnion(try out.hintedHosts(to: recipient))
            }
            return hosts
        }
        #expect(try hinted(to: neighbour, id: 3).contains("fe80::2"))
        for (n, recipient) in zip(4..., elsewhere) {
            let hosts = try hinted(to: recipient, id: UInt8(n))
            // Hints of the recipient's own family, and none of the link-local ones.
            #expect(hosts == (recipient.host.contains(":") ? ["2001:db8::6"] : ["10.0.0.7"]))
        }
    }

    /// A peer reached at a global address is on the link its datagrams come in on: it hears of that link's peers.
    @Test func aPeerAtAGlobalAddressIsHintedThePeersOfTheLinkItIsHeardOn() throws {
        var node = try makeReplicator()
        let global = PeerAddress(host: "2001:db8::9", port: 7420)
        node.verify(try identity(2).id, at: Self.onLink(2), now: 10)
        node.verify(try identity(4).id, at: Self.onLink(4, "eth1"), now: 10)
        node.verify(try identity(9).id, at: global, now: 10)
        var hosts: Set<String> = []
        for probeID in UInt32(1)...20 {
            let ping = Datagram(network: testNetwork, sender: try identity(9).id, body: .ping(node.probe(id: probeID))).encoded()
            hosts.formUnion(try node.receive(ping, from: global, link: "eth0", now: 3000 + UInt64(probeID)).hintedHosts(to: global))
        }
        #expect(hosts == ["fe80::2"])
    }

    /// A peer on another link is never asked to probe a link-local address on this one.
    @Test func helpersOfAnIndirectProbeAreOnTheTargetsLink() throws {
        var node = try makeReplicator()
        let target = Self.onLink(2)
        node.verify(try identity(2).id, at: target, now: 10)
        node.verify(try identity(3).id, at: Self.onLink(3), now: 10)
        for n in 4...8 { node.verify(try identity(UInt8(n)).id, at: address(n), now: 10) }
        var helpers: Set<PeerAddress> = []
        var now: UInt64 = 10
        for _ in 0..<200 {
            now += 100
            helpers.formUnion(node.tick(now: now).pingRequests(for: target).map(\.helper))
        }
        #expect(helpers == [Self.onLink(3)])
    }
}
