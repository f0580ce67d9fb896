#if canImport(Glibc)
import Glibc
#endif

extension Timestamps {
    /// Milliseconds since 1970 (negative before) of an RFC 3339 time: `2026-11-29T09:00:00Z`,
    /// `2026-11-29T10:00:00.250+01:00`; nil for anything else, a day that does not exist included.
    public static func millis(rfc3339 text: String) -> Int64? {
        if let millis = millis(daemonForm: text) { return millis }
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

    /// The form the daemon writes every time in (`rfc3339(millis:)`: `2026-11-29T09:00:00.250Z`), read
    /// by hand: `lanchat history` reads thousands, the chat one per line it draws.
    private static func millis(daemonForm text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), let fraction = number(20..<23),
            (1...12).contains(month), day >= 1, hour < 24, minute < 60, second < 60
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        guard day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(month) - 1] else { return nil }
        return (daysSince1970(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second) * 1_000 + fraction
    }

    /// Days from 1970-01-01 to a day of the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
    private static func daysSince1970(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
