/// Which of a burst of pushed entries are authentic, checking as few signatures as the burst allows.
///
/// A busy author's pushes arrive in runs (a `pushes` datagram is one): checked one by one, each costs an
/// Ed25519 verification (about 70 µs), which bounds how fast a node can take them in. Checked together,
/// one author's consecutive entries are a hash chain (`HashChain`): the last one's signature vouches for
/// the rest. A forged entry breaks only its own chain, and costs only its own check: once a chain's head
/// fails, the entries below it that nothing vouched for yet have heads of their own, checked next. So a
/// forger never costs an honest entry, and no entry is checked twice.
public enum PushBurst {
    /// `validity` checks the signatures of the entries it is given, one result per entry, in order
    /// (the daemon spreads them over its cores). Duplicates in `burst` count once.
    public static func authentic(
        _ burst: [Entry], validity: ([Entry]) -> [Bool]
    ) -> (authentic: [Entry], forged: Int) {
        var byHash: [EntryHash: Entry] = [:]
        byHash.reserveCapacity(burst.count)
        let distinct = burst.filter { byHash.updateValue($0, forKey: $0.hash) == nil }
        var vouched: Set<EntryHash> = []
        var forged: Set<EntryHash> = []
        var unsettled = distinct
        // Each round settles at least its heads (a batch always has one: nothing links its highest seq).
        while !unsettled.isEmpty {
            let heads = HashChain.signers(of: unsettled)
            for (head, valid) in zip(heads, validity(heads)) {
                if valid { reach(from: head, in: byHash, into: &vouched) } else { forged.insert(head.hash) }
            }
            unsettled.removeAll { vouched.contains($0.hash) || forged.contains($0.hash) }
        }
        return (distinct.filter { vouched.contains($0.hash) }, forged.count)
    }

    /// Marks `entry` and every entry of the burst it reaches through its own author's links.
    private static func reach(from entry: Entry, in byHash: [EntryHash: Entry], into vouched: inout Set<EntryHash>) {
        var stack = [entry]
        while let next = stack.popLast() {
            guard vouched.insert(next.hash).inserted else { continue }
            for link in next.links {
                if let linked = byHash[link.hash], linked.author == next.author { stack.append(linked) }
            }
        }
    }
}
