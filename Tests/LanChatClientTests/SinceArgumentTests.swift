import Foundation
import LanChatClient
import LanChatControl
import Testing

@Suite("lanchat export --since")
struct SinceArgumentTests {
    @Test func aTimeIsPassedOnInUTC() throws {
        #expect(try SinceArgument.rfc3339("2026-11-29T10:30:00+01:00") == "2026-11-29T09:30:00.000Z")
        #expect(try SinceArgument.rfc3339("2026-11-29T09:30:00.5Z") == "2026-11-29T09:30:00.500Z")
    }

    @Test func aDateIsLocalMidnight() throws {
        let midnight = try #require(Calendar.current.date(from: DateComponents(year: 2026, month: 3, day: 29)))
        #expect(try SinceArgument.rfc3339("2026-03-29") == Timestamps.rfc3339(millis: UInt64(midnight.timeIntervalSince1970 * 1000)))
    }

    @Test(arguments: ["yesterday", "2026-02-30", "29.11.2026", "2026-11-29T09:30"])
    func anythingElseIsAUsageError(text: String) {
        let error = #expect(throws: ClientError.self) { try SinceArgument.rfc3339(text) }
        #expect(error?.status == .usage)
        #expect(error?.description.contains("--since") == true && error?.description.contains(text) == true)
    }
}
