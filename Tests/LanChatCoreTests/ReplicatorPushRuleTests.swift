import LanChatCore
import Testing

/// A pushed entry goes on to be checked and stored unless this node's vector already covers it.
@Suite("replicator rules: pushes")
struct ReplicatorPushRuleTests {
    struct PushCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// What this node holds of the author.
        let held: UInt64
        let pushed: UInt64
        let stored: Bool
    }

    @Test(arguments: [
        PushCase(testDescription: "the next entry", held: 0, pushed: 1, stored: true),
        PushCase(testDescription: "the entry held", held: 1, pushed: 1, stored: false),
        PushCase(testDescription: "an older entry", held: 3, pushed: 2, stored: false),
        PushCase(testDescription: "beyond a gap", held: 1, pushed: 3, stored: true),
    ])
    func aPushIsStoredOnlyIfNew(_ scenario: PushCase) throws {
        let author = try identity(3)
        var node = try makeReplicator(vector: heads([author.id: scenario.held]))
        let entry = signedEntry(by: author, seq: scenario.pushed, links: scenario.pushed > 1 ? [tip(scenario.pushed - 1)] : [], content: try message())
        let out = node.deliver(.push(entry), from: try identity(2).id, at: address(2), now: 10)
        #expect(out.filter { if case .pushed = $0 { true } else { false } } == (scenario.stored ? [.pushed(entry, from: address(2))] : []))
        #expect(node.counters.entriesPushedIn == 1)
        #expect(node.counters.duplicates == (scenario.stored ? 0 : 1))
    }

    @Test func aStoredPushIsADuplicateOnceItsTipsChanged() throws {
        let author = try identity(3)
        var node = try makeReplicator()
        let entry = signedEntry(by: author, seq: 1, content: try message())
        let push = Datagram.Body.push(entry)
        node.deliver(push, from: author.id, at: address(3), now: 10)
        node.tipsChanged([author.id: [entry.tip]])
        #expect(node.deliver(push, from: author.id, at: address(3), now: 20).isEmpty)
        #expect(node.counters.duplicates == 1)
    }

    /// Pushes that waited in the shell while a sync stored the same entries are left out before they are
    /// checked or stored again, and settle as duplicates.
    @Test func pushesASyncStoredMeanwhileAreLeftOut() throws {
        let author = try identity(3)
        var node = try makeReplicator()
        let log = chain(of: author, count: 4)
        for entry in log { node.deliver(.push(entry), from: author.id, at: address(3), now: 10) }
        #expect(node.pushesInFlight == 4)
        node.tipsChanged([author.id: [log[2].tip]])
        #expect(node.notHeld(log) == [log[3]])
        node.pushesSettled(3, held: 3)
        #expect(node.counters.duplicates == 3)
        #expect(node.pushesInFlight == 1)
    }

    /// Past `maxPushesInFlight`, pushes are shed, and still are once the queue drains, until a sync ends with
    /// nothing more to fetch: a node behind catches up by sync, not by pushes that would wait behind a gap.
    @Test func pastTheBoundPushesAreShedUntilASyncCatchesUp() throws {
        let author = try identity(3)
        var node = try makeReplicator { $0.maxPushesInFlight = 2 }
        let log = chain(of: author, count: 6)
        let taken = { (node: inout Replicator, entry: Entry) in
            node.deliver(.push(entry), from: author.id, at: address(3), now: 10).contains(.pushed(entry, from: address(3)))
        }
        #expect(taken(&node, log[0]) && taken(&node, log[1]))
        #expect(!taken(&node, log[2]))
        #expect(node.shedding && node.counters.pushesShed == 1)
        node.tipsChanged([author.id: [log[1].tip]])
        node.pushesSettled(2)
        #expect(!taken(&node, log[3]), "the queue drained, but the node is still behind")
        node.syncFinished(with: address(3), outcome: .completed(syncResult(author.id, more: true)), now: 20)
        #expect(!taken(&node, log[4]), "a sync that stopped at its bound left more to fetch")
        node.inboundSyncEnded(from: address(3).host, result: syncResult(author.id), now: 30)
        node.tipsChanged([author.id: [log[4].tip]])
        #expect(taken(&node, log[5]))
        #expect(!node.shedding)
        #expect(node.counters.pushesShed == 3 && node.counters.dropped == 0 && node.counters.duplicates == 0)
    }

    /// A shedding node drops push datagrams unread: their entries count as shed even where a full decode would
    /// have refused them, the sender counts as heard, another network's push is still that network's, and a
    /// heading without room for its entries is not taken for a push.
    @Test func aSheddingNodeDropsPushesUnread() throws {
        let author = try identity(3)
        var node = try makeReplicator { $0.maxPushesInFlight = 1 }
        let log = chain(of: author, count: 4)
        _ = node.deliver(.push(log[0]), from: author.id, at: address(3), now: 10)
        _ = node.deliver(.push(log[1]), from: author.id, at: address(3), now: 10)
        #expect(node.shedding && node.counters.pushesShed == 1)
        var broken = Datagram(network: testNetwork, sender: author.id, body: .pushes([log[2], log[3]])).encoded()
        broken[broken.count - 1] ^= 0xFF  // the last payload no longer matches its signed hash
        #expect((try? Datagram.decode(broken)) == nil)
        #expect(node.receive(broken, from: address(3), now: 20).isEmpty)
        #expect(node.counters.pushesShed == 3 && node.counters.entriesPushedIn == 4 && node.counters.dropped == 0)
        #expect(node.peers.first { $0.address == address(3) }?.lastSeen == 20)
        _ = node.deliver(.relay(log[2], until: 99), from: author.id, at: address(3), now: 30, network: "elsewhere")
        #expect(node.counters.otherNetwork == 1 && node.counters.pushesShed == 3)
        // A heading that claims entries it has no room for is no push: decoded, and refused whole.
        let whole = Datagram(network: testNetwork, sender: author.id, body: .pushes([log[2], log[3]])).encoded()
        _ = node.receive(Array(whole.prefix(Datagram.pushesOverhead(network: testNetwork))), from: address(3), now: 40)
        #expect(node.counters.dropped == 1 && node.counters.pushesShed == 3)
        #expect(node.counters.datagramsIn == 5)
    }

    /// The replicator passes a push on unchecked (the shell checks bursts of them, `PushBurst`): a forged one
    /// is forwarded like any other, and what the check finds comes back as a count.
    @Test func aForgedPushIsLeftToTheBurstCheckAndCountedFromIt() throws {
        let author = try identity(3)
        var node = try makeReplicator()
        let bytes = craftedEntry(author: author, signer: try identity(4), kind: EntryKind.message.rawValue, payload: messagePayload())
        let entry = try Entry.decode(bytes, verifySignature: false)
        #expect(node.deliver(.push(entry), from: author.id, at: address(3), now: 10).contains(.pushed(entry, from: address(3))))
        #expect(node.counters.dropped == 0)
        #expect(node.pushesInFlight == 1)
        node.pushesSettled(1, forged: 1)
        #expect(node.counters.dropped == 1)
        #expect(node.pushesInFlight == 0)
    }
}
