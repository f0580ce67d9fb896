import Foundation
import LanChatCore
import LanChatStore
import Testing

/// Which payloads a sync asks peers for: those missing without a signed delete (they came header-only
/// from a relay), never what this node dropped itself or what its author deleted.
@Suite("payloads to fetch from peers")
struct PayloadFetchStoreTests {
    /// Alice's message, her edit of it, and her delete of it.
    static func editedThenDeleted() throws -> (message: Entry, edit: Entry, delete: Entry) {
        let alice = try identity(1)
        let message = try messageEntry(alice)
        let edit = entry(alice, after: message, at: 1_500, try .edit(of: message.ref, validating: "edited"))
        return (message, edit, entry(alice, after: edit, at: 2_000, .delete(target: message.ref)))
    }

    @Test func onlyTextARelayDroppedIsAskedFor() async throws {
        try await withStore { store in
            let (alice, bob) = (try identity(1), try identity(2))
            let log = try messages(alice, count: 5)
            // 1 and 2 arrived whole and retention dropped them since.
            _ = try await store.insert(Array(log[0...1]))
            #expect(try await store.dropPayloads(arrivedBefore: WallClock.nowMillis() + 1) == 2)
            // 3 and 4 came header-only; 4's author deleted it; 5 came whole.
            _ = try await store.insert([log[2].withoutPayload, log[3].withoutPayload, log[4]])
            _ = try await store.insert([entry(alice, after: log[4], at: 2_000, .delete(target: log[3].ref))])
            // Bob's oldest text, beyond a quota of one message, is dropped.
            _ = try await store.insert(try messages(bob, count: 2))
            #expect(try await store.enforceQuota(bytes: try #require(log[4].payload).count) == 1)

            #expect(try await store.missingPayloads(after: nil, limit: 10) == [log[2].ref])
            #expect(try await store.tally().payloadsMissing == 1)
            #expect(try await store.wholeEntries(log.map(\.ref)) == [log[4]], "only what it holds whole is served")

            #expect(try await store.insert([log[2]]).filled == [log[2]])
            try await store.settleFetch([log[2].ref])
            #expect(try await store.tally().payloadsMissing == 0)
        }
    }

    /// An edit held header-only, of a message its author deleted since: the text that comes is refused
    /// (it names the deleted message), and the edit is not asked for again.
    @Test func textTheStoreRefusesIsNotAskedForAgain() async throws {
        try await withStore { store in
            let (message, edit, delete) = try Self.editedThenDeleted()
            _ = try await store.insert([message, edit.withoutPayload, delete])
            #expect(try await store.missingPayloads(after: nil, limit: 10) == [edit.ref])

            #expect(try await store.insert([edit]).filled.isEmpty)
            try await store.settleFetch([edit.ref])
            #expect(try await store.tally().payloadsMissing == 0)
        }
    }

    /// A backlog larger than one request is asked for in turn, wrapping round.
    @Test func theBacklogIsAskedForRoundRobin() async throws {
        try await withStore { store in
            let log = try messages(try identity(1), count: 5)
            _ = try await store.insert(log.map(\.withoutPayload))
            let refs = log.map(\.ref)
            #expect(try await store.missingPayloads(after: nil, limit: 2) == [refs[0], refs[1]])
            #expect(try await store.missingPayloads(after: refs[1], limit: 2) == [refs[2], refs[3]])
            #expect(try await store.missingPayloads(after: refs[3], limit: 2) == [refs[4], refs[0]])
            #expect(try await store.missingPayloads(after: refs[0], limit: 10) == Array(refs[1...]) + [refs[0]])
        }
    }

    /// Text nobody holds (every relay dropped it) is asked for in `maxFetchAsks` sessions, then no more:
    /// it stays counted as missing, but a node does not sync for it for ever.
    @Test func textNobodyHoldsIsGivenUpAfterItsAsks() async throws {
        try await withStore { store in
            let message = try messageEntry(try identity(1))
            _ = try await store.insert([message.withoutPayload])
            for _ in 0..<EntryStore.maxFetchAsks {
                #expect(try await store.missingPayloads(after: nil, limit: 10) == [message.ref])
            }
            #expect(try await store.missingPayloads(after: nil, limit: 10).isEmpty)
            #expect(try await store.tally().payloadsMissing == 1)
        }
    }

    /// An edit that arrives whole after its message's delete is stored without its text on purpose:
    /// this node withholds it, so it is not missing.
    @Test func anEditOfADeletedMessageIsNotMissing() async throws {
        try await withStore { store in
            let (message, edit, delete) = try Self.editedThenDeleted()
            _ = try await store.insert([message, delete])
            _ = try await store.insert([edit])
            #expect(try await store.tally().payloadsMissing == 0)
        }
    }

    /// A held entry that comes again with its text is filled even where its author's log holds as many
    /// branches as are kept: the bound is for new branches, not for text.
    @Test func textIsFilledAtTheBranchBound() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let first = try messageEntry(alice)
            let branches = try (1...SyncVector.maxTipsPerAuthor).map { try messageEntry(alice, after: first, body: "branch \($0)") }
            _ = try await store.insert([first] + branches.dropLast() + [branches.last!.withoutPayload])
            let result = try await store.insert([branches.last!])
            #expect(result.refusedBranches == 0)
            #expect(result.filled == [branches.last!])
            #expect(try await store.tally().payloadsMissing == 0)
        }
    }

    /// Header-only text older than the retention period would be dropped on arrival: it is not asked for.
    @Test func retentionAlsoGivesUpTextItWouldDrop() async throws {
        try await withStore { store in
            let log = try messages(try identity(1), count: 2)
            _ = try await store.insert(log.map(\.withoutPayload))
            #expect(try await store.dropPayloads(arrivedBefore: WallClock.nowMillis() + 1) == 0)
            #expect(try await store.tally().payloadsMissing == 0)
        }
    }
}
