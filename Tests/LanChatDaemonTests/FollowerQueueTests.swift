@testable import LanChatDaemon
import LanChatControl
import Testing

@Suite("follower queue")
struct FollowerQueueTests {
    private static func events(_ bodies: ClosedRange<Int>) -> [ChatEvent] {
        bodies.map { ChatEvent(type: .message, author: AuthorRef(id: "a", name: "A"), room: "general", body: "m\($0)") }
    }

    private static func bodies(_ events: [ChatEvent]?) -> [String]? { events?.map { $0.body ?? "" } }

    @Test func whatWaitsIsTakenAtOnceInOrder() async {
        let queue = FollowerQueue(room: nil, limit: 100)
        #expect(queue.append(Self.events(1...3)))
        #expect(queue.append(Self.events(4...5)))
        #expect(Self.bodies(await queue.next()) == ["m1", "m2", "m3", "m4", "m5"])
        #expect(queue.append(Self.events(6...6)))
        #expect(Self.bodies(await queue.next()) == ["m6"])
    }

    @Test func aWaitingFollowerIsWokenByTheNextCommit() async throws {
        let queue = FollowerQueue(room: nil, limit: 100)
        let taken = Task { await queue.next() }
        // Whether the task waits already or comes after, it takes both at once.
        _ = queue.append(Self.events(1...2))
        #expect(Self.bodies(try await withDeadline(.seconds(10)) { await taken.value }) == ["m1", "m2"])
    }

    /// A follower that does not read loses the oldest events, never more than a quarter of the limit
    /// beyond it kept, and never the newest.
    @Test func aFollowerFallingBehindLosesTheOldest() async {
        let queue = FollowerQueue(room: nil, limit: 8)
        for body in 1...11 { #expect(queue.append(Self.events(body...body))) }
        #expect(Self.bodies(await queue.next()) == (4...11).map { "m\($0)" })
        #expect(queue.append(Self.events(1...30)))
        #expect(Self.bodies(await queue.next()) == (23...30).map { "m\($0)" })
    }

    @Test func finishedTheFollowerGetsWhatWaitedThenTheEnd() async {
        let queue = FollowerQueue(room: nil, limit: 100)
        #expect(queue.append(Self.events(1...2)))
        #expect(!queue.isFinished)
        queue.finish()
        #expect(!queue.append(Self.events(3...3)))
        #expect(Self.bodies(await queue.next()) == ["m1", "m2"])
        #expect(await queue.next() == nil)
    }

    /// A `follow` connection that closes cancels its task: the queue ends, and the node, told so by
    /// `append`, forgets it.
    @Test func cancellingAWaitingFollowerEndsTheQueue() async throws {
        let queue = FollowerQueue(room: nil, limit: 100)
        let taken = Task { await queue.next() }
        taken.cancel()
        #expect(try await withDeadline(.seconds(10)) { await taken.value } == nil)
        #expect(queue.isFinished)
        #expect(!queue.append(Self.events(1...1)))
    }
}
