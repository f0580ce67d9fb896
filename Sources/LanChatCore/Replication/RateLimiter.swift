/// A token bucket per source (`PeerAddress.floodSource`: a host, whatever port it sends from): a flooding
/// or broken peer spends its own share of the node's attention, and nobody else's.
struct RateLimiter: Sendable {
    /// Sources tracked at most; idle ones (full buckets) are forgotten first.
    static let maxTracked = 4096

    let ratePerSecond: Double
    let burst: Double
    private var buckets: [String: (tokens: Double, at: UInt64)] = [:]

    init(ratePerSecond: Double, burst: Double) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
    }

    var tracked: Int { buckets.count }

    /// Takes `cost` tokens from the sender's bucket, if it holds them.
    mutating func allow(_ sender: PeerAddress, cost: Int = 1, now: UInt64) -> Bool {
        let address = sender.floodSource
        if buckets[address] == nil, buckets.count >= Self.maxTracked {
            forgetIdle(now: now)
            // Still full of active sources: a newcomer waits rather than growing the map.
            guard buckets.count < Self.maxTracked else { return false }
        }
        var bucket = buckets[address] ?? (burst, now)
        bucket.tokens = min(burst, bucket.tokens + Double(now - min(bucket.at, now)) / 1000 * ratePerSecond)
        bucket.at = now
        let allowed = bucket.tokens >= Double(cost)
        if allowed { bucket.tokens -= Double(cost) }
        buckets[address] = bucket
        return allowed
    }

    private mutating func forgetIdle(now: UInt64) {
        let refillMillis = burst / ratePerSecond * 1000
        buckets = buckets.filter { Double(now - min($0.value.at, now)) < refillMillis }
    }
}
