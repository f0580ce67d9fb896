/// When the next burst of entries is taken: the node's new commits to push, or pushes to check and store.
/// Each burst costs about the same wake-ups whatever it carries: the datagrams to every peer and their reads
/// there, or a signature check and a transaction. An office publishes a few entries a second and each
/// burst goes at once; while entries come at `busyRate` a second or more (a flood, an import, a bot), a burst
/// is taken at most every `linger`, so what came meanwhile shares its wake-ups. That adds at most `linger`
/// to a delivery, and only while the node is that busy, when waiting for the CPU costs more.
public struct BurstPacing: Sendable {
    /// Milliseconds a burst may wait for more while the node is busy.
    public static let linger: UInt64 = 25
    /// Entries a second from which lingering pays: a push datagram's worth (about four entries) per linger.
    public static let busyRate = 160
    static let windowMillis: UInt64 = 1000

    private var windowStart: UInt64 = 0
    private var inWindow = 0
    private var inPreviousWindow = 0
    private var lastTaken: UInt64?

    public init() {}

    /// Milliseconds to wait before taking the next burst: none unless entries came at `busyRate` in the
    /// last window or have so far in this one.
    public func delay(now: UInt64) -> UInt64 {
        guard let lastTaken, isBusy(now: now) else { return 0 }
        let due = lastTaken + Self.linger
        return due > now ? min(due - now, Self.linger) : 0
    }

    /// A burst of `count` entries was taken (none: a wake-up that found nothing, which changes nothing).
    public mutating func took(_ count: Int, at now: UInt64) {
        guard count > 0 else { return }
        roll(to: now)
        inWindow += count
        lastTaken = now
    }

    private func isBusy(now: UInt64) -> Bool {
        let elapsed = now - min(windowStart, now)
        if elapsed >= 2 * Self.windowMillis { return false }
        if elapsed >= Self.windowMillis { return inWindow >= Self.busyRate }
        return max(inWindow, inPreviousWindow) >= Self.busyRate
    }

    private mutating func roll(to now: UInt64) {
        let elapsed = now - min(windowStart, now)
        guard elapsed >= Self.windowMillis else { return }
        inPreviousWindow = elapsed < 2 * Self.windowMillis ? inWindow : 0
        inWindow = 0
        windowStart = now
    }
}
