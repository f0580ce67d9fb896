/// The walk that finds where a forked log split, over any store: down from some tips by their links,
/// stopping at entries the peer is known to hold.
public enum ForkWalk {
    /// Entries visited at most; a longer walk answers 0 (send everything), which is always safe.
    public static let maxSteps = 100_000

    /// The lowest seq of a stop entry met on the way down; 0 if some path reaches seq 1 (an entry
    /// without links) without meeting one, or the walk runs too long.
    public static func lowestStop<E: Error>(
        from tips: [EntryHash], stop: Set<EntryHash>, links: (EntryHash) throws(E) -> [EntryHash], seq: (EntryHash) throws(E) -> UInt64
    ) throws(E) -> UInt64 {
        var frontier = tips
        var visited = Set(tips)
        var lowest = UInt64.max
        while let hash = frontier.popLast() {
            guard visited.count <= maxSteps else { return 0 }
            if stop.contains(hash) {
                lowest = min(lowest, try seq(hash))
                continue
            }
            let below = try links(hash)
            if below.isEmpty { return 0 }
            for target in below where visited.insert(target).inserted { frontier.append(target) }
        }
        return lowest == .max ? 0 : lowest
    }
}
