import Foundation
import LanChatClient
import LanChatControl
import Synchronization

/// The daemon's `follow` stream, read on a thread of its own and handed to the UI loop through a
/// pipe, so one `poll` wakes the loop for a key or an event alike.
final class EventFeed: Sendable {
    private struct State {
        var events: [ChatEvent] = []
        var ended: String?
    }

    /// What the loop polls: readable when events (or the end of the stream) wait.
    let wakeup: Int32
    private let signal: Int32
    private let state = Mutex(State())

    /// Subscribes, and returns once the daemon confirmed: nothing committed afterwards is missed.
    init(socketPath: String) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ClientError("cannot create a pipe: \(String(cString: strerror(errno)))", status: .failure) }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        wakeup = fds[0]
        signal = fds[1]
        let subscribed = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            do {
                try ControlClient(socketPath: socketPath).follow(room: nil, subscribed: { subscribed.signal() }) { event, _ in
                    state.withLock { $0.events.append(event) }
                    poke()
                }
                end("the daemon closed the connection")
            } catch {
                end("\(error)")
            }
            subscribed.signal()
        }
        thread.start()
        subscribed.wait()
        if let ended = state.withLock({ $0.ended }) { throw ClientError(ended, status: .noDaemon) }
    }

    /// The events that arrived since the last call, and why the stream ended if it did.
    func take() -> (events: [ChatEvent], ended: String?) {
        var drained = [UInt8](repeating: 0, count: 512)
        while read(wakeup, &drained, drained.count) > 0 {}
        return state.withLock { state in
            defer { state.events.removeAll() }
            return (state.events, state.ended)
        }
    }

    private func end(_ reason: String) {
        state.withLock { $0.ended = reason }
        poke()
    }

    private func poke() {
        var byte: UInt8 = 1
        // A full pipe already wakes the loop: a failed write loses nothing.
        _ = write(signal, &byte, 1)
    }
}
