/// Membership news waiting to be piggybacked, as SWIM disseminates it: each item goes out at most
/// `limit` times (λ·log N), the least-sent first, so fresh news overtakes old and the queue drains.
/// One item per address: newer news about a peer replaces the older.
struct GossipQueue: Sendable {
    /// One item per peer the table can hold, and per address this node was named at.
    static let capacity = PeerTable.maxCapacity + Replicator.maxSelfAddresses

    private struct Item {
        var update: MembershipUpdate
        var sent: Int
        let generation: UInt64
    }

    private var items: [PeerAddress: Item] = [:]
    /// `buckets[n]`: the items sent n times, oldest first, as (address, generation). An entry whose item
    /// was replaced or sent again is stale and skipped, so no step searches a bucket.
    private var buckets: [[(address: PeerAddress, generation: UInt64)]] = []
    private var heads: [Int] = []
    private var generation: UInt64 = 0

    var count: Int { items.count }

    mutating func enqueue(_ update: MembershipUpdate) {
        if items[update.address] == nil, items.count >= Self.capacity,
            let mostSent = items.max(by: { ($0.value.sent, $1.key) < ($1.value.sent, $0.key) })?.key
        {
            items[mostSent] = nil
        }
        generation += 1
        items[update.address] = Item(update: update, sent: 0, generation: generation)
        append(update.address, generation, toBucket: 0)
    }

    /// Drops the news about `address`, superseded by news of another kind.
    mutating func remove(_ address: PeerAddress) {
        items[address] = nil
    }

    /// Up to `maxCount` items, least-sent first, whose sizes add up to at most `budget` bytes; each counts as
    /// sent once more and is dropped at `limit`. News about an address in `excluded` (the recipient, whose
    /// news the caller says itself, and what the datagram carries already) is left; the addresses taken are
    /// added to it, so no datagram carries one piece of news twice.
    mutating func take(
        for recipient: PeerAddress, onLink link: String?, limit: Int, maxCount: Int, budget: Int, excluding excluded: inout Set<PeerAddress>
    ) -> [MembershipUpdate] {
        retire(sentAtLeast: limit)
        var chosen: [MembershipUpdate] = []
        var room = budget
        var bucket = 0
        while bucket < min(limit, buckets.count), chosen.count < maxCount {
            var index = heads[bucket]
            while index < buckets[bucket].count, chosen.count < maxCount {
                let (address, generation) = buckets[bucket][index]
                index += 1
                guard let item = items[address], item.generation == generation, item.sent == bucket else {
                    if index - 1 == heads[bucket] { heads[bucket] = index }
                    continue
                }
                guard !excluded.contains(address), address.mayBeNamed(to: recipient, onLink: link), item.update.encodedSize <= room else { continue }
                room -= item.update.encodedSize
                chosen.append(item.update)
                excluded.insert(address)
                if index - 1 == heads[bucket] { heads[bucket] = index }
                if item.sent + 1 >= limit {
                    items[address] = nil
                } else {
                    items[address]?.sent += 1
                    append(address, generation, toBucket: bucket + 1)
                }
            }
            compact(bucket)
            bucket += 1
        }
        return chosen
    }

    /// Drops the items already sent `limit` times or more: the limit shrinks with the peer table, and
    /// items past it would otherwise never be sent again nor leave the queue.
    private mutating func retire(sentAtLeast limit: Int) {
        let first = max(limit, 0)
        guard buckets.count > first else { return }
        for bucket in first..<buckets.count {
            for (address, generation) in buckets[bucket][heads[bucket]...]
            where items[address].map({ $0.generation == generation && $0.sent == bucket }) == true {
                items[address] = nil
            }
        }
        buckets.removeSubrange(first...)
        heads.removeSubrange(first...)
    }

    private mutating func append(_ address: PeerAddress, _ generation: UInt64, toBucket bucket: Int) {
        while buckets.count <= bucket {
            buckets.append([])
            heads.append(0)
        }
        buckets[bucket].append((address, generation))
    }

    /// Drops the read part of a bucket once it is most of it, so buckets stay as long as their live items.
    private mutating func compact(_ bucket: Int) {
        guard heads[bucket] > 32, heads[bucket] * 2 > buckets[bucket].count else { return }
        buckets[bucket].removeFirst(heads[bucket])
        heads[bucket] = 0
    }
}
