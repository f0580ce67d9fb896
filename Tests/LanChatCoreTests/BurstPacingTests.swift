import LanChatCore
import Testing

/// A burst goes at once unless entries come at `busyRate` a second; then at most one burst per `linger`.
@Suite("burst pacing")
struct BurstPacingTests {
    private let linger = BurstPacing.linger
    private let busy = BurstPacing.busyRate

    @Test func anOfficesFewEntriesGoAtOnce() {
        var pacing = BurstPacing()
        #expect(pacing.delay(now: 1000) == 0)
        // Ten a second, each alone, for a minute: never held back.
        for at in stride(from: UInt64(1000), to: 61_000, by: 100) {
            #expect(pacing.delay(now: at) == 0)
            pacing.took(1, at: at)
        }
    }

    @Test func aBusyNodeTakesOneBurstPerLinger() {
        var pacing = BurstPacing()
        pacing.took(busy - 1, at: 1000)
        #expect(pacing.delay(now: 1001) == 0)
        pacing.took(1, at: 1002)
        // Busy now: the next burst waits until a linger after the last.
        #expect(pacing.delay(now: 1002) == linger)
        #expect(pacing.delay(now: 1010) == linger - 8)
        #expect(pacing.delay(now: 1002 + linger) == 0)
        #expect(pacing.delay(now: 5000) == 0)
    }

    @Test func aBusySecondKeepsTheNextOnePaced() {
        var pacing = BurstPacing()
        pacing.took(busy, at: 1000)
        // The next window starts busy, from what the last one took.
        pacing.took(1, at: 2100)
        #expect(pacing.delay(now: 2110) == 2100 + linger - 2110)
        // A window of a single entry after it: no longer busy once that window is the last full one.
        pacing.took(1, at: 3200)
        #expect(pacing.delay(now: 3201) == 0)
    }

    @Test func aQuietGapEndsThePacing() {
        var pacing = BurstPacing()
        pacing.took(busy * 5, at: 1000)
        #expect(pacing.delay(now: 1001) == linger - 1)
        // Nothing for two seconds: the busy window is no longer the last full one.
        pacing.took(1, at: 3000)
        #expect(pacing.delay(now: 3001) == 0)
    }

    @Test func aWakeUpThatFoundNothingDelaysNothing() {
        var pacing = BurstPacing()
        pacing.took(busy, at: 1000)
        pacing.took(0, at: 1020)
        #expect(pacing.delay(now: 1020) == linger - 20)
    }

    @Test func aClockGoingBackwardsWaitsNoLongerThanALinger() {
        var pacing = BurstPacing()
        pacing.took(busy, at: 5000)
        #expect(pacing.delay(now: 4000) <= linger)
    }
}
