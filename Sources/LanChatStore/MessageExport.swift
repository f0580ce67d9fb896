import LanChatCore

/// The messages of some rooms and the direct messages, merged into the one order history shows them
/// in. Each source is read a page ahead through its own index, so an export of any size holds one page
/// per source, never the log, and no query sorts more than a page.
public struct MessageExport: Sendable {
    public enum Source: Sendable, Equatable {
        case room(String)
        case directMessages
    }

    /// One source: what was read of it and not handed out yet, and where its next page starts.
    private struct Lane: Sendable {
        let source: Source
        var after: MessagePosition
        var ahead: ArraySlice<StoredEntry> = []
        var head: MessagePosition?
        var drained = false

        mutating func take() -> StoredEntry? {
            defer { head = ahead.first.map(MessagePosition.init(of:)) }
            return ahead.popFirst()
        }
    }

    public static let pageSize = 256
    private var lanes: [Lane]

    /// The messages of `sources` shown at `since` or later.
    public init(sources: [Source], since: HybridTimestamp) {
        lanes = sources.map { Lane(source: $0, after: .before(since)) }
    }

    /// The next `count` messages with their sources, oldest first; fewer only once every source is read
    /// to its end. Messages of the `hiding` authors are left out of rooms (direct messages are opened and
    /// judged by the node).
    public mutating func next(_ count: Int, from store: EntryStore, hiding: Set<AuthorID>) async throws -> [(source: Source, stored: StoredEntry)] {
        var taken: [(source: Source, stored: StoredEntry)] = []
        while taken.count < count {
            for index in lanes.indices where lanes[index].head == nil && !lanes[index].drained {
                try await refill(index, from: store, hiding: hiding)
            }
            let heads = lanes.indices.compactMap { index in lanes[index].head.map { (index, $0) } }
            guard let first = heads.min(by: { $0.1 < $1.1 })?.0, let stored = lanes[first].take() else { break }
            taken.append((lanes[first].source, stored))
        }
        return taken
    }

    private mutating func refill(_ index: Int, from store: EntryStore, hiding: Set<AuthorID>) async throws {
        let page = switch lanes[index].source {
        case .room(let room): try await store.messages(in: room, after: lanes[index].after, limit: Self.pageSize, hiding: hiding)
        case .directMessages: try await store.directMessages(after: lanes[index].after, limit: Self.pageSize)
        }
        lanes[index].drained = page.count < Self.pageSize
        lanes[index].ahead = page[...]
        lanes[index].head = page.first.map(MessagePosition.init(of:))
        if let last = page.last { lanes[index].after = MessagePosition(of: last) }
    }
}
