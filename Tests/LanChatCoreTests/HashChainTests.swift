import LanChatCore
import Testing

/// One valid signature vouches for every entry it reaches through its author's hash links: a batch
/// needs the signatures of the entries no other entry of the same author in it links to.
@Suite("HashChain")
struct HashChainTests {
    static let alice = try! identity(1), bob = try! identity(2)
    static let aliceLog = chain(of: alice, count: 100)

    @Test func aChainOfOneAuthorNeedsOneSignatureItsLast() {
        #expect(HashChain.signers(of: Self.aliceLog) == [Self.aliceLog[99]])
        #expect(HashChain.signers(of: Self.aliceLog.reversed()) == [Self.aliceLog[99]])
        #expect(SignatureVerifier().verify(Self.aliceLog))
    }

    @Test func twoAuthorsNeedTwo() {
        let bobLog = chain(of: Self.bob, count: 30)
        let signers = HashChain.signers(of: Self.aliceLog + bobLog)
        #expect(Set(signers) == [Self.aliceLog[99], bobLog[29]])
    }

    @Test func smallBatchesAreAllSigners() {
        #expect(HashChain.signers(of: []) == [])
        #expect(HashChain.signers(of: [Self.aliceLog[5]]) == [Self.aliceLog[5]])
        // Entries far apart do not link each other.
        #expect(HashChain.signers(of: [Self.aliceLog[5], Self.aliceLog[50]]) == [Self.aliceLog[5], Self.aliceLog[50]])
    }

    /// A fork (two entries at seq 4) merged by entry 5 is still one chain.
    @Test func aMergedForkNeedsOneSignature() {
        let base = Array(Self.aliceLog.prefix(3))
        let left = chain(of: Self.alice, after: base[2], count: 1, tag: "left")[0]
        let right = chain(of: Self.alice, after: base[2], count: 1, tag: "right")[0]
        let merge = signedEntry(by: Self.alice, seq: 5, links: [left.tip, right.tip], content: .profile(name: "merged"))
        #expect(HashChain.signers(of: base + [left, right, merge]) == [merge])
        // Unmerged, each branch's tip signs for its own.
        #expect(Set(HashChain.signers(of: base + [left, right])) == [left, right])
    }

    /// A byte changed in the header of entry 50 (nothing recomputed): entry 51 no longer links to it, so
    /// it must show its own signature, which does not match.
    @Test func aTamperedMiddleEntryBreaksTheChainAndIsCaught() throws {
        let tampered = try tampered(Self.aliceLog[49])
        var batch = Self.aliceLog
        batch[49] = tampered
        #expect(HashChain.signers(of: batch) == [tampered, Self.aliceLog[99]])
        #expect(!tampered.hasValidSignature)
        #expect(!SignatureVerifier().verify(batch))
    }

    /// An entry claiming to be Bob's, signed by another key: the verifier refuses the batch, also where
    /// an entry of Alice's names its hash among her links (links vouch only for their own author).
    @Test func aForgedEntryOfAnotherAuthorFailsTheBatch() throws {
        let forgedBytes = craftedEntry(author: Self.bob, signer: Self.alice, kind: 2, payload: profilePayload(Array("Bob".utf8)))
        let forged = try Entry.decode(forgedBytes, verifySignature: false)
        let vouching = signedEntry(
            by: Self.alice, seq: 3, links: [AuthorTip(seq: 1, hash: forged.hash), Self.aliceLog[1].tip], content: .profile(name: "x"))
        let batch = Array(Self.aliceLog.prefix(2)) + [forged, vouching]
        #expect(HashChain.signers(of: batch).contains(forged))
        #expect(!SignatureVerifier().verify(batch))
        #expect(SignatureVerifier().verify(batch.filter { $0 != forged }))
    }
}
