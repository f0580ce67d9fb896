/// Which identities are one person's devices, from the link and unlink entries they signed. Each device
/// keeps its own key and log; a link holds once both devices have signed one naming the other.
///
/// - A **person** is a set of devices joined by mutual links, named by its earliest device (below).
/// - A device **joined** the person when it wrote its link entry with the `joined` role (it typed the
///   code); a device that only ever invited is a founder. Devices are ranked by when they joined,
///   founders first, then by ID: that is "linked earlier".
/// - A device of a person may **unlink** another one of it, naming the last seq of that device that
///   still counts: the device leaves the person, and its later entries are its own. When two devices
///   unlink each other, only the unlink by the one linked earlier counts, so a stolen device cannot
///   cut its owner off. An unlinked device stays unlinked.
public struct DeviceLinks: Sendable, Equatable {
    public enum Role: UInt8, Sendable {
        /// The writer showed the code (`lanchat link`).
        case invited = 1
        /// The writer typed it (`lanchat link CODE`).
        case joined = 2
    }

    struct Link: Equatable {
        let author: AuthorID
        let device: AuthorID
        let role: Role
        let at: HybridTimestamp
    }

    struct Unlink: Equatable {
        let author: AuthorID
        let device: AuthorID
        let lastSeq: UInt64
    }

    private var links: [Link] = []
    private var unlinks: [Unlink] = []
    /// Derived from the entries, recomputed when one arrives.
    private var personOf: [AuthorID: AuthorID] = [:]
    private var devicesOf: [AuthorID: [AuthorID]] = [:]
    /// An unlinked device: the person it belonged to, and its last seq that counts as that person's.
    private var departed: [AuthorID: (person: AuthorID, lastSeq: UInt64)] = [:]

    public init() {}

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.links == rhs.links && lhs.unlinks == rhs.unlinks }

    /// Takes in a link or unlink entry (anything else is ignored); returns whether who is whom changed.
    @discardableResult
    public mutating func apply(author: AuthorID, content: EntryContent, at timestamp: HybridTimestamp) -> Bool {
        let before = (personOf, departed.mapValues(\.person))
        switch content {
        case .link(let device, let role):
            guard device != author, !links.contains(where: { $0.author == author && $0.device == device }) else { return false }
            links.append(Link(author: author, device: device, role: role, at: timestamp))
        case .unlink(let device, let lastSeq):
            guard device != author, !unlinks.contains(where: { $0.author == author && $0.device == device }) else { return false }
            unlinks.append(Unlink(author: author, device: device, lastSeq: lastSeq))
        default:
            return false
        }
        recompute()
        return before.0 != personOf || before.1 != departed.mapValues(\.person)
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

    /// Whether this author wrote a link entry naming `device` (the other side may not have yet).
    public func hasLinked(_ author: AuthorID, to device: AuthorID) -> Bool {
        links.contains { $0.author == author && $0.device == device }
    }

    // MARK: Derivation

    private mutating func recompute() {
        let mutual = links.filter { link in links.contains { $0.author == link.device && $0.device == link.author } }
        let joinedAt = Dictionary(mutual.filter { $0.role == .joined }.map { ($0.author, $0.at) }, uniquingKeysWith: min)
        func earlier(_ a: AuthorID, _ b: AuthorID) -> Bool {
            switch (joinedAt[a], joinedAt[b]) {
            case (nil, nil): a < b
            case (nil, _): true
            case (_, nil): false
            case (let x?, let y?): x == y ? a < b : x < y
            }
        }
        let before = Self.components(mutual.map { ($0.author, $0.device) })
        // An unlink counts if both are of one person, unless the other unlinked it too and was linked earlier.
        let valid = unlinks.filter { unlink in
            guard let person = before[unlink.author], before[unlink.device] == person else { return false }
            let countered = unlinks.contains { $0.author == unlink.device && $0.device == unlink.author }
            return !countered || earlier(unlink.author, unlink.device)
        }
        departed = [:]
        for unlink in valid {
            let groupBefore = before.filter { $0.value == before[unlink.device] }.keys
            departed[unlink.device] = (groupBefore.min(by: earlier)!, max(departed[unlink.device]?.lastSeq ?? 0, unlink.lastSeq))
        }
        let remaining = mutual.filter { departed[$0.author] == nil && departed[$0.device] == nil }
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
        // A device that left keeps its old entries with the person it left, even if that person is now one device.
        for gone in departed.values where devicesOf[gone.person] == nil { devicesOf[gone.person] = [gone.person] }
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
