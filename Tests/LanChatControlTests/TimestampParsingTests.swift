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

    /// The daemon's own form is read by hand: across leap days, centuries and the whole range it writes.
    @Test func whatItWritesItReads() {
        var millis: [UInt64] = [0, 999, 1_795_916_092_215, 951_782_400_000, 1_709_164_800_123, 4_107_542_399_999, 4_107_542_400_000]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            millis.append(state % 253_402_300_799_000)  // up to 9999-12-31
        }
        for value in millis {
            #expect(Timestamps.millis(rfc3339: Timestamps.rfc3339(millis: value)) == Int64(value), "\(Timestamps.rfc3339(millis: value))")
        }
    }

    @Test(arguments: [
        "", "2026-11-29", "2026-11-29T01:34Z", "2026-11-29T01:34:52", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-11-29T24:00:00Z", "2026-11-29T01:60:00Z", "2026-11-29T01:34:52+0100", "2026-11-29T01:34:52.Z", " 2026-11-29T01:34:52Z",
        "２０２６-11-29T01:34:52Z", "2026-02-29T00:00:00.000Z", "2100-02-29T00:00:00.000Z", "2026-04-31T00:00:00.000Z",
        "2026-11-29T01:34:52.21xZ",
    ])
    func refuses(text: String) {
        #expect(Timestamps.millis(rfc3339: text) == nil)
    }
}
