import Foundation
import LanChatClient
import LanChatControl
import Testing

/// The CLI shows times through the C library instead of Foundation's formatters (which would bring
/// ICU into it); what it shows must stay what those formatters showed.
@Suite("local times as the CLI shows them")
struct LocalTimeTests {
    static let instants = [
        "2026-11-29T09:05:03.250Z", "2026-03-29T01:30:00.000Z", "2026-10-25T00:59:59.999Z", "2000-02-29T23:59:59.999Z",
        "1970-01-01T00:00:00.000Z", "2038-01-19T03:14:08.000Z",
    ]

    @Test(arguments: instants)
    func dateAndTimeAreFoundationsInThisTimeZone(instant: String) throws {
        let time = try #require(LocalTime(rfc3339: instant))
        let date = Date(timeIntervalSince1970: Double(try #require(Timestamps.millis(rfc3339: instant))) / 1000)
        #expect(time.dateAndTime == Self.formatted(date, "yyyy-MM-dd HH:mm:ss"))
        #expect(time.date == Self.formatted(date, "yyyy-MM-dd"))
        #expect(time.clock == Self.formatted(date, "HH:mm"))
        #expect(time.weekday == Calendar.current.component(.weekday, from: date) - 1)
    }

    @Test func aMomentBefore1970FallsInTheSecondItBelongsTo() throws {
        #expect(LocalTime(rfc3339: "1969-12-31T23:59:59.500Z") == LocalTime(secondsSince1970: -1))
        #expect(LocalTime(rfc3339: "1970-01-01T00:00:00.999Z") == LocalTime(secondsSince1970: 0))
    }

    @Test func aMessageOfTodayShowsItsTimeAndAnOlderOneItsDayToo() throws {
        let now = Date()
        let earlier = now.addingTimeInterval(-3 * 86_400)
        for (date, pattern) in [(now, "HH:mm"), (earlier, "yyyy-MM-dd HH:mm")] {
            let event = ChatEvent(
                type: .message, id: "x/1", author: AuthorRef(id: "x", name: "Bob"), room: "general", body: "hi",
                sentAt: Timestamps.rfc3339(millis: UInt64(date.timeIntervalSince1970 * 1000)))
            #expect(HumanFormat.message(event) == "\(Self.formatted(date, pattern)) Bob: hi")
        }
    }

    @Test func whatIsNoTimeIsShownAsNone() {
        #expect(LocalTime(rfc3339: "yesterday") == nil)
        let event = ChatEvent(type: .message, id: "x/1", author: AuthorRef(id: "x", name: "Bob"), room: "general", body: "hi", sentAt: "soon")
        #expect(HumanFormat.message(event) == "--:-- Bob: hi")
    }

    private static func formatted(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
