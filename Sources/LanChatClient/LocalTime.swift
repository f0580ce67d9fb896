import Glibc
import LanChatControl

/// A moment as people here read it: on this machine's calendar, in its time zone (the C library's: `TZ`,
/// else /etc/localtime). The C library's `localtime_r` instead of Foundation's calendar and formatters,
/// which would bring ICU into the CLI and its start-up.
public struct LocalTime: Equatable, Sendable {
    public let year: Int
    /// 1 is January.
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// 0 is Sunday.
    public let weekday: Int

    public init?(secondsSince1970 seconds: Int64) {
        var time = time_t(seconds)
        var local = tm()
        guard localtime_r(&time, &local) != nil else { return nil }
        year = Int(local.tm_year) + 1900
        month = Int(local.tm_mon) + 1
        day = Int(local.tm_mday)
        hour = Int(local.tm_hour)
        minute = Int(local.tm_min)
        second = Int(local.tm_sec)
        weekday = Int(local.tm_wday)
    }

    /// nil for text that is no RFC 3339 time.
    public init?(rfc3339 text: String) {
        guard let millis = Timestamps.millis(rfc3339: text) else { return nil }
        // Rounded down, so a moment before 1970 falls in the second it belongs to.
        self.init(secondsSince1970: millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
    }

    public static func now() -> LocalTime? {
        LocalTime(secondsSince1970: Int64(time(nil)))
    }

    public func isSameDay(as other: LocalTime) -> Bool {
        (year, month, day) == (other.year, other.month, other.day)
    }

    /// `09:05`
    public var clock: String { "\(Timestamps.zeroPadded(hour, 2)):\(Timestamps.zeroPadded(minute, 2))" }
    /// `2026-11-29`
    public var date: String { "\(Timestamps.zeroPadded(year, 4))-\(Timestamps.zeroPadded(month, 2))-\(Timestamps.zeroPadded(day, 2))" }
    /// `2026-11-29 09:05:03`
    public var dateAndTime: String { "\(date) \(clock):\(Timestamps.zeroPadded(second, 2))" }
}
