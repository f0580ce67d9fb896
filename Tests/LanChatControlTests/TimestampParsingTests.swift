import LanChatControl
import Testing

@Suite("RFC 3339 times read back")
struct TimestampParsingTests {
    @Test(arguments: [
        ("2026-11-29T01:34:52.215Z", Int64(1_795_916_092_215)),
        ("2026-11-29T01:34:52Z", 1_795_916_092_000),
        ("2026-11-29t01:34:52.2z", 1_795_916_092_200),
        ("2026-11-29T02:34:52.215+01:00", 1_795_916_092_215),
        ("2026-11-28T23:04:52.215-02:30", 1_795_916_092_215),
        ("2026-11-29 01:34:52.215123456Z", 1_795_916_092_215),
        ("1969-12-31T23:59:59Z", -1000),
    ])
    func parses(text: String, millis: Int64) {
        #expect(Timestamps.millis(rfc3339: text) == millis)
    }

    @Test func whatItWritesItReads() {
        #expect(Timestamps.millis(rfc3339: Timestamps.rfc3339(millis: 1_795_916_092_215)) == 1_795_916_092_215)
    }

    @Test(arguments: [
        "", "2026-11-29", "2026-11-29T01:34Z", "2026-11-29T01:34:52", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-11-29T24:00:00Z", "2026-11-29T01:60:00Z", "2026-11-29T01:34:52+0100", "2026-11-29T01:34:52.Z", " 2026-11-29T01:34:52Z",
        "２０２６-11-29T01:34:52Z",
    ])
    func refuses(text: String) {
        #expect(Timestamps.millis(rfc3339: text) == nil)
    }
}
