import Dispatch
import LanChatClient
import LanChatControl
import LanChatTerminal
import Synchronization

/// The daemon's `follow` stream, read on a thread of its own and handed to the UI loop through a
/// pipe, so one `poll` wakes the loop for a key or an event alike.
final class EventFeed: Sendable {
    private struct State {
        var events: [ChatEvent] = []
        var ended: String?
    }

    /// What the loop polls: readable when events (or the end of the stream) wait.
    var wakeup: Int32 { pipe.readEnd }
    private let pipe: WakeupPipe
    private let state = Mutex(State())

    /// Subscribes, and returns once the daemon confirmed: nothing committed afterwards is missed.
    init(socketPath: String) throws {
        do {
            pipe = try WakeupPipe()
        } catch {
            throw ClientError("cannot create a pipe: \(error)", status: .failure)
        }
        let subscribed = DispatchSemaphore(value: 0)
        // A queue of its own: the stream blocks in recv for as long as the chat runs.
        DispatchQueue(label: "lanchat.follow").async { [self] in
            do {
                try ControlClient(socketPath: socketPath).follow(room: nil, subscribed: { subscribed.signal() }) { event, _ in
                    state.withLock { $0.events.append(event) }
                    pipe.poke()
                }
                end("the daemon closed the connection")
            } catch {
                end("\(error)")
            }
            subscribed.signal()
        }
        subscribed.wait()
        if let ended = state.withLock({ $0.ended }) { throw ClientError(ended, status: .noDaemon) }
    }

    /// The events that arrived since the last call, and why the stream ended if it did.
    func take() -> (events: [ChatEvent], ended: String?) {
        pipe.drain()
        return state.withLock { state in
            defer { state.events.removeAll() }
            return (state.events, state.ended)
        }
    }

    private func end(_ reason: String) {
        state.withLock { $0.ended = reason }
        pipe.poke()
    }
}
