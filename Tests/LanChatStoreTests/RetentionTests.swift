import Foundation
import LanChatCore
@testable import LanChatStore
import Testing

/// Retention and quotas drop messages' text and keep their headers: the log still verifies and syncs.
@Suite("retention and per-author quota")
struct RetentionTests {
    @Test func textOlderThanTheRetentionGoesHeadersStay() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let log = try messages(alice, count: 3)
            _ = try await store.insert(log)
            let before = try await store.syncVector()
            #expect(try await store.dropPayloads(arrivedBefore: 1) == 0, "nothing arrived before 1970")
            #expect(try await store.dropPayloads(arrivedBefore: WallClock.nowMillis() + 1) == 3)
            #expect(try await store.historyEntries(room: "general").map(\.payload) == [nil, nil, nil])
            #expect(try await store.entryCount() == 3)
            #expect(try await store.syncVector() == before)
            #expect(try await store.entries(author: alice.id, after: 0, limit: 10).allSatisfy { $0.payload == nil })
            #expect(try await store.tally().payloadsDropped == 3)
        }
    }

    @Test func anAuthorBeyondItsQuotaLosesItsOldestTextOthersKeepTheirs() async throws {
        try await withStore { store in
            let (alice, bob) = (try identity(1), try identity(2))
            _ = try await store.insert(try messages(alice, count: 5) + messages(bob, count: 1))
            let size = try #require(try await store.entries(author: alice.id, after: 0, limit: 1).first?.payload?.count)
            #expect(try await store.enforceQuota(bytes: 2 * size) == 3)
            let kept = try await store.entries(author: alice.id, after: 0, limit: 10).map { $0.payload != nil }
            #expect(kept == [false, false, false, true, true])
            #expect(try await store.entries(author: bob.id, after: 0, limit: 10).allSatisfy { $0.payload != nil })
            #expect(try await store.enforceQuota(bytes: 2 * size) == 0)
        }
    }
}

/// A message held without its text takes the text when it arrives again, unless its author deleted it:
/// a relay that dropped it cannot pass that off as a delete.
@Suite("missing text filled in")
struct MissingPayloadTests {
    /// Direct messages are text someone wrote too: an author cannot fill other nodes' disks with them.
    @Test func directMessagesCountInTheQuotaAndExpire() async throws {
        try await withStore { store in
            let (alice, bob) = (try identity(1), try identity(2))
            var log: [Entry] = []
            for index in 0..<4 {
                let sealed = try SealedDirectMessage.seal(
                    String(repeating: "x", count: 900), from: alice.id, to: [bob.directMessageKey.publicKey])
                log.append(entry(alice, after: log.last, at: UInt64(1_000 + index), .directMessage(sealed)))
            }
            _ = try await store.insert(log)
            let size = try #require(log[0].payload?.count)
            #expect(try await store.enforceQuota(bytes: 2 * size) == 2)
            #expect(try await store.directMessages().count == 2)
            #expect(try await store.dropPayloads(arrivedBefore: WallClock.nowMillis() + 1) == 2)
            #expect(try await store.directMessages().isEmpty)
        }
    }

    @Test func textArrivingLaterIsTakenUnlessDeleted() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let kept = try messageEntry(alice, body: "kept")
            let gone = try messageEntry(alice, after: kept, body: "gone")
            _ = try await store.insert([kept.withoutPayload, gone.withoutPayload])
            #expect(try await store.historyEntries(room: "general").isEmpty, "without text, no room is known")
            let delete = entry(alice, after: gone, at: 2_000, .delete(target: gone.ref))
            _ = try await store.insert([delete])
            _ = try await store.insert([kept, gone])
            #expect(try await store.historyEntries(room: "general").map(\.payload) == [kept.payload])
            #expect(try await store.entries(author: alice.id, after: 1, limit: 1).first?.payload == nil, "the deleted text is not taken")
        }
    }
}
