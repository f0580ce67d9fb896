/// Which of a burst of pushed entries are authentic, checking as few signatures as the burst allows.
///
/// Pushes arrive one entry per datagram, but a busy author's arrive in runs: checked one by one, each
/// costs an Ed25519 verification (about 70 µs), which bounds how fast a node can take them in. Checked
/// together, one author's consecutive entries are a hash chain (`HashChain`): the last one's signature
/// vouches for the rest. A forged entry breaks only its own chain: whatever the valid signatures do not
/// reach is checked entry by entry, so a forger costs the receiver checks but never an honest entry.
public enum PushBurst {
    /// `validity` checks the signatures of the entries it is given, one result per entry, in order
    /// (the daemon spreads them over its cores). Duplicates in `burst` count once.
    public static func authentic(
        _ burst: [Entry], validity: ([Entry]) -> [Bool]
    ) -> (authentic: [Entry], forged: Int) {
        var byHash: [EntryHash: Entry] = [:]
        byHash.reserveCapacity(burst.count)
        let distinct = burst.filter { byHash.updateValue($0, forKey: $0.hash) == nil }
        let signers = HashChain.signers(of: distinct)
        var vouched: Set<EntryHash> = []
        for (signer, valid) in zip(signers, validity(signers)) where valid {
            reach(from: signer, in: byHash, into: &vouched)
        }
        guard vouched.count < distinct.count else { return (distinct, 0) }
        let unvouched = distinct.filter { !vouched.contains($0.hash) }
        let alone = zip(unvouched, validity(unvouched)).filter(\.1).map(\.0)
        let alsoAuthentic = Set(alone.map(\.hash))
        return (distinct.filter { vouched.contains($0.hash) || alsoAuthentic.contains($0.hash) }, unvouched.count - alone.count)
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
