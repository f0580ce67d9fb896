/// Which identities are one person's devices, from the link and unlink entries they signed. Each device
/// keeps its own key and log; a link holds once both devices have signed one naming the other.
///
/// - A **person** is a set of devices joined by mutual links, named by its earliest device (below).
/// - A device **joined** the person when it wrote its link entry with the `joined` role (it typed the
///   code); a device that only ever invited is a founder. Devices are ranked by when they joined,
///   founders first, then by ID: that is "linked earlier".
/// - A device of a person may **unlink** another one of it, naming the last seq of that device that
///   still counts: the device leaves the person, and its later entries are its own. Unlinks are
///   weighed in the order of their authors' ranks: one by a device already unlinked by an earlier one
///   counts for nothing, so when two devices unlink each other the one linked earlier wins, and a
///   stolen device cannot cut its owner off. An unlinked device stays unlinked.
///
/// The result does not depend on the order entries arrive in: of two entries one author signed about
/// the same device, the one with the lower seq counts, and each author counts for at most
/// `maxPerAuthor` devices (those of its lowest seqs), so no author can make this costly to work out.
public struct DeviceLinks: Sendable, Equatable {
    public static let maxPerAuthor = 32

    public enum Role: UInt8, Sendable {
        /// The writer showed the code (`lanchat link`).
        case invited = 1
        /// The writer typed it (`lanchat link CODE`).
        case joined = 2
    }

    struct Pair: Hashable {
        let author: AuthorID
        let device: AuthorID
    }

    struct Link: Equatable {
        let role: Role
        let at: HybridTimestamp
        let seq: UInt64
    }

    struct Unlink: Equatable {
        let lastSeq: UInt64
        let seq: UInt64
    }

    /// By author, then by the device named: an author's own table stays within `maxPerAuthor`.
    private var links: [AuthorID: [AuthorID: Link]] = [:]
    private var unlinks: [AuthorID: [AuthorID: Unlink]] = [:]
    /// Derived from the entries, recomputed when some arrive.
    private var personOf: [AuthorID: AuthorID] = [:]
    private var devicesOf: [AuthorID: [AuthorID]] = [:]
    /// An unlinked device: the person it belonged to, and its last seq that counts as that person's.
    private var departed: [AuthorID: Departure] = [:]

    struct Departure: Equatable {
        let person: AuthorID
        let lastSeq: UInt64
    }

