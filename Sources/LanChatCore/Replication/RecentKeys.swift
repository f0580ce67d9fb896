import Collections

/// The last `capacity` entry keys inserted: inserting one more forgets the oldest.
struct RecentKeys: Sendable {
    private var order: Deque<EntryKey> = []
    private var members: Set<EntryKey> = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// False if the key is among the recent ones already.
    @discardableResult
    mutating func insert(_ key: EntryKey) -> Bool {
        guard members.insert(key).inserted else { return false }
        order.append(key)
        if order.count > capacity { members.remove(order.removeFirst()) }
        return true
    }
}
