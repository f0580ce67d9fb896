import LanChatCore
import LanChatStore
import Testing

@Suite("EntryStore.history")
struct HistoryTests {
    /// Two authors, ordered by their ID bytes, so the expected order does not depend on key values.
    private func authors() throws -> (low: LocalIdentity, high: LocalIdentity) {
        let a = try identity(1), b = try identity(2)
        return a.id < b.id ? (a, b) : (b, a)
    }

    @Test func orderedByTimestampThenAuthorThenSeqWhateverTheInsertOrder() async throws {
        try await withStore { store in
            let (low, high) = try authors()
            let expected = [
                try messageEntry(high, seq: 1, at: 10),
                try messageEntry(low, seq: 2, at: 20),
                try messageEntry(low, seq: 3, at: 20),
                try messageEntry(high, seq: 2, at: 20),
                try messageEntry(low, seq: 1, at: 30),  // a later timestamp with a lower seq: the clock decides
            ]
            var random = SplitMix64(seed: 3)
            for entry in expected.shuffled(using: &random) { _ = try await store.insert([entry]) }
            _ = try await store.insert([try messageEntry(low, seq: 4, at: 25, room: "ops"), try profileEntry(high, seq: 3, name: "H", at: 15)])

            #expect(try await store.history(room: "general", limit: 100) == expected)
            #expect(try await store.history(room: "general", limit: 3) == Array(expected.suffix(3)))
            #expect(try await store.history(room: "general", limit: 1) == [expected[4]])
            #expect(try await store.history(room: "general", limit: 0).isEmpty)
            #expect(try await store.history(room: "ops", limit: 10).map(\.seq) == [4])
            #expect(try await store.history(room: "nowhere", limit: 10).isEmpty)
        }
    }

    // Timestamps with the top bit set never reach the store: the decoder refuses them, so SQLite's
    // signed order and HybridTimestamp's unsigned order always agree for stored entries.
    @Test func timestampsBeyondTheSignedRangeAreRefusedBeforeStorage() throws {
        let (low, _) = try authors()
        let huge = Entry.sign(
            by: low, seq: 2, timestamp: HybridTimestamp(rawValue: 1 << 63),
            content: .message(try .init(room: "general", body: "from far away")))
        #expect(throws: DecodeError.invalid(field: "timestamp", reason: "beyond the year 6000")) {
            try Entry.decode(huge.encoded)
        }
    }
}
