import LanChatCore
import Testing

@Suite("HybridClock")
struct HybridClockTests {
    @Test func timestampLayout() {
        let stamp = HybridTimestamp(wallMillis: 1_700_000_000_123, counter: 7)
        #expect(stamp.wallMillis == 1_700_000_000_123)
        #expect(stamp.counter == 7)
        #expect(stamp.rawValue == 1_700_000_000_123 << 16 | 7)
        #expect(HybridTimestamp(wallMillis: 5, counter: .max) < HybridTimestamp(wallMillis: 6, counter: 0))
    }

    @Test func followsTheWallClockForward() {
        var clock = HybridClock()
        #expect(clock.tick(wallMillis: 1_000) == HybridTimestamp(wallMillis: 1_000, counter: 0))
        #expect(clock.tick(wallMillis: 2_000) == HybridTimestamp(wallMillis: 2_000, counter: 0))
    }

    @Test func countsWithinOneMillisecond() {
        var clock = HybridClock()
        let ticks = (0..<3).map { _ in clock.tick(wallMillis: 1_000) }
        #expect(ticks.map(\.wallMillis) == [1_000, 1_000, 1_000])
        #expect(ticks.map(\.counter) == [0, 1, 2])
    }

    @Test func staysMonotonicWhenTheWallClockGoesBackwards() {
        var clock = HybridClock()
        var previous = clock.tick(wallMillis: 10_000)
        for wall in [9_000, 5_000, 10_000, 1, 10_001] as [UInt64] {
            let next = clock.tick(wallMillis: wall)
            #expect(next > previous, "tick at wall \(wall) went from \(previous) to \(next)")
            previous = next
        }
        #expect(previous == HybridTimestamp(wallMillis: 10_001, counter: 0))
    }

    @Test func counterOverflowMovesToTheNextMillisecond() {
        var clock = HybridClock(last: HybridTimestamp(wallMillis: 500, counter: .max))
        #expect(clock.tick(wallMillis: 500) == HybridTimestamp(wallMillis: 501, counter: 0))
    }

    @Test func resumesAfterTheLastTimestampGiven() {
        var clock = HybridClock(last: HybridTimestamp(wallMillis: 9_000, counter: 4))
        #expect(clock.tick(wallMillis: 8_000) == HybridTimestamp(wallMillis: 9_000, counter: 5))
    }

    @Test func observingARemoteTimestampMakesTheNextTickLater() {
        var clock = HybridClock()
        _ = clock.tick(wallMillis: 1_000)
        let remote = HybridTimestamp(wallMillis: 60_000, counter: 3)  // a peer a minute ahead
        clock.observe(remote, wallMillis: 1_001)
        let next = clock.tick(wallMillis: 1_002)
        #expect(next > remote)
        #expect(next == HybridTimestamp(wallMillis: 60_000, counter: 4))
    }

    @Test func observingAnOlderTimestampChangesNothing() {
        var clock = HybridClock()
        _ = clock.tick(wallMillis: 5_000)
        clock.observe(HybridTimestamp(wallMillis: 4_000, counter: 9), wallMillis: 5_000)
        #expect(clock.tick(wallMillis: 5_000) == HybridTimestamp(wallMillis: 5_000, counter: 1))
    }

    @Test func aRemoteMoreThanADayAheadIsNotFollowed() {
        let day = HybridClock.maxForwardJumpMillis
        #expect(day == 86_400_000)
        let now: UInt64 = 1_700_000_000_000
        var clock = HybridClock()
        _ = clock.tick(wallMillis: now)
        clock.observe(HybridTimestamp(wallMillis: now + day + 1, counter: 0), wallMillis: now)
        #expect(clock.tick(wallMillis: now) == HybridTimestamp(wallMillis: now, counter: 1))

        // Exactly one day ahead is still followed.
        clock.observe(HybridTimestamp(wallMillis: now + day, counter: 0), wallMillis: now)
        #expect(clock.tick(wallMillis: now) == HybridTimestamp(wallMillis: now + day, counter: 1))
    }
}
