import LanChatCore
import Testing

/// A burst of pushes is checked with as few signatures as its hash chains allow, and a forgery in it
/// costs checks but never an honest entry.
@Suite("PushBurst")
struct PushBurstTests {
    static let alice = try! identity(1), bob = try! identity(2), carol = try! identity(3)
    static let aliceLog = chain(of: alice, count: 40)

    /// Runs the check, counting the signatures it verifies.
    static func check(_ burst: [Entry]) -> (authentic: Set<Entry>, forged: Int, signatures: Int) {
        var signatures = 0
        let result = PushBurst.authentic(burst) { entries in
            signatures += entries.count
            return entries.map(\.hasValidSignature)
        }
        #expect(result.authentic.count == Set(result.authentic).count, "an entry came back twice")
        return (Set(result.authentic), result.forged, signatures)
    }

    @Test func oneAuthorsRunNeedsOneSignature() {
        let result = Self.check(Array(Self.aliceLog[10..<40]))
        #expect(result == (Set(Self.aliceLog[10..<40]), 0, 1))
    }

    /// Three authors' pushes, interleaved as they arrive from three peers.
    @Test func interleavedAuthorsNeedOneEach() {
        let bobLog = chain(of: Self.bob, count: 20), carolLog = chain(of: Self.carol, count: 20)
        let burst = (0..<20).flatMap { [Self.aliceLog[$0], bobLog[$0], carolLog[$0]] }
        let result = Self.check(burst)
        #expect(result == (Set(burst), 0, 3))
    }

    /// Entries far apart do not vouch for each other: each shows its own signature.
    @Test func isolatedEntriesAreEachChecked() {
        let burst = [Self.aliceLog[3], Self.aliceLog[9], Self.aliceLog[20]]
        #expect(Self.check(burst) == (Set(burst), 0, 3))
    }

    @Test func duplicatesCountOnce() {
        let burst = Array(Self.aliceLog[0..<5]) + Array(Self.aliceLog[0..<5])
        #expect(Self.check(burst) == (Set(Self.aliceLog[0..<5]), 0, 1))
    }

    @Test func anEmptyBurstChecksNothing() {
        #expect(Self.check([]) == ([], 0, 0))
    }

    /// A forger appends an entry in Alice's name (signed by another key) that links to her latest: it is
    /// checked first, as the head of her chain, and fails; her latest is then the head, and vouches for her run.
    @Test func aForgedHeadCostsChecksButNoHonestEntry() throws {
        let run = Array(Self.aliceLog[0..<10])
        let forged = try Entry.decode(
            craftedEntry(author: Self.alice, signer: Self.bob, seq: 11, kind: 2, links: [run[9].tip], payload: profilePayload(Array("x".utf8))),
            verifySignature: false)
        let result = Self.check(run + [forged])
        #expect(result.authentic == Set(run))
        #expect(result.forged == 1)
        #expect(result.signatures == 2)
    }

    /// Three forged entries in Alice's name, each linking the one before and the first her latest: each is a
    /// head in turn and costs its own check, once; her run still costs one.
    @Test func aForgedChainCostsOneCheckPerForgery() throws {
        let run = Array(Self.aliceLog[0..<10])
        var forgeries: [Entry] = []
        for seq: UInt64 in 11...13 {
            let below = forgeries.last?.tip ?? run[9].tip
            forgeries.append(try Entry.decode(
                craftedEntry(author: Self.alice, signer: Self.bob, seq: seq, kind: 2, links: [below], payload: profilePayload(Array("x".utf8))),
                verifySignature: false))
        }
        let result = Self.check(forgeries.reversed() + run)
        #expect(result.authentic == Set(run))
        #expect(result.forged == 3)
        #expect(result.signatures == 4)
    }

    /// A byte changed in entry 20's header (its hash and signature no longer match): entry 40 vouches
    /// for 21 to 40, the tampered one fails alone, and entry 19, the head of what is left, vouches for 1 to 19.
    @Test func aTamperedMiddleEntryIsTheOnlyOneRefused() throws {
        let tampered = try tampered(Self.aliceLog[19])
        var burst = Self.aliceLog
        burst[19] = tampered
        let result = Self.check(burst)
        #expect(result.authentic == Set(burst).subtracting([tampered]))
        #expect(result.forged == 1)
        #expect(result.signatures == 3)
    }

    /// An entry of Bob's signed by Alice, named among Alice's links: links vouch only for their own author.
    @Test func anotherAuthorsEntryIsNotVouchedForByALink() throws {
        let forged = try Entry.decode(
            craftedEntry(author: Self.bob, signer: Self.alice, kind: 2, payload: profilePayload(Array("Bob".utf8))), verifySignature: false)
        let vouching = signedEntry(
            by: Self.alice, seq: 3, links: [AuthorTip(seq: 1, hash: forged.hash), Self.aliceLog[1].tip], content: .profile(name: "x"))
        let result = Self.check([Self.aliceLog[0], Self.aliceLog[1], forged, vouching])
        #expect(result.authentic == [Self.aliceLog[0], Self.aliceLog[1], vouching])
        #expect(result.forged == 1)
    }
}
