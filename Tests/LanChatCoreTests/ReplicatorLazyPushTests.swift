@testable import LanChatCore
import Testing

/// Plumtree's lazy push over probes (`LazyPush`): a probe names the logs that grew at its sender lately, a node
/// that lacks what it named asks that peer for it once a push could no longer be on its way, and only peers whose
/// ID a sync proved are answered.
@Suite("replicator rules: lazy push")
struct ReplicatorLazyPushTests {
    static let peer = try! identity(2).id, stranger = try! identity(3).id
    static let author = try! identity(4)
    static let entries = chain(of: author, count: 3)

    /// A node that verified `peer` at address 2, at time 0.
    func node() throws -> Replicator {
        var node = try makeReplicator()
        node.verify(Self.peer, at: address(2), now: 0)
        return node
    }

    func wants(_ directives: [Replicator.Directive]) -> [(keys: [EntryKey], to: PeerAddress)] {
        directives.sent.compactMap { body, to in if case .want(let keys) = body { (keys, to) } else { nil } }
    }

    @Test func anEntryAProbeNamedAndNoPushBroughtIsWantedOnceTheGraceIsOver() throws {
        var node = try node()
        let named = EntryKey(author: Self.author.id, seq: 3)
        node.deliver(.ping(node.probe(recent: [named])), from: Self.peer, at: address(2), now: 1_000)
        #expect(wants(node.tick(now: 1_000 + node.configuration.pullGrace - 1)).isEmpty)
        let asked = wants(node.tick(now: 1_000 + node.configuration.pullGrace))
        #expect(asked.map(\.to) == [address(2)])
        // It holds none of the author's entries: it asks for all after seq 0.
        #expect(asked.first?.keys == [EntryKey(author: Self.author.id, seq: 0)])
        #expect(node.counters.wantsOut == 1)
        // Asked once; a lost want is asked again when a probe names the entry again.
        #expect(wants(node.tick(now: 2_000)).isEmpty)
        node.deliver(.ack(node.probe(recent: [named])), from: Self.peer, at: address(2), now: 2_000)
        #expect(wants(node.tick(now: 2_200)).count == 1)
    }

    @Test func aPushOnItsWayOrAnEntryHeldIsNotWanted() throws {
        var node = try node()
        node.deliver(.ping(node.probe(recent: [EntryKey(author: Self.author.id, seq: 1)])), from: Self.peer, at: address(2), now: 1_000)
        node.deliver(.push(Self.entries[0]), from: Self.author.id, at: address(4), now: 1_005)
        // On its way to the store: the want waits.
        #expect(wants(node.tick(now: 1_200)).isEmpty)
        // Stored: nothing is wanted any more.
        node.tipsChanged([Self.author.id: [Self.entries[0].tip]])
        node.pushesSettled(1)
        #expect(wants(node.tick(now: 1_400)).isEmpty)
        node.deliver(.ping(node.probe(recent: [EntryKey(author: Self.author.id, seq: 1)])), from: Self.peer, at: address(2), now: 1_500)
        // This node's own entries come back by sync, which looks for forks, not by a want.
        node.deliver(.ping(node.probe(recent: [EntryKey(author: node.selfID, seq: 5)])), from: Self.peer, at: address(2), now: 1_500)
        // A peer whose ID no sync proved steers nothing.
        node.hear(Self.stranger, at: address(3), now: 1_500)
        node.deliver(.ping(node.probe(recent: [EntryKey(author: Self.author.id, seq: 3)])), from: Self.stranger, at: address(3), now: 1_500)
        #expect(wants(node.tick(now: 1_800)).isEmpty)
    }

    @Test func aWantWaitsForThePushesOnTheirWayToTheStore() throws {
        var node = try node()
        let other = try identity(5)
        node.deliver(.ping(node.probe(recent: [EntryKey(author: Self.author.id, seq: 3)])), from: Self.peer, at: address(2), now: 1_000)
        node.deliver(.push(chain(of: other, count: 1)[0]), from: other.id, at: address(5), now: 1_010)
        #expect(wants(node.tick(now: 1_200)).isEmpty)
        node.pushesSettled(1)
        // Not only at a tick: the next datagram asks.
        let asked = wants(node.deliver(.ping(node.probe()), from: Self.peer, at: address(2), now: 1_210))
        #expect(asked.map(\.to) == [address(2)])
    }