    public init() {}

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.links == rhs.links && lhs.unlinks == rhs.unlinks }

    /// Takes in link and unlink entries (anything else is ignored); returns whether who is whom changed.
    @discardableResult
    public mutating func apply(_ entries: [(author: AuthorID, content: EntryContent, at: HybridTimestamp, seq: UInt64)]) -> Bool {
        var taken = false
        for entry in entries {
            switch entry.content {
            case .link(let device, let role) where device != entry.author:
                taken = Self.keep(device, Link(role: role, at: entry.at, seq: entry.seq), in: &links[entry.author, default: [:]], seq: \.seq) || taken
            case .unlink(let device, let lastSeq) where device != entry.author:
                taken = Self.keep(device, Unlink(lastSeq: lastSeq, seq: entry.seq), in: &unlinks[entry.author, default: [:]], seq: \.seq) || taken
            default: break
            }
        }
        guard taken else { return false }
        let before = (personOf, departed)
        recompute()
        return before.0 != personOf || before.1 != departed
    }

    @discardableResult
    public mutating func apply(author: AuthorID, content: EntryContent, at timestamp: HybridTimestamp, seq: UInt64 = 1) -> Bool {
        apply([(author, content, timestamp, seq)])
    }

    /// The person an author's entry at `seq` belongs to: its ID, or the author's own when it is nobody
    /// else's device. Without a seq, as of now.
    public func person(of author: AuthorID, seq: UInt64? = nil) -> AuthorID {
        if let gone = departed[author] {
            return seq.map { $0 <= gone.lastSeq } == true ? gone.person : author
        }
        return personOf[author] ?? author
    }

    /// The devices of the person `author` belongs to now (itself alone when it has none linked).
    public func devices(of author: AuthorID) -> [AuthorID] {
        devicesOf[person(of: author)] ?? [author]
    }

    /// Whether this author signed a link naming `device` (the other side may not have yet).
    public func hasLinked(_ author: AuthorID, to device: AuthorID) -> Bool {
        links[author]?[device] != nil
    }

    // MARK: Derivation

    /// Keeps, of one author's entries, the lower seq for each device and the `maxPerAuthor` lowest seqs.
    private static func keep<Value: Equatable>(
        _ device: AuthorID, _ value: Value, in table: inout [AuthorID: Value], seq: KeyPath<Value, UInt64>
    ) -> Bool {
        if let held = table[device], held[keyPath: seq] <= value[keyPath: seq] { return false }
        if table[device] == nil, table.count >= maxPerAuthor {
            guard let highest = table.max(by: { $0.value[keyPath: seq] < $1.value[keyPath: seq] }), highest.value[keyPath: seq] > value[keyPath: seq]
            else { return false }
            table[highest.key] = nil
        }
        table[device] = value
        return true
    }

    private static func flat<Value>(_ table: [AuthorID: [AuthorID: Value]]) -> [(pair: Pair, value: Value)] {
        table.flatMap { author, devices in devices.map { (Pair(author: author, device: $0.key), $0.value) } }
    }

    private mutating func recompute() {
        let mutual = Self.flat(links).filter { links[$0.pair.device]?[$0.pair.author] != nil }
        var joinedAt: [AuthorID: HybridTimestamp] = [:]
        for (pair, link) in mutual where link.role == .joined { joinedAt[pair.author] = min(joinedAt[pair.author] ?? link.at, link.at) }
        func earlier(_ a: AuthorID, _ b: AuthorID) -> Bool {
            switch (joinedAt[a], joinedAt[b]) {
            case (nil, nil): a < b
            case (nil, _): true
            case (_, nil): false
            case (let x?, let y?): x == y ? a < b : x < y
            }
        }
        let before = Self.components(mutual.map { ($0.pair.author, $0.pair.device) })
        // In the order of their authors' ranks: an unlink by a device already gone counts for nothing.
        var gone: [AuthorID: UInt64] = [:]
        let ordered = Self.flat(unlinks).sorted {
            earlier($0.pair.author, $1.pair.author) || ($0.pair.author == $1.pair.author && $0.pair.device < $1.pair.device)
        }
        for (pair, unlink) in ordered where gone[pair.author] == nil && gone[pair.device] == nil {
            guard let group = before[pair.author], before[pair.device] == group else { continue }
            gone[pair.device] = unlink.lastSeq
        }
        let remaining = mutual.map(\.pair).filter { gone[$0.author] == nil && gone[$0.device] == nil }
        let groups = Self.components(remaining.map { ($0.author, $0.device) })
        var members: [AuthorID: [AuthorID]] = [:]
        for (device, group) in groups { members[group, default: []].append(device) }
        personOf = [:]
        devicesOf = [:]
        for devices in members.values {
            let sorted = devices.sorted(by: earlier)
            for device in sorted { personOf[device] = sorted[0] }
            devicesOf[sorted[0]] = sorted
        }
        departed = [:]
        for (device, lastSeq) in gone {
            // The person it left: the earliest device of its old group that is still there.
            let old = before.filter { $0.value == before[device] }.keys
            let person = old.filter { gone[$0] == nil }.min(by: earlier) ?? old.min(by: earlier)!
            departed[device] = Departure(person: personOf[person] ?? person, lastSeq: lastSeq)
            if devicesOf[departed[device]!.person] == nil { devicesOf[departed[device]!.person] = [departed[device]!.person] }
        }
    }

    /// Union-find over the edges: each node's component, named by one of its members.
    private static func components(_ edges: [(AuthorID, AuthorID)]) -> [AuthorID: AuthorID] {
        var parent: [AuthorID: AuthorID] = [:]
        func root(_ x: AuthorID) -> AuthorID {
            var x = x
            while let up = parent[x], up != x { x = up }
            return x
        }
        for (a, b) in edges {
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let (ra, rb) = (root(a), root(b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        return Dictionary(uniqueKeysWithValues: parent.keys.map { ($0, root($0)) })
    }
}
