import Glibc

/// libdispatch, which runs Swift's concurrency and timers, renices each new worker thread after its
/// queue's QoS: nice -4 for its timer thread, -2 for user-initiated queues (GRDB's). Without CAP_SYS_NICE
/// or an RLIMIT_NICE that allows it (so for every user and system service but root), that is refused and
/// libdispatch writes "Failed to set thread priority" to syslog for each new thread: in the journal, lines
/// from the daemon and from every run of the CLI that say nothing, since the thread just keeps the
/// process's nice value, as a background program should.
public enum DispatchLog {
    /// The lowest nice value libdispatch gives a thread.
    static let lowestNice: Int32 = -4

    /// Turns libdispatch's own log off if its renicing would be refused. libdispatch reads `LIBDISPATCH_LOG`
    /// at its first line, which its first worker thread may write: call this first thing in `main`. A
    /// `LIBDISPATCH_LOG` already set is kept.
    public static func quietIfReniceIsRefused() {
        guard getenv(variable) == nil, !reniceAllowed() else { return }
        setenv(variable, off, 1)
    }

    /// Whether libdispatch's own log is off, by this or by whoever started the process.
    public static var isOff: Bool { getenv(variable).map { String(cString: $0) == off } ?? false }

    private static let variable = "LIBDISPATCH_LOG"
    private static let off = "NO"

    /// Tries on this thread the renice libdispatch would, and undoes it.
    static func reniceAllowed() -> Bool {
        let thisThread = __priority_which_t(PRIO_PROCESS.rawValue)
        errno = 0
        let current = getpriority(thisThread, 0)
        // Unknown, or already at least as high: every renice libdispatch asks for is then allowed.
        guard errno == 0, current > lowestNice else { return true }
        guard setpriority(thisThread, 0, lowestNice) == 0 else { return false }
        setpriority(thisThread, 0, current)
        return true
    }
}
