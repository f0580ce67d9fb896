/// Which signatures a batch needs. An entry's signed header names the hashes of the author's entries
/// before it, so one valid signature vouches for every entry it reaches through those links: a sync
/// batch of one author's consecutive entries needs the last one's signature only.
public enum HashChain {
    /// The entries no other entry of the batch links to: checking their signatures authenticates the
    /// whole batch (each other entry is reached from one of them by hash links of its own author).
    public static func signers(of batch: [Entry]) -> [Entry] {
        guard batch.count > 1 else { return batch }
        var held: [EntryHash: AuthorID] = [:]
        held.reserveCapacity(batch.count)
        for entry in batch { held[entry.hash] = entry.author }
        var vouchedFor: Set<EntryHash> = []
        for entry in batch {
            for link in entry.links where held[link.hash] == entry.author {
                vouchedFor.insert(link.hash)
            }
        }
        return batch.filter { !vouchedFor.contains($0.hash) }
    }
}
