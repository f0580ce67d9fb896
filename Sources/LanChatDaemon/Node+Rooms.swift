import LanChatControl
import LanChatCore
import LanChatStore

/// Rooms as one local Unix user sees them: what they have not read yet, and how much of it names them.
/// Markers are kept per uid (several people may share the system service's daemon) and stay on this
/// machine: linked devices do not share them.
extension Node {
    /// How many unread messages of a room are read for mentions: enough for any count a person reads.
    static let mentionScanLimit = 1_000

    func rooms(uid: UInt32) async throws(ControlFailure) -> [RoomInfo] {
        do {
            let markers = try await store.roomMarkers(uid: uid)
            // One's own messages are never unread, from whichever device they came.
            let hiding = hiddenAuthors.union(directory.links.devices(of: directory.person(of: identity.id)))
            var rooms: [RoomInfo] = []
            for room in try await store.rooms() {
                let unread = try await store.unread(
                    room: room.name, arrivedAfter: markers[room.name] ?? 0, hiding: hiding, limit: Self.mentionScanLimit)
                let mentions = unread.newest.count { entry in
                    guard case .message(let message)? = try? entry.content() else { return false }
                    return directory.mentions(message, person: identity.id)
                }
                rooms.append(RoomInfo(
                    name: room.name, messages: room.messages, lastAt: Timestamps.rfc3339(millis: room.lastTimestamp.wallMillis),
                    unread: unread.count, mentions: mentions))
            }
            return rooms
        } catch {
            throw ControlFailure(.storage, "could not read the rooms: \(error)")
        }
    }

    func markRead(room: String, uid: UInt32) async throws(ControlFailure) {
        do {
            try await store.markRoomRead(uid: uid, room: room)
        } catch {
            throw ControlFailure(.storage, "could not mark \(room) read: \(error)")
        }
    }
}
