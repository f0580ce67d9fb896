/// Which counters of one session were accepted: the highest, and the 127 below it (as in IPsec's
/// anti-replay window, RFC 4303 §3.4.3). A counter 128 or more below the highest, or seen before,
/// is a replay. Checked before opening, recorded only after the packet authenticated.
struct ReplayWindow: Sendable {
    static let size: UInt64 = 128

    private var highest: UInt64?
    /// Bit n: `highest - n` was accepted.
    private var seen: UInt128 = 0

    func isFresh(_ counter: UInt64) -> Bool {
        guard let highest else { return true }
        if counter > highest { return true }
        let distance = highest - counter
        return distance < Self.size && seen & (1 << distance) == 0
    }

    mutating func record(_ counter: UInt64) {
        guard let top = highest else {
            highest = counter
            seen = 1
            return
        }
        if counter > top {
            let shift = counter - top
            seen = shift >= Self.size ? 1 : seen << shift | 1
            highest = counter
        } else {
            seen |= 1 << (top - counter)
        }
    }
}
