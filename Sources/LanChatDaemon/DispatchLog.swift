import Glibc

/// libdispatch renices each new worker thread after its queue's QoS: nice -4 for its timer thread, -2
/// for user-initiated queues (GRDB's). Where that is refused (no CAP_SYS_NICE and an RLIMIT_NICE below
/// what the system unit's LimitNICE=-4 asks for: every user unit, and a system whose systemd may not raise
/// limits), each new thread logs "Failed to set thread priority" to syslog, a line in the journal per
/// thread that says nothing: the thread just runs at nice 0, as the rest of the daemon does.
public enum DispatchLog {
    /// The lowest nice value libdispatch gives a thread.
    static let lowestNice = -4

    /// Turns libdispatch's own log off where its renicing would fail. It reads `LIBDISPATCH_LOG` once, at
    /// its first line, which the first worker thread may write: call this before any. A `LIBDISPATCH_LOG`
    /// already set is kept.
    public static func quietWhereReniceIsRefused() {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_NICE.rawValue), &limit) == 0 else { return }
        // RLIMIT_NICE allows nice values down to 20 - limit.
        let reniceAllowed = geteuid() == 0 || Int(limit.rlim_cur) >= 20 - lowestNice
        if !reniceAllowed { setenv("LIBDISPATCH_LOG", "NO", 0) }
    }
}