    /// Six authors named by one peer: four go in one want, the other two in the next; a second peer naming a
    /// higher seq does not take a want over.
    @Test func aPeerIsAskedForFourAuthorsAtOnceAndKeepsItsWants() throws {
        var node = try node()
        node.verify(Self.stranger, at: address(3), now: 0)
        let authors = try (10..<16).map { try identity(UInt8($0)).id }
        node.deliver(.ping(node.probe(recent: Array(authors[0..<4].map { EntryKey(author: $0, seq: 2) }))), from: Self.peer, at: address(2), now: 1_000)
        node.deliver(.ping(node.probe(recent: Array(authors[4..<6].map { EntryKey(author: $0, seq: 2) }))), from: Self.peer, at: address(2), now: 1_000)
        node.deliver(.ping(node.probe(recent: [EntryKey(author: authors[0], seq: 9)])), from: Self.stranger, at: address(3), now: 1_010)
        let first = wants(node.tick(now: 1_200))
        #expect(first.map(\.to) == [address(2)])
        #expect(first.first?.keys.count == Datagram.maxRecent)
        let second = wants(node.deliver(.ping(node.probe()), from: Self.peer, at: address(2), now: 1_210))
        #expect(second.map(\.to) == [address(2)])
        #expect(Set(first.flatMap(\.keys).map(\.author) + second.flatMap(\.keys).map(\.author)) == Set(authors))
    }

    @Test func onlyAPeerOfProvenIDIsServedWhatThisNodeNamesAndOnlySoMuchAPeriod() throws {
        var node = try node()
        node.tipsChanged([Self.author.id: [tip(3)]])
        let after = EntryKey(author: Self.author.id, seq: 0)
        node.hear(Self.stranger, at: address(3), now: 10)
        #expect(node.deliver(.want([after]), from: Self.stranger, at: address(3), now: 20).isEmpty)
        // Only what it names lately, up to it, and no longer a gap than a datagram's worth.
        let other = try identity(5).id
        #expect(node.deliver(.want([EntryKey(author: other, seq: 0)]), from: Self.peer, at: address(2), now: 20).isEmpty)
        #expect(node.deliver(.want([EntryKey(author: Self.author.id, seq: 3)]), from: Self.peer, at: address(2), now: 20).isEmpty)
        node.tipsChanged([Self.author.id: [tip(20)]])
        #expect(node.deliver(.want([EntryKey(author: Self.author.id, seq: 11)]), from: Self.peer, at: address(2), now: 20).isEmpty)
        let near = EntryKey(author: Self.author.id, seq: 12)
        // Four keys a period for one asker, sixteen in all.
        let peers = try (20..<25).map { try identity(UInt8($0)).id }
        for (index, peer) in peers.enumerated() { node.verify(peer, at: address(30 + index), now: 30) }
        var served: [Int] = []
        for index in peers.indices {
            var count = 0
            for _ in 0..<5 { count += node.deliver(.want([near]), from: peers[index], at: address(30 + index), now: 40).count { $0 == .serve(after: near, to: address(30 + index)) } }
            served.append(count)
        }
        #expect(served == [4, 4, 4, 4, 0])
        _ = node.tick(now: 200)
        #expect(node.deliver(.want([near]), from: peers[4], at: address(34), now: 210) == [.serve(after: near, to: address(34))])
    }

