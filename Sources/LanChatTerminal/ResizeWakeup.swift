import Glibc

/// Wakes `Terminal.waitForInput` when the terminal changes size.
///
/// ncurses catches SIGWINCH itself and reports KEY_RESIZE at the next `get_wch`. But the signal
/// interrupts the poll only when it lands on the thread that polls, and a signal that comes just
/// before the poll starts interrupts nothing. So its handler is wrapped: ncurses' own runs, then
/// a byte goes into a pipe the poll watches, and the poll returns whichever thread took the signal.
final class ResizeWakeup {
    /// The write end, where the handler reads it: plain memory, allocated before any signal can come.
    nonisolated(unsafe) private static let writeEnd: UnsafeMutablePointer<Int32> = {
        let descriptor = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        descriptor.initialize(to: -1)
        return descriptor
    }()

    private let pipe: WakeupPipe
    var readEnd: Int32 { pipe.readEnd }

    /// Call once ncurses has put in its own SIGWINCH handler.
    init() throws {
        pipe = try WakeupPipe()
        Self.writeEnd.pointee = pipe.writeEnd
        SignalChain.remember([SIGWINCH])
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = noteResize
        // Restarted, unlike ncurses' own, so a blocking read on another thread does not fail with EINTR.
        action.sa_flags = SA_SIGINFO | SA_RESTART
        SignalChain.install(action, on: [SIGWINCH])
    }

    deinit {
        SignalChain.putBack([SIGWINCH])
        Self.writeEnd.pointee = -1
        pipe.close()
    }

    func drain() {
        pipe.drain()
    }

    fileprivate static func wake() {
        WakeupPipe.poke(writeEnd.pointee)
    }
}

/// Async-signal-safe, as long as ncurses' handler is (it sets flags).
private func noteResize(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    let savedErrno = errno
    SignalChain.runRemembered(signal, info, context)
    ResizeWakeup.wake()
    errno = savedErrno
}
