import LanChatCore
@testable import LanChatNet
import Testing

@Suite("parallel signature checks of sync batches")
struct ParallelVerifierTests {
    private func batch(_ count: Int) throws -> [Entry] {
        let identity = try LocalIdentity(seed: Array(repeating: 7, count: 32))
        return try (1...count).map { seq in
            Entry.sign(by: identity, seq: UInt64(seq), timestamp: HybridTimestamp(wallMillis: 1000, counter: UInt16(seq)),
                       content: .message(try .init(room: "general", body: "entry \(seq)")))
        }
    }

    @Test func aBatchOfGoodEntriesPasses() async throws {
        #expect(await ParallelVerifier.verify(try batch(300)))
    }

    @Test(arguments: [0, 150, 299])
    func oneTamperedEntryAnywhereFailsTheBatch(position: Int) async throws {
        var entries = try batch(300)
        var bytes = entries[position].encoded
        bytes[Entry.headerBytes + 3] ^= 0x01  // a byte of the body
        // Decoded the way a sync session reads frames: structure checked, signature left to the verifier.
        entries[position] = try Entry.decode(bytes, verifySignature: false)
        #expect(await !ParallelVerifier.verify(entries))
    }
}
