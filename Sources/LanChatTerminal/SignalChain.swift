import Glibc

/// The signal actions in place before the terminal took a signal over, kept so that its handler
/// can pass the signal on to them and `Terminal.stop` can put them back.
///
/// Handlers read the table through a pointer: a Swift global of another kind could run an
/// initialiser or an exclusivity check inside a signal handler, and neither is async-signal-safe.
enum SignalChain {
    /// Every signal handled here is one of the classic ones, below 32.
    private static let capacity = 32

    nonisolated(unsafe) private static let remembered: UnsafeMutablePointer<sigaction> = {
        let table = UnsafeMutablePointer<sigaction>.allocate(capacity: capacity)
        table.initialize(repeating: sigaction(), count: capacity)
        return table
    }()

    static func remember(_ signals: [Int32]) {
        for signal in signals {
            sigaction(signal, nil, entry(signal))
        }
    }

    /// Installs `action` for `signals` (remembered before), with every other signal blocked while it runs.
    static func install(_ action: sigaction, on signals: [Int32]) {
        var action = action
        sigfillset(&action.sa_mask)
        for signal in signals {
            sigaction(signal, &action, nil)
        }
    }

    static func putBack(_ signals: [Int32]) {
        for signal in signals {
            sigaction(signal, entry(signal), nil)
        }
    }

    /// In a handler: the remembered action back, and the signal raised again for it. It arrives
    /// when the handler returns, so a crash still dumps core or reaches Swift's backtracer, and a
    /// SIGTERM still ends the process as killed by it.
    static func passOn(_ signal: Int32) {
        sigaction(signal, entry(signal), nil)
        raise(signal)
    }

    /// In a handler: runs the remembered handler, if it is one (not the default action or ignore).
    static func runRemembered(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
        let previous = entry(signal)
        if previous.pointee.sa_flags & SA_SIGINFO != 0 {
            previous.pointee.__sigaction_handler.sa_sigaction?(signal, info, context)
        } else if let handler = previous.pointee.__sigaction_handler.sa_handler,
                  unsafeBitCast(handler, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self) {
            handler(signal)
        }
    }

    private static func entry(_ signal: Int32) -> UnsafeMutablePointer<sigaction> {
        precondition(signal > 0 && signal < capacity, "signal \(signal) is not a classic one")
        return remembered + Int(signal)
    }
}
