import CNcurses
import Glibc

/// Gives the terminal back when the process ends without `Terminal.stop`: on a signal that ends
/// it (SIGTERM, SIGHUP, a SIGINT sent by `kill`) or a crash, and at `exit`.
///
/// A signal handler may do only async-signal-safe work, so all it needs is prepared while the
/// terminal starts and read through a pointer: the terminal settings from before ncurses changed
/// them, and the terminfo strings that reset attributes, show the cursor, leave keypad-transmit
/// mode and leave the alternate screen. It writes those, sets the settings back, and passes the
/// signal on (`SignalChain`).
enum EmergencyRestore {
    static let signals = [SIGTERM, SIGHUP, SIGINT, SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE, SIGTRAP]

    private struct State {
        var armed = false
        var exitHookInstalled = false
        var settings = termios()
        var sequence = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)
    }

    nonisolated(unsafe) private static let state: UnsafeMutablePointer<State> = {
        let state = UnsafeMutablePointer<State>.allocate(capacity: 1)
        state.initialize(to: State())
        return state
    }()

    static var isArmed: Bool { state.pointee.armed }

    /// Call before ncurses starts: the actions to pass signals on to are those from before, not
    /// the SIGINT and SIGTERM handlers ncurses puts in, which would end the process with status 1.
    static func rememberActions() {
        SignalChain.remember(signals)
    }

    /// Call once ncurses runs, with the settings saved before it started.
    static func arm(settings: termios) {
        let bytes = ["sgr0", "cnorm", "rmkx", "rmcup"].flatMap { (capability: String) -> [UInt8] in
            guard let value = lanchat_tigetstr(capability) else { return [] }
            return TerminfoPadding.removed(from: Array(UnsafeRawBufferPointer(start: value, count: strlen(value))))
        }
        state.pointee.sequence.deallocate()
        state.pointee.sequence = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = state.pointee.sequence.initialize(from: bytes)
        state.pointee.settings = settings
        state.pointee.armed = true
        if !state.pointee.exitHookInstalled {
            atexit(restoreAtExit)
            state.pointee.exitHookInstalled = true
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = restoreAndPassOn
        // On an alternate stack, so that a stack overflow too gives the terminal back.
        action.sa_flags = SA_ONSTACK
        provideAlternateStack()
        SignalChain.install(action, on: signals)
    }

    /// Gives the calling thread, which runs the chat, an alternate signal stack unless it has one
    /// (Swift's backtracer sets one up when it is on). It is kept for the life of the process.
    private static func provideAlternateStack() {
        var current = stack_t()
        guard sigaltstack(nil, &current) == 0, current.ss_flags & Int32(SS_DISABLE) != 0 else { return }
        let size = 64 * 1024
        var stack = stack_t(ss_sp: UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16), ss_flags: 0, ss_size: size)
        sigaltstack(&stack, nil)
    }

    /// After `Terminal.stop` gave the terminal back itself.
    static func disarm() {
        SignalChain.putBack(signals)
        state.pointee.armed = false
    }

    /// Async-signal-safe: `write` and `tcsetattr` only.
    fileprivate static func restore() {
        guard state.pointee.armed else { return }
        let sequence = state.pointee.sequence
        var written = 0
        while written < sequence.count {
            let count = write(STDOUT_FILENO, sequence.baseAddress! + written, sequence.count - written)
            if count > 0 {
                written += count
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        tcsetattr(STDIN_FILENO, TCSANOW, &state.pointee.settings)
    }
}

private func restoreAndPassOn(_ signal: Int32) {
    EmergencyRestore.restore()
    SignalChain.passOn(signal)
}

private func restoreAtExit() {
    EmergencyRestore.restore()
}
