import LanChatControl

/// `lanchat export --since`: an RFC 3339 time, or a plain date meaning that day's midnight here, turned
/// into the RFC 3339 time in UTC the daemon takes.
public enum SinceArgument {
    public static func rfc3339(_ text: String) throws(ClientError) -> String {
        var millis = Timestamps.millis(rfc3339: text)
        if millis == nil, let date = text.wholeMatch(of: /([0-9]{4})-([0-9]{2})-([0-9]{2})/) {
            millis = Timestamps.secondsSince1970(year: date.output.1, month: date.output.2, day: date.output.3, local: true).map { $0 * 1000 }
        }
        guard let millis else {
            throw ClientError(
                "--since must be an RFC 3339 time (2026-11-29T09:00:00Z) or a date (2026-11-29, from midnight here), not '\(text)'",
                status: .usage)
        }
        return Timestamps.rfc3339(millis: UInt64(max(0, millis)))
    }
}
