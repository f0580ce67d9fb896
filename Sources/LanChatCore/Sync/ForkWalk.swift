/// The walk that finds where a forked log split, over any store: down from some tips by their links,
/// stopping at entries the peer is known to hold.
public enum ForkWalk {
    /// Entries visited at most; a longer walk answers 0 (send everything), which is always safe.
    public static let maxSteps = 100_000

    /// The lowest seq of a stop entry met on the way down; 0 if some path reaches seq 1 (an entry
    /// without links) or one not held without meeting one, or the walk runs too long. `links` gives a
    /// held entry's links (each names its target's seq and hash), and none for an entry not held.
    public static func lowestStop<E: Error>(
        from tips: [AuthorTip], stop: Set<EntryHash>, links: (AuthorTip) throws(E) -> [AuthorTip]
    ) throws(E) -> UInt64 {
        var frontier = tips
        var visited = Set(tips)
        var lowest = UInt64.max
        while let position = frontier.popLast() {
            guard visited.count <= maxSteps else { return 0 }
            if stop.contains(position.hash) {
                lowest = min(lowest, position.seq)
                continue
            }
            let below = try links(position)
            if below.isEmpty { return 0 }
            for target in below where visited.insert(target).inserted { frontier.append(target) }
        }
        return lowest == .max ? 0 : lowest
    }
}
