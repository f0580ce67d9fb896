import Foundation
import LanChatCore
import LanChatStore
import Testing

/// An entry held header-only (a relay dropped its text) whose text comes later: the store then shows
/// exactly what it would had the entry come whole, so a relay that strips a delete, an edit or a profile
/// cannot keep its effect from a node.
@Suite("text filled in takes effect")
struct PayloadFillTests {
    /// What a store shows: the room's history, rooms, authors, names and counts.
    private struct Shown: Equatable {
        /// A message as history shows it (when it arrived in each store is not shown, and differs).
        struct Message: Equatable {
            let entry: Entry
            let shownAt: HybridTimestamp
            let deleted: Bool
            let edit: StoredEntry.Edit?
        }

        var history: [Message]
        var rooms: [RoomSummary]
        var authors: [AuthorSummary]
        var names: [AuthorID: IdentityDirectory.Record]
        var entries: Int
        var missing: Int

        init(_ store: EntryStore) async throws {
            history = try await store.history(room: "general", limit: 100).map {
                Message(entry: $0.entry, shownAt: $0.shownAt, deleted: $0.deleted, edit: $0.edit)
            }
            rooms = try await store.rooms()
            authors = try await store.authors()
            names = try await store.identityRecords()
            entries = try await store.entryCount()
            missing = try await store.tally().payloadsMissing
        }
    }

    /// Stores `log` whole in one store; in another first with the entries at `headerOnly` without their
    /// text, then those whole. Checks both show the same, and returns it and what the second insert filled.
    private func shownWholeAndFilled(_ log: [Entry], headerOnly: [Int]) async throws -> (shown: Shown, filled: [Entry]) {
        let whole = try await withStore { store in
            _ = try await store.insert(log)
            return try await Shown(store)
        }
        return try await withStore { store in
            _ = try await store.insert(log.indices.map { headerOnly.contains($0) ? log[$0].withoutPayload : log[$0] })
            let result = try await store.insert(headerOnly.map { log[$0] })
            #expect(result.fresh.isEmpty && result.tips.isEmpty, "a fill is no new entry")
            let filled = try await Shown(store)
            #expect(filled == whole)
            return (filled, result.filled)
        }
    }

    @Test func aFilledDeleteDeletes() async throws {
        let alice = try identity(1)
        let message = try messageEntry(alice, body: "regretted")
        let delete = entry(alice, after: message, at: 2_000, .delete(target: message.ref))
        let (shown, filled) = try await shownWholeAndFilled([message, delete], headerOnly: [1])
        #expect(filled == [delete])
        #expect(shown.history.map(\.deleted) == [true])
        #expect(shown.history.map(\.entry.payload) == [nil], "the deleted text is gone")
        #expect(shown.missing == 0)
    }

    @Test func aFilledEditIsShown() async throws {
        let alice = try identity(1)
        let message = try messageEntry(alice, body: "typo")
        let edit = entry(alice, after: message, at: 2_000, try .edit(of: message.ref, validating: "fixed"))
        let (shown, filled) = try await shownWholeAndFilled([message, edit], headerOnly: [1])
        #expect(filled == [edit])
        #expect(shown.history.map(\.edit?.body) == ["fixed"])
    }

    /// The newest profile wins whichever came header-only: a filled older one does not replace it.
    @Test func aFilledProfileNamesItsAuthorUnlessANewerOneDoes() async throws {
        let alice = try identity(1)
        let first = try profileEntry(alice, name: "Alice")
        let second = try profileEntry(alice, after: first, name: "Alicia", at: 2_000)
        let newest = try await shownWholeAndFilled([first, second], headerOnly: [1])
        #expect(newest.shown.names == [alice.id: .init(name: "Alicia", profileSeq: 2, profileAt: second.timestamp)])
        let older = try await shownWholeAndFilled([first, second], headerOnly: [0])
        #expect(older.filled == [first])
        #expect(older.shown.names == [alice.id: .init(name: "Alicia", profileSeq: 2, profileAt: second.timestamp)])
    }

    @Test func aFilledMessageCountsInItsRoomAndForItsAuthor() async throws {
        let alice = try identity(1)
        let log = try messages(alice, count: 3, at: { $0 * 1_000 })
        let (shown, filled) = try await shownWholeAndFilled(log, headerOnly: [0, 2])
        #expect(filled == [log[0], log[2]])
        #expect(shown.rooms == [RoomSummary(name: "general", messages: 3, lastTimestamp: stamp(3_000))])
        #expect(shown.authors == [AuthorSummary(id: alice.id, messages: 3)])
        #expect(shown.entries == 3)
    }

    /// Text this node dropped itself (retention) is not taken back when the message arrives again, and
    /// the message is not counted twice.
    @Test func textRetentionDroppedIsNotFilled() async throws {
        try await withStore { store in
            let log = try messages(try identity(1), count: 2)
            _ = try await store.insert(log)
            #expect(try await store.dropPayloads(arrivedBefore: WallClock.nowMillis() + 1) == 2)
            let before = try await Shown(store)
            #expect(try await store.insert(log).filled.isEmpty)
            #expect(try await Shown(store) == before)
        }
    }
}
