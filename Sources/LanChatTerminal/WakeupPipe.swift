import Glibc

/// A pipe that wakes a `poll` from elsewhere (another thread, a signal handler): `poke` writes a
/// byte, `drain` empties it. Both ends are non-blocking, so a full pipe, which wakes the poll anyway,
/// never blocks a poke, and close-on-exec.
public struct WakeupPipe: Sendable {
    public let readEnd: Int32
    public let writeEnd: Int32

    public init() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw TerminalError.system("pipe", errno) }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    public func poke() {
        Self.poke(writeEnd)
    }

    /// Async-signal-safe: for a handler, which holds the descriptor in memory of its own.
    static func poke(_ writeEnd: Int32) {
        var byte: UInt8 = 0
        _ = write(writeEnd, &byte, 1)
    }

    /// Each wake is one readiness, however many pokes came.
    public func drain() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &bytes, bytes.count) > 0 {}
    }

    public func close() {
        Glibc.close(readEnd)
        Glibc.close(writeEnd)
    }
}