    @Test func aPeerThisNodeHoldsOfflineIsNotServed() throws {
        var node = try node()
        node.silence(address(2), now: 0)
        var now: UInt64 = 400
        while node.peer(at: address(2))?.state != .offline, now < 20_000 {
            now += node.configuration.protocolPeriod
            _ = node.tick(now: now)
        }
        try #require(node.peer(at: address(2))?.state == .offline)
        // Named now: only the asker's state can refuse it.
        node.tipsChanged([Self.author.id: [tip(4)]])
        #expect(node.deliver(.want([EntryKey(author: Self.author.id, seq: 0)]), from: Self.peer, at: address(2), now: now + 1)
            .filter { if case .serve = $0 { true } else { false } }.isEmpty)
    }

    @Test func servedEntriesGoAsPushesOfOneRun() throws {
        var node = try node()
        let sent = node.serve(Self.entries, to: address(2)).sent
        #expect(sent.count == 1)
        #expect(sent.first.map { $0.body == .pushes(Self.entries) && $0.to == address(2) } == true)
        #expect(node.counters.entriesServed == 3)
    }

    /// Beyond the 4 a probe names, the newest 2 are named in every probe and the older ones take turns, so a log
    /// 5 others grew after is still named (a lost want gets another name), and still served.
    @Test func olderLogsTakeTurnsInTheNames() throws {
        var node = try node()
        let authors = try (10..<16).map { try identity(UInt8($0)).id }
        for (seq, author) in zip(UInt64(1)..., authors) { node.tipsChanged([author: [tip(seq)]]) }
        func names(at now: UInt64) -> [AuthorID] {
            let ack = node.deliver(.ping(node.probe()), from: Self.peer, at: address(2), now: now).sent.first?.body
            if case .ack(let probe) = ack { return probe.recent.map(\.author) }
            return []
        }
        let newest = Array(authors.reversed())
        #expect(names(at: 100) == [newest[0], newest[1], newest[2], newest[3]])
        #expect(names(at: 110) == [newest[0], newest[1], newest[4], newest[5]])
        #expect(names(at: 120) == [newest[0], newest[1], newest[2], newest[3]])
        let oldest = EntryKey(author: authors[0], seq: 0)
        #expect(node.deliver(.want([oldest]), from: Self.peer, at: address(2), now: 130).contains(.serve(after: oldest, to: address(2))))
    }

    /// Older logs are named by when they were last named, not by place: two logs growing between every two probes
    /// move every older log two places on, and turns by place named the same two every time, the others only
    /// while they were the newest.
    @Test func everyRememberedLogIsNamedAgainWhileOthersKeepGrowing() throws {
        var node = try node()
        var names: [AuthorID: Int] = [:]
        var grownEarly: [AuthorID] = []
        for round in 0..<16 {
            for offset in 0..<2 {
                let author = try identity(UInt8(40 + 2 * round + offset)).id
                node.tipsChanged([author: [tip(1)]])
                if round < 10 { grownEarly.append(author) }
            }
            let ack = node.deliver(.ping(node.probe()), from: Self.peer, at: address(2), now: 100 + UInt64(round))
            if case .ack(let probe)? = ack.sent.first?.body {
                for key in probe.recent { names[key.author, default: 0] += 1 }
            }
        }
        // Each is named once as one of the newest two; every one that stays remembered long enough, again in turn.
        #expect(grownEarly.allSatisfy { names[$0, default: 0] >= 2 })
    }

    @Test func probesNameTheLogsThatGrewLatelyNewestFirst() throws {
        var node = try node()
        let other = try identity(5).id
        node.tipsChanged([Self.author.id: [tip(3)]])
        node.tipsChanged([other: [tip(8)]])
        func recent(at now: UInt64) -> [EntryKey] {
            let ack = node.deliver(.ping(node.probe()), from: Self.peer, at: address(2), now: now).sent.first?.body
            if case .ack(let probe) = ack { return probe.recent }
            return []
        }
        #expect(recent(at: 100) == [EntryKey(author: other, seq: 8), EntryKey(author: Self.author.id, seq: 3)])
        // A tip that does not grow the log (a merge at the same seq) is no news.
        node.tipsChanged([Self.author.id: [tip(3, hash: 1)]])
        #expect(recent(at: 110).first == EntryKey(author: other, seq: 8))
        for period in 1...LazyPush.recentPeriods { _ = node.tick(now: 200 * period) }
        #expect(recent(at: 1_100).count == 2)
        _ = node.tick(now: 1_200)
        #expect(recent(at: 1_300).isEmpty)
    }
}
