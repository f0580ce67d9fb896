import LanChatCore
import Testing

/// Where a forked log split, seen from one side: the lowest seq at which a walk down from its tips (by
/// links) meets an entry the peer reported holding; 0, send everything, where a path meets none.
@Suite("ForkWalk")
struct ForkWalkTests {
    static let carol = try! identity(3)
    static let line = chain(of: carol, count: 6)
    static let branch = chain(of: carol, after: line[2], count: 2, tag: "b")

    static func walk(from tips: [Entry], stop: [Entry], entries: [Entry] = line + branch) -> UInt64 {
        let byHash = Dictionary(uniqueKeysWithValues: entries.map { ($0.hash, $0) })
        return ForkWalk.lowestStop(from: tips.map(\.tip), stop: Set(stop.map(\.hash))) { byHash[$0.hash]?.links ?? [] }
    }

    @Test func aWalkStopsAtTheFirstEntryThePeerHolds() {
        #expect(Self.walk(from: [Self.line[5]], stop: [Self.line[2], Self.line[0]]) == 3)
        #expect(Self.walk(from: [Self.branch[1]], stop: [Self.line[4], Self.line[1]]) == 2)
        // A tip the peer holds itself stops at once.
        #expect(Self.walk(from: [Self.line[5]], stop: [Self.line[5]]) == 6)
    }

    @Test func theLowestStopOfAllPathsCounts() {
        // From both tips: the line meets 5, the branch meets nothing before 2.
        #expect(Self.walk(from: [Self.line[5], Self.branch[1]], stop: [Self.line[4], Self.line[1]]) == 2)
        // A merge of a fork at seq 4: one path meets 4', the other 3.
        let merge = signedEntry(by: Self.carol, seq: 5, links: [Self.line[3].tip, Self.branch[0].tip], content: .profile(name: "m"))
        #expect(Self.walk(from: [merge], stop: [Self.branch[0], Self.line[2]], entries: Self.line + Self.branch + [merge]) == 3)
    }

    @Test func aPathThatMeetsNoStopSendsEverything() {
        #expect(Self.walk(from: [Self.line[5]], stop: []) == 0)
        #expect(Self.walk(from: [Self.line[5], Self.branch[1]], stop: [Self.line[4]]) == 0)
        // An entry whose links are not held ends the walk as seq 1 would.
        #expect(Self.walk(from: [Self.line[5]], stop: [Self.line[0]], entries: Array(Self.line.suffix(3))) == 0)
    }

    /// A walk longer than `maxSteps` gives up with 0: always safe, never unbounded.
    @Test func aWalkTooLongGivesUp() {
        let position = { (n: Int) in AuthorTip(seq: UInt64(n), hash: EntryHash(of: bigEndian(UInt64(n)))) }
        let length = ForkWalk.maxSteps + 10
        let walk = { (stop: Int) in
            ForkWalk.lowestStop(from: [position(length)], stop: [position(stop).hash]) { $0.seq > 1 ? [position(Int($0.seq) - 1)] : [] }
        }
        #expect(walk(length - 5) == UInt64(length - 5))
        #expect(walk(1) == 0)
    }
}
