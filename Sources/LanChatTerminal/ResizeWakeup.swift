import Glibc

/// Wakes `Terminal.waitForInput` when the terminal changes size.
///
/// ncurses catches SIGWINCH itself and reports KEY_RESIZE at the next `get_wch`. But the signal
/// interrupts the poll only when it lands on the thread that polls, and a signal that comes just
/// before the poll starts interrupts nothing. So its handler is wrapped: ncurses' own runs, then
/// a byte goes into a pipe the poll watches, and the poll returns whichever thread took the signal.
final class ResizeWakeup {
    /// The write end, for the handler.
    nonisolated(unsafe) private static let writeEnd: UnsafeMutablePointer<Int32> = {
        let descriptor = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        descriptor.initialize(to: -1)
        return descriptor
    }()

    let readEnd: Int32

    /// Call once ncurses has put in its own SIGWINCH handler.
    init() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw TerminalError.system("pipe", errno) }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            // A full pipe already wakes the poll: the handler's write may fail then, never block.
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
        }
        readEnd = ends[0]
        Self.writeEnd.pointee = ends[1]
        SignalChain.remember([SIGWINCH])
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = noteResize
        // Restarted, unlike ncurses' own, so a blocking read on another thread does not fail with EINTR.
        action.sa_flags = SA_SIGINFO | SA_RESTART
        SignalChain.install(action, on: [SIGWINCH])
    }

    deinit {
        SignalChain.putBack([SIGWINCH])
        close(Self.writeEnd.pointee)
        Self.writeEnd.pointee = -1
        close(readEnd)
    }

    /// Empties the pipe: each wake is one readiness, however many signals came.
    func drain() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &bytes, bytes.count) > 0 {}
    }

    fileprivate static func wake() {
        var byte: UInt8 = 0
        _ = write(writeEnd.pointee, &byte, 1)
    }
}

/// Async-signal-safe, as long as ncurses' handler is (it sets flags).
private func noteResize(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    let savedErrno = errno
    SignalChain.runRemembered(signal, info, context)
    ResizeWakeup.wake()
    errno = savedErrno
}
