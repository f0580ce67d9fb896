import Foundation
import LanChatControl
import LanChatCore
@testable import LanChatDaemon
import LanChatStore
import Logging
import Testing

/// A node whose own log holds an entry from the future (its clock was ten years ahead once) dates its
/// next messages by the wall clock, not after that entry (issue 9, finding 5).
@Suite("Node's clock after a restart")
struct NodeClockTests {
    @Test(arguments: [3650 * HybridClock.maxForwardJumpMillis, HybridClock.maxForwardJumpMillis + 60_000])
    func aStoredFutureEntryIsNotFollowed(ahead: UInt64) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lanchat-clock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try EntryStore(path: directory.appendingPathComponent("lanchat.sqlite").path)
        let identity = try LocalIdentity(seed: [UInt8](repeating: 9, count: 32))
        let future = HybridTimestamp(wallMillis: WallClock.nowMillis() + ahead, counter: 0)
        _ = try await store.appendLocal(identity: identity, content: .profile(name: "From the future"), timestamp: future)

        let node = try await Node(identity: identity, store: store, logger: Logger(label: "test"))
        let running = Task { try await node.run() }
        _ = try await node.send(room: "general", body: "written now", replyTo: nil)
        var sent: Entry?
        for await entries in node.localCommits {
            sent = entries.last
            break
        }
        running.cancel()
        try await running.value
        let stamped = try #require(sent).timestamp.wallMillis
        let now = WallClock.nowMillis()
        #expect(stamped <= now && now - stamped < 60_000, "stamped \(stamped), now \(now)")
    }
}
