import LanChatControl
import LanChatCore
import LanChatStore

/// `lanchat export`: every message, oldest first, read and handed out a page at a time, shown as
/// history shows it (current names, mentions, edits, deletes; muted people left out).
extension Node {
    /// Events handed out per page: one write on the control connection each.
    static let exportPage = 500

    /// The messages of `room`, or of every room and this identity's direct messages, shown at `since`
    /// (RFC 3339) or later. Rooms that appear after this call are not part of it.
    func beginExport(room: String?, since: String?) async throws(ControlFailure) -> MessageExport {
        var start = HybridTimestamp(rawValue: 0)
        if let since {
            guard let millis = Timestamps.millis(rfc3339: since) else {
                throw ControlFailure(.badRequest, "since must be an RFC 3339 time, like 2026-11-29T09:00:00Z, not '\(since)'")
            }
            start = HybridTimestamp(wallMillis: UInt64(max(0, millis)), counter: 0)
        }
        if let room { return MessageExport(sources: [.room(room)], since: start) }
        do {
            let rooms = try await store.rooms().map { MessageExport.Source.room($0.name) }
            return MessageExport(sources: rooms + [.directMessages], since: start)
        } catch {
            throw ControlFailure(.storage, "could not list the rooms: \(error)")
        }
    }

    /// The next page of `export`'s events, and what is left of it: nil once it is done. A page may hold
    /// no event (direct messages for others, muted people) without the export being done.
    func continueExport(_ export: MessageExport) async throws(ControlFailure) -> (events: [ChatEvent], rest: MessageExport?) {
        var export = export
        let page: [(source: MessageExport.Source, stored: StoredEntry)]
        do {
            page = try await export.next(Self.exportPage, from: store, hiding: hiddenAuthors)
        } catch {
            throw ControlFailure(.storage, "could not read messages: \(error)")
        }
        let events = page.compactMap { source, stored -> ChatEvent? in
            switch source {
            case .room(let room):
                return messageEvent(stored, room: room)
            case .directMessages:
                guard let event = directEvent(for: stored.entry, shownAt: stored.shownAt), !hides(event, of: stored.entry) else { return nil }
                return event
            }
        }
        return (events, page.count < Self.exportPage ? nil : export)
    }
}
