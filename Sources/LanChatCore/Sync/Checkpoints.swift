/// Where a node stands in the logs found forked between it and a peer: for each such author, the
/// entries it holds at its highest seq and at 1, 2, 4, 8 … below it. Walking down from its own tips,
/// the peer stops at the first of these: above that seq it sends everything it has of the author.
public struct Checkpoints: Equatable, Sendable {
    /// A fork is rare; a node that reports more than this many at once is refused.
    public static let maxAuthors = 1024
    /// Positions per author: one per power of two below 2^63, and a second entry where one seq forked.
    public static let maxPerAuthor = 128

    public let positions: [AuthorID: [AuthorTip]]

    public init(_ positions: [AuthorID: [AuthorTip]] = [:]) {
        self.positions = positions.filter { !$0.value.isEmpty }.mapValues { Array(Array(Set($0)).sorted().suffix(Self.maxPerAuthor)) }
    }

    /// The seqs to report for a log whose highest seq is `highest`: it, then 1, 2, 4 … below it.
    public static func seqs(below highest: UInt64) -> [UInt64] {
        guard highest > 0 else { return [] }
        var seqs = [highest]
        var step: UInt64 = 1
        while step < highest {
            seqs.append(highest - step)
            step <<= 1
        }
        if seqs.last != 1 { seqs.append(1) }
        return seqs
    }
}
