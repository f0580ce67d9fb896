import LanChatCore
import Testing

/// A burst goes at once unless entries came at `busyRate` a second; then at most one burst per `linger`.
@Suite("burst pacing")
struct BurstPacingTests {
    private let linger = BurstPacing.linger
    private let busy = Int(BurstPacing.busyRate)

    @Test func anOfficesFewEntriesGoAtOnceEvenTwoTogether() {
        var pacing = BurstPacing()
        #expect(pacing.delay(now: 1000) == 0)
        // Ten a second for a minute, every tenth one followed 2 ms later by another: never held back.
        for at in stride(from: UInt64(1000), to: 61_000, by: 100) {
            #expect(pacing.delay(now: at) == 0)
            pacing.took(1, at: at)
            if at % 1000 == 0 {
                #expect(pacing.delay(now: at + 2) == 0)
                pacing.took(1, at: at + 2)
            }
        }
    }

    @Test func aBusyNodeTakesOneBurstPerLinger() {
        var pacing = BurstPacing()
        pacing.took(busy - 10, at: 1000)
        #expect(pacing.delay(now: 1001) == 0)
        pacing.took(20, at: 1002)
        // Busy now: the next burst waits until a linger after the last.
        #expect(pacing.delay(now: 1002) == linger)
        #expect(pacing.delay(now: 1010) == linger - 8)
        #expect(pacing.delay(now: 1002 + linger) == 0)
    }

    @Test func aSteadyFloodStaysPaced() {
        var pacing = BurstPacing()
        // 200 entries a second, taken as the pacing allows, for ten seconds.
        var at: UInt64 = 1000
        var bursts = 0
        while at < 11_000 {
            at += pacing.delay(now: at)
            pacing.took(5, at: at)
            bursts += 1
            at += 1
        }
        // Past the first second every burst waited its linger: about 40 a second, not a thousand.
        #expect(bursts < 1000 / Int(linger) * 10 + busy)
        #expect(pacing.delay(now: at) > 0)
    }

    @Test func aFloodThatEndedPacesNoMoreWithinTwoSeconds() {
        var pacing = BurstPacing()
        pacing.took(busy * 5, at: 1000)
        #expect(pacing.delay(now: 1001) == linger - 1)
        // Quiet since: two entries close together go at once.
        pacing.took(1, at: 3000)
        #expect(pacing.delay(now: 3002) == 0)
    }

    @Test func anEmptyWakeUpDoesNotRestartTheLinger() {
        var pacing = BurstPacing()
        pacing.took(busy * 2, at: 1000)
        pacing.took(0, at: 1020)
        #expect(pacing.delay(now: 1020) == linger - 20)
    }

    @Test func aClockGoingBackwardsWaitsNoLongerThanALinger() {
        var pacing = BurstPacing()
        pacing.took(busy, at: 5000)
        #expect(pacing.delay(now: 4000) == linger)
    }
}
