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
            let low1 = try messageEntry(low, at: 30)  // a later timestamp with a lower seq: the clock decides
            let low2 = try messageEntry(low, after: low1, at: 20), low3 = try messageEntry(low, after: low2, at: 20)
            let high1 = try messageEntry(high, at: 10), high2 = try messageEntry(high, after: high1, at: 20)
            let expected = [high1, low2, low3, high2, low1]
            var random = SplitMix64(seed: 3)
            for entry in expected.shuffled(using: &random) { _ = try await store.insert([entry]) }
            _ = try await store.insert([try messageEntry(low, after: low3, at: 25, room: "ops"), try profileEntry(high, after: high2, name: "H", at: 15)])

            #expect(try await store.historyEntries(room: "general") == expected)
            #expect(try await store.historyEntries(room: "general", limit: 3) == Array(expected.suffix(3)))
            #expect(try await store.historyEntries(room: "general", limit: 1) == [expected[4]])
            #expect(try await store.historyEntries(room: "general", limit: 0).isEmpty)
            #expect(try await store.historyEntries(room: "ops", limit: 10).map(\.seq) == [4])
            #expect(try await store.historyEntries(room: "nowhere", limit: 10).isEmpty)
            #expect(try await store.history(room: "general", limit: 10).allSatisfy { $0.shownAt == $0.entry.timestamp && !$0.clockAhead })
        }
    }

    /// Finding 5: a message whose author's clock runs far ahead is shown (and sorted) at its arrival,
    /// marked, not at the bottom of the room for years; one within the allowed skew keeps its timestamp.
    @Test func anEntryFromTheFutureIsShownAtItsArrival() async throws {
        try await withStore { store in
            let (low, high) = try authors()
            let now = WallClock.nowMillis()
            let future = try messageEntry(low, at: now + 10 * 365 * 24 * 3_600_000, body: "from 2036")
            let before = WallClock.nowMillis()
            _ = try await store.insert([future])
            let after = WallClock.nowMillis()
            let justAhead = try messageEntry(high, at: after + EntryStore.allowedSkewMillis / 2, body: "a little ahead")
            _ = try await store.insert([justAhead])

            let shown = try await store.history(room: "general", limit: 10)
            #expect(shown.map(\.entry) == [future, justAhead])
            #expect(shown[0].clockAhead)
            #expect(shown[0].shownAt.wallMillis >= before && shown[0].shownAt.wallMillis <= after)
            #expect(!shown[1].clockAhead)
            #expect(shown[1].shownAt == justAhead.timestamp)
            // The newest message of a room is the one shown last: not the one from the future.
            #expect(try await store.historyEntries(room: "general", limit: 1) == [justAhead])
            #expect(try await store.rooms().first?.lastTimestamp == justAhead.timestamp)
        }
    }

    // Timestamps with the top bit set never reach the store: the decoder refuses them, so SQLite's
    // signed order and HybridTimestamp's unsigned order always agree for stored entries.
    @Test func timestampsBeyondTheSignedRangeAreRefusedBeforeStorage() throws {
        let (low, _) = try authors()
        let huge = Entry.sign(
            by: low, seq: 1, timestamp: HybridTimestamp(rawValue: 1 << 63),
            content: .message(try .init(room: "general", body: "from far away")))
        #expect(throws: DecodeError.invalid(field: "timestamp", reason: "beyond the year 6000")) {
            try Entry.decode(huge.encoded)
        }
    }
}
