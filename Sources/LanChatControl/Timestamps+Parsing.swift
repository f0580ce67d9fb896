#if canImport(Glibc)
import Glibc
#endif

extension Timestamps {
    /// Milliseconds since 1970 (negative before) of an RFC 3339 time: `2026-11-29T09:00:00Z`,
    /// `2026-11-29T10:00:00.250+01:00`; nil for anything else, a day that does not exist included.
    public static func millis(rfc3339 text: String) -> Int64? {
        let pattern = /([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))/
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        let (_, year, month, day, hour, minute, second, fraction, sign, offsetHours, offsetMinutes) = match.output
        // Two digits each, so they parse; leap seconds are not taken.
        guard Int(hour)! < 24, Int(minute)! < 60, Int(second)! < 60, Int(offsetHours ?? "0")! < 24, Int(offsetMinutes ?? "0")! < 60,
            let seconds = secondsSince1970(year: year, month: month, day: day, hour: hour, minute: minute, second: second, local: false)
        else { return nil }
        var offset: Int64 = 0
        if let sign, let offsetHours, let offsetMinutes {
            offset = (Int64(offsetHours)! * 60 + Int64(offsetMinutes)!) * 60 * (sign == "-" ? -1 : 1)
        }
        let millis = fraction.map { Int64(String(($0 + "00").prefix(3)))! } ?? 0
        return (seconds - offset) * 1000 + millis
    }

    /// Seconds since 1970 of a calendar time, in UTC or (`local`) this machine's time zone; nil where the
    /// date does not exist (`2026-02-30`), which `timegm` and `mktime` would quietly move on.
    public static func secondsSince1970(
        year: Substring, month: Substring, day: Substring, hour: Substring = "0", minute: Substring = "0", second: Substring = "0",
        local: Bool
    ) -> Int64? {
        guard let year = Int32(year), let month = Int32(month), let day = Int32(day),
            let hour = Int32(hour), let minute = Int32(minute), let second = Int32(second), (1...12).contains(month)
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        // Local time: whether daylight saving applies on that day is for mktime to find out.
        parts.tm_isdst = -1
        let seconds = local ? mktime(&parts) : timegm(&parts)
        guard parts.tm_mday == day, parts.tm_mon == month - 1 else { return nil }
        return Int64(seconds)
    }
}
