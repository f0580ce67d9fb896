import Foundation

/// When the next burst of entries is taken: the node's new commits to push, or pushes to check and store
/// (each has its own). Each burst costs about the same wake-ups whatever it carries: the datagrams to every
/// peer and their reads there, or a signature check and a transaction. An office publishes a few entries
/// a second and each burst goes at once; while entries come at `busyRate` a second or more (a flood, an
/// import, a bot), a burst is taken at most every `linger`, so what came meanwhile shares its wake-ups.
/// That adds at most `linger` to a delivery, and only while the node is that busy, when waiting for the
/// CPU costs more.
public struct BurstPacing: Sendable {
    /// Milliseconds a burst may wait for more while the node is busy.
    public static let linger: UInt64 = 25
    /// Entries a second from which lingering pays: a push datagram's worth (about four entries) per linger.
    public static let busyRate = 160.0
    /// The rate is a count of the entries taken that decays with this time constant: at a steady rate it
    /// settles at the entries of one such span; after a flood of r a second it falls below `busyRate` in
    /// ln(r / busyRate) spans (1.6 s after 800 a second).
    static let decayMillis = 1000.0

    private var recent = 0.0
    private var lastTaken: UInt64?

    public init() {}

    /// Milliseconds to wait before taking the next burst.
    public func delay(now: UInt64) -> UInt64 {
        guard let lastTaken, decayed(to: now) >= Self.busyRate else { return 0 }
        let due = lastTaken + Self.linger
        return due > now ? min(due - now, Self.linger) : 0
    }

    /// A burst of `count` entries was taken (none: a wake-up that found nothing, which changes nothing).
    public mutating func took(_ count: Int, at now: UInt64) {
        guard count > 0 else { return }
        recent = decayed(to: now) + Double(count)
        lastTaken = now
    }

    private func decayed(to now: UInt64) -> Double {
        guard let lastTaken, now > lastTaken else { return recent }
        return recent * exp(-Double(now - lastTaken) / Self.decayMillis)
    }
}
