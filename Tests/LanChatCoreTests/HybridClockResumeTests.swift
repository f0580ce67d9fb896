import LanChatCore
import Testing

/// A node's own clock never follows its own stored future entries (issue 9, finding 5).
@Suite("HybridClock: resuming from the store")
struct HybridClockResumeTests {
    static let now: UInt64 = 1_700_000_000_000
    static let day = HybridClock.maxForwardJumpMillis

    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let stored: HybridTimestamp
        /// The first tick's timestamp at `now`.
        let first: HybridTimestamp
    }

    @Test(arguments: [
        Case(testDescription: "nothing stored", stored: HybridTimestamp(rawValue: 0), first: HybridTimestamp(wallMillis: now, counter: 0)),
        Case(testDescription: "stored in the past", stored: HybridTimestamp(wallMillis: now - 5, counter: 3), first: HybridTimestamp(wallMillis: now, counter: 0)),
        Case(testDescription: "stored now", stored: HybridTimestamp(wallMillis: now, counter: 3), first: HybridTimestamp(wallMillis: now, counter: 4)),
        Case(testDescription: "a little ahead: followed", stored: HybridTimestamp(wallMillis: now + 1000, counter: 0), first: HybridTimestamp(wallMillis: now + 1000, counter: 1)),
        Case(testDescription: "exactly the allowed skew ahead: followed", stored: HybridTimestamp(wallMillis: now + day, counter: 7), first: HybridTimestamp(wallMillis: now + day, counter: 8)),
        Case(testDescription: "one ms beyond the skew: not followed", stored: HybridTimestamp(wallMillis: now + day + 1, counter: 0), first: HybridTimestamp(wallMillis: now, counter: 0)),
        Case(testDescription: "ten years ahead: not followed", stored: HybridTimestamp(wallMillis: now + 3650 * day, counter: 0), first: HybridTimestamp(wallMillis: now, counter: 0)),
        Case(testDescription: "the end of time: not followed", stored: HybridTimestamp(rawValue: .max), first: HybridTimestamp(wallMillis: now, counter: 0)),
    ])
    func resumes(_ scenario: Case) {
        var clock = HybridClock(resuming: scenario.stored, wallMillis: Self.now)
        #expect(clock.tick(wallMillis: Self.now) == scenario.first)
    }

    /// After a restart with a future entry in the log, later messages are dated by the wall clock again.
    @Test func laterMessagesFollowTheWallClock() {
        var clock = HybridClock(resuming: HybridTimestamp(wallMillis: Self.now + 3650 * Self.day, counter: 0), wallMillis: Self.now)
        #expect(clock.tick(wallMillis: Self.now + 10) == HybridTimestamp(wallMillis: Self.now + 10, counter: 0))
        #expect(clock.tick(wallMillis: Self.now + 20) == HybridTimestamp(wallMillis: Self.now + 20, counter: 0))
    }
}
