import LanChatCore
@testable import LanChatNet
import Testing

/// A sync batch is checked one signature per hash chain (`HashChain`), the chains spread over every core.
@Suite("parallel signature checks of sync batches")
struct ParallelVerifierTests {
    /// `count` entries of one author's log, each linking the one before.
    private static func chain(_ seed: UInt8, count: Int) throws -> [Entry] {
        let identity = try LocalIdentity(seed: Array(repeating: seed, count: 32))
        var entries: [Entry] = []
        for seq in 1...count {
            entries.append(Entry.sign(
                by: identity, seq: UInt64(seq), timestamp: HybridTimestamp(wallMillis: 1000, counter: UInt16(seq)),
                links: entries.last.map { [$0.tip] } ?? [], content: .message(try .init(room: "general", body: "entry \(seq)"))))
        }
        return entries
    }

    /// 200 authors' chains: 200 signatures, enough for a lane per core on any machine with two or more.
    private static func batch() throws -> [Entry] {
        try (1...200 as ClosedRange<UInt8>).flatMap { try chain($0, count: 3) }
    }

    @Test func aBatchOfGoodEntriesPasses() async throws {
        #expect(await ParallelVerifier.verify(try Self.chain(7, count: 300)))
        #expect(await ParallelVerifier.verify(try Self.batch()))
    }

    /// A burst of pushes checked on every core: the tampered entry alone is refused, its honest neighbours kept.
    @Test(arguments: [0, 301, 599])
    func aBurstKeepsAllButATamperedEntry(position: Int) async throws {
        var entries = try Self.batch()
        var bytes = entries[position].encoded
        bytes[41 + 7] ^= 0x01
        entries[position] = try Entry.decode(bytes, verifySignature: false)
        let checked = await ParallelVerifier.authentic(entries)
        #expect(checked.forged == 1)
        #expect(checked.authentic == entries.filter { $0 != entries[position] })
    }

    @Test(arguments: [0, 150, 299])
    func oneTamperedEntryAnywhereFailsTheBatch(position: Int) async throws {
        var entries = try Self.batch()
        var bytes = entries[position].encoded
        bytes[41 + 7] ^= 0x01  // a byte of the signed timestamp: its hash changes, so the chain breaks there
        // Decoded the way a sync session reads frames: structure checked, signature left to the verifier.
        entries[position] = try Entry.decode(bytes, verifySignature: false)
        #expect(await !ParallelVerifier.verify(entries))
    }
}
