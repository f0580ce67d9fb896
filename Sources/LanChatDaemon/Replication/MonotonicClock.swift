import LanChatStore

/// Milliseconds since the daemon started, from the monotonic clock: what the replication instance calls `now`.
struct MonotonicClock: Sendable {
    private let start = ContinuousClock.now

    func nowMillis() -> UInt64 {
        let elapsed = start.duration(to: .now).components
        // Starts at 1 so that "never" (nil or 0) and "at start" stay apart.
        return 1 + UInt64(elapsed.seconds) * 1000 + UInt64(elapsed.attoseconds / 1_000_000_000_000_000)
    }

    /// Wall-clock milliseconds of a past monotonic reading, for people.
    func wallMillis(ofMonotonic millis: UInt64) -> UInt64 {
        let now = nowMillis()
        let wall = WallClock.nowMillis()
        let age = now - min(millis, now)
        return wall - min(age, wall)
    }
}
