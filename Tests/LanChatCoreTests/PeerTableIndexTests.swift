@testable import LanChatCore
import Testing

/// A full table finds room through what it keeps beside its records (the offline ones, the addresses per host,
/// the ring neighbours until a change can move them). Random changes of every kind, and after each, what the
/// table answers is what a search of its records gives.
@Suite("peer table: indexes agree with the records")
struct PeerTableIndexTests {
    private static let hosts = 30
    private static let ports = 2

    private static func someAddress(_ random: inout SplitMix64) -> PeerAddress {
        PeerAddress(host: "10.0.0.\(random.next() % UInt64(hosts))", port: 7420 + UInt16(random.next() % UInt64(ports)))
    }

    private static func someID(_ random: inout SplitMix64) throws -> AuthorID {
        try AuthorID(bytes: random.bytes(count: AuthorID.byteCount))
    }

    /// Whom `learn` drops for a newcomer, found by searching every record.
    private static func expectedVictim(_ table: PeerTable, newcomer: RingView.Place?, proven: Bool) -> PeerAddress? {
        let neighbours = table.ring!.neighbours(in: table.records)
        let evictable = table.all.filter { !$0.sources.contains(.configured) && !neighbours.addresses.contains($0.address) }
        let heardFirst = { (one: PeerRecord, other: PeerRecord) in (one.lastSeen ?? 0, one.address) < (other.lastSeen ?? 0, other.address) }
        if let silent = evictable.filter({ $0.state == .offline }).min(by: heardFirst) { return silent.address }
        guard proven, let newcomer, neighbours.wouldInclude(newcomer), !table.all.contains(where: { $0.address.host == newcomer.address.host })
        else { return nil }
        return evictable.filter { !$0.syncing }.min(by: heardFirst)?.address
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func everyAnswerMatchesASearchOfTheRecords(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var table = PeerTable(capacity: 12, ring: RingView(of: try identity(1).id, width: 3))
        var victims = 0
        var liveVictims = 0
        for step in 0..<6_000 {
            let address = Self.someAddress(&random)
            let id = try Self.someID(&random)
            switch random.next() % 5 {
            case 0, 1:
                let proven = random.next() % 2 == 0
                let source: PeerSource = random.next() % 8 == 0 ? .configured : .exchange
                let known = table[address] != nil
                let full = table.isFull
                // Some addresses come without an ID (mDNS, a configured peer): no place on the ring.
                let claimed = random.next() % 6 == 0 ? nil : id
                let newcomer = claimed.map { RingView.Place(position: RelayTree.position(of: $0), address: address) }
                let expected = known || !full ? nil : Self.expectedVictim(table, newcomer: newcomer, proven: proven)
                let before = Set(table.all.map(\.address))
                let livePlace = expected.map { table[$0]?.state != .offline } ?? false
                let added = table.learn(address, source: source, id: claimed, proven: proven)
                let dropped = before.subtracting(table.all.map(\.address))
                #expect(dropped == Set([expected].compactMap { $0 }), "step \(step)")
                #expect(added == (known || !full || expected != nil), "step \(step)")
                victims += dropped.count
                if livePlace { liveVictims += 1 }
            case 2:
                // Mostly alive: a table full of live peers is where a proven neighbour takes a live one's place.
                let state: PeerState = [.alive, .alive, .alive, .suspect, .offline][Int(random.next() % 5)]
                let roll = random.next()
                table.update(address) { record in
                    record.state = state
                    if roll % 3 == 0 { record.lastSeen = roll % 1_000 }
                    if roll % 5 == 0 { record.unanswered.toggle() }
                    if roll % 7 == 0 { record.verifiedID = id }
                    if roll % 11 == 0 { record.claimedID = id }
                    if roll % 13 == 0 { record.syncing.toggle() }
                }
            case 3:
                if random.next() % 3 == 0 { table.remove(address) }
            default:
                let fresh = table.ring!.neighbours(in: table.records)
                let place = RingView.Place(position: RelayTree.position(of: id), address: address)
                #expect(table.wouldKeep(address, id: id) == (fresh.addresses.contains(address) || fresh.wouldInclude(place)), "step \(step)")
                #expect(table.holds(host: address.host) == table.all.contains { $0.address.host == address.host }, "step \(step)")
            }
        }
        #expect(victims > 100, "the runs must make room often enough to say something")
        #expect(liveVictims > 10, "and a proven neighbour must take a live peer's place now and then")
    }
}
