import LanChatCore
import LanChatStore
import Testing

@Suite("where each local user stopped reading a room")
struct RoomMarkerTests {
    /// A message written while its author was away arrives with its older time: it is new here anyway.
    @Test func aMessageThatArrivesAfterTheMarkerIsUnreadWhateverItsTime() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let bob = try identity(2)
            let now = WallClock.nowMillis()
            _ = try await store.insert([try messageEntry(alice, at: now, body: "read")])
            try await store.markRoomRead(uid: 1000, room: "general")
            let marker = try #require(try await store.roomMarkers(uid: 1000)["general"])
            #expect(try await store.unread(room: "general", arrivedAfter: marker, hiding: [], limit: 10).count == 0)

            // Arrival is counted in milliseconds: the late message must arrive in a later one.
            while WallClock.nowMillis() <= marker { await Task.yield() }
            _ = try await store.insert([try messageEntry(bob, at: now - 3_600_000, body: "written offline an hour ago")])
            let unread = try await store.unread(room: "general", arrivedAfter: marker, hiding: [], limit: 10)
            #expect(unread.count == 1 && unread.newest.map(\.author) == [bob.id])
            #expect(try await store.unread(room: "general", arrivedAfter: marker, hiding: [bob.id], limit: 10).count == 0)
            #expect(try await store.roomMarkers(uid: 1001).isEmpty, "another user has read nothing")
        }
    }
}
