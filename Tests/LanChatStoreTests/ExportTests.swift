import LanChatCore
import LanChatStore
import Testing

@Suite("MessageExport")
struct ExportTests {
    /// Two authors writing in two rooms, many pages' worth, often at the same millisecond; and the order
    /// history shows them in.
    private func twoRooms(_ count: Int) throws -> (entries: [Entry], inOrder: [Entry]) {
        let a = try identity(1), b = try identity(2)
        var logs: [[Entry]] = [[], []]
        for index in 0..<count {
            for (which, author) in [a, b].enumerated() {
                let room = (index + which) % 3 == 0 ? "dev" : "general"
                logs[which].append(try messageEntry(author, after: logs[which].last, at: 1_000 + UInt64(index / 2), room: room))
            }
        }
        let entries = logs[0] + logs[1]
        let inOrder = entries.sorted {
            ($0.timestamp, $0.author, $0.seq) < ($1.timestamp, $1.author, $1.seq)
        }
        return (entries, inOrder)
    }

    private func drain(_ export: MessageExport, _ store: EntryStore, hiding: Set<AuthorID> = [], step: Int = 100) async throws -> [(MessageExport.Source, Entry)] {
        var export = export
        var all: [(MessageExport.Source, Entry)] = []
        while true {
            let page = try await export.next(step, from: store, hiding: hiding)
            all += page.map { ($0.source, $0.stored.entry) }
            if page.count < step { return all }
        }
    }

    @Test func everyMessageOfEveryRoomInHistoryOrderAcrossPages() async throws {
        try await withStore { store in
            let (entries, inOrder) = try twoRooms(2 * MessageExport.pageSize)
            _ = try await store.insert(entries)
            let export = MessageExport(sources: [.room("dev"), .room("general"), .directMessages], since: HybridTimestamp(rawValue: 0))

            let all = try await drain(export, store)
            #expect(all.map(\.1) == inOrder)
            #expect(all.allSatisfy { source, entry in
                guard case .message(let message) = try? entry.content() else { return false }
                return source == .room(message.room)
            })
            // One room alone is that room's history, whole.
            let dev = try await drain(MessageExport(sources: [.room("dev")], since: HybridTimestamp(rawValue: 0)), store, step: 7)
            #expect(dev.map(\.1) == inOrder.filter { $0.roomName == "dev" })
        }
    }

    @Test func sinceAndHidingLeaveMessagesOut() async throws {
        try await withStore { store in
            let (entries, inOrder) = try twoRooms(300)
            _ = try await store.insert(entries)
            let since = HybridTimestamp(wallMillis: 1_100, counter: 0)
            let hidden = try identity(2).id

            let all = try await drain(MessageExport(sources: [.room("general"), .room("dev")], since: since), store, hiding: [hidden])
            #expect(all.map(\.1) == inOrder.filter { $0.timestamp >= since && $0.author != hidden })
        }
    }
}

extension Entry {
    fileprivate var roomName: String? {
        guard case .message(let message) = try? content() else { return nil }
        return message.room
    }
}
