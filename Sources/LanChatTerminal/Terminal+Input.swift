import CNcurses
import Glibc

/// What `Terminal.waitForInput` found ready; empty when the time ran out.
public struct Readiness: OptionSet, Hashable, Sendable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    /// Read keys with `readKey` until it returns nil. Also after a resize, and after a signal
    /// (which may have been one).
    public static let keys = Readiness(rawValue: 1 << 0)
    /// The terminal is gone (its other end closed): no key will ever come.
    public static let hangup = Readiness(rawValue: 1 << 2)
}

extension Terminal {
    /// Waits, without spinning, until there are keys to read, `otherFD` is ready, or
    /// `timeoutMillis` pass. `otherFD` -1 watches nothing else; `timeoutMillis` -1 waits as long
    /// as it takes. Read every key (`readKey` until nil) before waiting again: ncurses may hold
    /// some that the terminal no longer shows as pending.
    public func waitForInput(otherFD: Int32, timeoutMillis: Int32) -> Readiness {
        guard let resizeWakeup else { preconditionFailure(Self.notStarted) }
        var descriptors = [STDIN_FILENO, resizeWakeup.readEnd, otherFD].map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeoutMillis)
        if ready < 0 {
            // A signal: a resize caught on this thread, or one that let readKey find nothing.
            return errno == EINTR ? .keys : []
        }
        var readiness: Readiness = []
        if descriptors[1].revents != 0 {
            resizeWakeup.drain()
            readiness.insert(.keys)
        }
        if descriptors[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { readiness.insert(.hangup) }
        if descriptors[0].revents != 0 { readiness.insert(.keys) }
        return readiness
    }

    /// The next key, or nil if none is waiting. Never blocks, except for the few milliseconds
    /// ncurses waits after an Escape for the rest of a key's sequence.
    public func readKey() -> Key? {
        var code: wint_t = 0
        switch wget_wch(window, &code) {
        case KEY_CODE_YES: return Key(code: code, isKeyCode: true, altArrows: altArrows)
        case OK: return Key(code: code, isKeyCode: false, altArrows: altArrows)
        default: return nil
        }
    }
}
