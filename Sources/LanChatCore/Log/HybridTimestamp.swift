/// A hybrid logical clock reading: wall milliseconds in the high 48 bits, a counter in the low 16.
/// Ordered like integers, so it sorts in SQLite as it sorts here.
public struct HybridTimestamp: Comparable, Hashable, Sendable {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init(wallMillis: UInt64, counter: UInt16) {
        rawValue = wallMillis << 16 | UInt64(counter)
    }

    public var wallMillis: UInt64 { rawValue >> 16 }
    public var counter: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Gives each new local entry a timestamp later than anything this node has written or seen,
/// whatever the wall clock does, so a reply never sorts before what it answers.
public struct HybridClock: Sendable {
    /// A peer's clock this far ahead of ours is not followed: one bad clock must not drag everyone into the future.
    public static let maxForwardJumpMillis: UInt64 = 24 * 3600 * 1000

    public private(set) var last: HybridTimestamp

    public init(last: HybridTimestamp = HybridTimestamp(rawValue: 0)) {
        self.last = last
    }

    public mutating func tick(wallMillis: UInt64) -> HybridTimestamp {
        if wallMillis > last.wallMillis {
            last = HybridTimestamp(wallMillis: wallMillis, counter: 0)
        } else if last.counter == UInt16.max {
            last = HybridTimestamp(wallMillis: last.wallMillis + 1, counter: 0)
        } else {
            last = HybridTimestamp(wallMillis: last.wallMillis, counter: last.counter + 1)
        }
        return last
    }

    public mutating func observe(_ remote: HybridTimestamp, wallMillis: UInt64) {
        guard remote > last, remote.wallMillis <= wallMillis + Self.maxForwardJumpMillis else { return }
        last = remote
    }
}
