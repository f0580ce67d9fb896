/// At most one desktop notification per conversation every `interval`: the first of a burst shows at
/// once, what follows within the interval is held back (not shown later on its own, so a lively room
/// makes no queue of bubbles) and counted on the next one that shows.
public struct NotificationThrottle: Sendable {
    public static let interval: Duration = .seconds(5)

    private var lastShown: [String: ContinuousClock.Instant] = [:]
    private var heldBack: [String: Int] = [:]

    public init() {}

    /// Whether a notification of `conversation` may show `now`; if so, how many were held back since the
    /// last one shown.
    public mutating func admit(_ conversation: String, at now: ContinuousClock.Instant) -> Int? {
        if let last = lastShown[conversation], now < last + Self.interval {
            heldBack[conversation, default: 0] += 1
            return nil
        }
        lastShown[conversation] = now
        return heldBack.removeValue(forKey: conversation) ?? 0
    }
}
