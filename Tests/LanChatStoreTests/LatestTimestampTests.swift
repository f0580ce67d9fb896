import LanChatCore
import LanChatStore
import Testing

/// Where this node's clock resumes after a restart: its own latest timestamp, never a peer's, and never
/// one of its own entries from a clock far ahead (finding 5: the node would date every later message
/// there, for years).
@Suite("EntryStore.latestTimestamp")
struct LatestTimestampTests {
    @Test func itIsTheAuthorsOwnNewestTimestamp() async throws {
        try await withStore { store in
            let me = try identity(1), peer = try identity(2)
            let mine = try messages(me, count: 3, at: { [30, 10, 20][Int($0) - 1] })
            _ = try await store.insert(mine + [try messageEntry(peer, at: 99)])
            #expect(try await store.latestTimestamp(of: me.id) == stamp(30))
            #expect(try await store.latestTimestamp(of: try identity(3).id) == HybridTimestamp(rawValue: 0))
        }
    }

    @Test func anOwnEntryFromTheFutureDoesNotMoveItThere() async throws {
        try await withStore { store in
            let me = try identity(1)
            let tenYears: UInt64 = 10 * 365 * 24 * 3_600_000
            let first = try messageEntry(me, at: WallClock.nowMillis())
            _ = try await store.insert([first, try messageEntry(me, after: first, at: WallClock.nowMillis() + tenYears)])
            let resumed = try await store.latestTimestamp(of: me.id)
            #expect(resumed.wallMillis <= WallClock.nowMillis() + EntryStore.allowedSkewMillis)
        }
    }
}
