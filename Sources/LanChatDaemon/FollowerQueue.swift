import LanChatControl
import Synchronization

/// The events waiting for one follower (a `follow` client, the hooks), in commit order. The follower
/// takes all that wait at once: a burst's events reach a client in one write, where an event each cost
/// the daemon a wake-up of the follower's task, a hop to the socket's event loop and a `write`.
/// A follower that falls more than `limit` events behind loses the oldest.
final class FollowerQueue: AsyncSequence, Sendable {
    typealias Element = [ChatEvent]

    private struct State {
        var events: [ChatEvent] = []
        var waiter: CheckedContinuation<[ChatEvent]?, Never>?
        var finished = false
    }

    /// The room followed; nil for all.
    let room: String?
    private let limit: Int
    private let state = Mutex(State())

    init(room: String?, limit: Int) {
        self.room = room
        self.limit = limit
    }

    /// Adds events for the follower, waking it if it waits. False once the queue is finished: the
    /// follower is gone, and the node forgets it.
    func append(_ events: [ChatEvent]) -> Bool {
        guard !events.isEmpty else { return !isFinished }
        let (open, waiter) = state.withLock { state -> (Bool, CheckedContinuation<[ChatEvent]?, Never>?) in
            guard !state.finished else { return (false, nil) }
            guard let waiter = state.waiter else {
                state.events += events
                // Dropped a quarter at a time, so that a follower stuck behind a flood does not cost a shift per event.
                if state.events.count > limit + limit / 4 { state.events.removeFirst(state.events.count - limit) }
                return (true, nil)
            }
            state.waiter = nil
            return (true, waiter)
        }
        waiter?.resume(returning: Array(events.suffix(limit)))
        return open
    }

    /// Whether the follower went away or the node stopped.
    var isFinished: Bool { state.withLock(\.finished) }

    /// No more events: the follower gets those still waiting, then the end. Called by the node when it
    /// stops, and by the follower when it goes away.
    func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Every event waiting, once there is one; nil at the end, or when the task is cancelled.
    func next() async -> [ChatEvent]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> [ChatEvent]?? in
                    if !state.events.isEmpty {
                        defer { state.events = [] }
                        return .some(state.events)
                    }
                    if state.finished { return .some(nil) }
                    precondition(state.waiter == nil, "a follower queue has one reader")
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish()
        }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let queue: FollowerQueue
        mutating func next() async -> [ChatEvent]? { await queue.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(queue: self) }
}
