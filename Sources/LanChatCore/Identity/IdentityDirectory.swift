/// The identity table as people see it: the newest profile name of each author, resolved when shown.
/// Stored messages never hold a name; they are rendered through this at read time.
public struct IdentityDirectory: Sendable {
    public struct Record: Hashable, Sendable {
        public let name: String
        /// Seq of the profile entry the name came from; only a higher one replaces it.
        public let profileSeq: UInt64
        /// The key direct messages to this author are sealed to; nil if its profile names none.
        public let dmKey: DirectMessageKey?
        /// When the profile was written: of a person's devices, the newest profile names the person.
        public let profileAt: HybridTimestamp

        public init(name: String, profileSeq: UInt64, dmKey: DirectMessageKey? = nil, profileAt: HybridTimestamp = HybridTimestamp(rawValue: 0)) {
            self.name = name
            self.profileSeq = profileSeq
            self.dmKey = dmKey
            self.profileAt = profileAt
        }
    }

    public private(set) var records: [AuthorID: Record] = [:]
    /// Which authors are one person's devices.
    public private(set) var links = DeviceLinks()
    /// Names this machine gave people (`lanchat alias`), by person: shown instead of theirs, marked `~`.
    public private(set) var aliases: [AuthorID: String] = [:]
    public static let aliasMark = "~"
    /// Shown after a name that mixes scripts within a word (`MixedScript`), before its short ID.
    public static let mixedScriptMark = "⚠"
    private static let aliasMarkLook = NameLook(aliasMark)
    /// How each author's name reads, and who holds a name that reads as each skeleton.
    private var looks: [AuthorID: NameLook] = [:]
    private var holdersBySkeleton: [String: Set<AuthorID>] = [:]
    private var aliasLooks: [AuthorID: NameLook] = [:]
    /// Authors whose name could pass for what this directory adds: found when the name comes, not each
    /// time it is shown (which, for every event a follower is sent, cost more than the rest of the name).
    private var imitators: Set<AuthorID> = []

    public init(records: [AuthorID: Record] = [:]) {
        for (author, record) in records { apply(author: author, record: record) }
    }

    /// Applies a profile entry; returns true when the visible name changed.
    @discardableResult
    public mutating func apply(author: AuthorID, record: Record) -> Bool {
        let old = records[author]
        if let old, old.profileSeq >= record.profileSeq { return false }
        for skeleton in looks[author]?.skeletons ?? [] { holdersBySkeleton[skeleton]?.remove(author) }
        records[author] = record
        let look = NameLook(record.name)
        looks[author] = look
        for skeleton in look.skeletons { holdersBySkeleton[skeleton, default: []].insert(author) }
        if Self.imitatesMarks(record.name, look) { imitators.insert(author) } else { imitators.remove(author) }
        return old?.name != record.name
    }

    public mutating func setAlias(_ name: String?, for person: AuthorID) {
        aliases[person] = name
        aliasLooks[person] = name.map(NameLook.init)
    }

    public func name(of author: AuthorID) -> String? { records[author]?.name }

    public func dmKey(of author: AuthorID) -> DirectMessageKey? { records[author]?.dmKey }

    /// The people someone may mean by `text` (each by its first device): a device's ID, a prefix of
    /// one of at least the short ID's length, or a display name (either form, any case). Several when
    /// it is ambiguous.
    public func find(_ text: String) -> [AuthorID] {
        if let id = AuthorID(text: text) { return [person(of: id)] }
        let lowered = text.lowercased()
        let given = aliases.filter { Self.aliasMark + $0.value.lowercased() == lowered || $0.value.lowercased() == lowered }.keys
        if !given.isEmpty { return given.sorted() }
        var found = records.keys.filter { records[$0]?.name.lowercased() == lowered || displayName(of: $0).lowercased() == lowered }
        if found.isEmpty, lowered.count >= AuthorID.shortLength { found = records.keys.filter { $0.text.hasPrefix(lowered) } }
        return Set(found.map { person(of: $0) }).sorted()
    }

    /// The author whose profile publishes this key ID (for the recipients of a direct message); nil when
    /// none does, or several people do (a profile may copy another's key: it would open nothing, but
    /// must not decide whose conversation a message shows in).
    public func author(ofKeyID keyID: UInt64) -> AuthorID? {
        let publishers = records.filter { $0.value.dmKey?.keyID == keyID }.keys
        guard let first = publishers.first, publishers.allSatisfy({ person(of: $0) == person(of: first) }) else { return nil }
        return first
    }

    /// Takes in link and unlink entries (others are ignored); returns whether who is whom changed.
    @discardableResult
    public mutating func applyLinks(_ entries: [Entry]) -> Bool {
        links.apply(entries.compactMap { entry in (try? entry.content()).map { (entry.author, $0, entry.timestamp, entry.seq) } })
    }

    /// The name to show for an author's entry (at `seq`, or now): its person's newest profile name, with
    /// the person's short ID added when someone else's name reads the same (`NameLook`), and the mixed
    /// script mark before it when a word of the name mixes scripts; the short ID alone when no profile
    /// has arrived yet. A person is its linked devices (`DeviceLinks`), named by the first.
    public func displayName(of author: AuthorID, seq: UInt64? = nil) -> String {
        let person = links.person(of: author, seq: seq)
        // A name this machine gave wins, marked so it is never taken for one its owner chose.
        if let alias = aliases[person] { return Self.aliasMark + alias }
        let devices = links.devices(of: person)
        guard let named = namingDevice(among: devices), let name = records[named]?.name, let look = looks[named] else { return person.short }
        // A word of mixed scripts is there to be misread: flagged, and told apart whoever else is named.
        if look.mixesScripts { return "\(name) \(Self.mixedScriptMark) (\(person.short))" }
        // Told apart: from anyone else whose name reads the same, from a name given here, and from the alias mark itself.
        let readsAsAnother = look.skeletons.contains { holdersBySkeleton[$0]?.isSubset(of: devices) == false }
            || aliasLooks.values.contains(where: look.resembles)
        return readsAsAnother || imitators.contains(named) ? "\(name) (\(person.short))" : name
    }

    /// A name that could pass for what this directory adds (`Alice (k3j4m2)`, the `⚠` and alias marks) or
    /// that shows nothing at all always gets its own short ID: the marks must come only from here.
    private static func imitatesMarks(_ name: String, _ look: NameLook) -> Bool {
        name.contains(mixedScriptMark) || look.starts(like: aliasMarkLook)
            || look.skeletons.contains { $0.last == ")" || $0.allSatisfy(\.isWhitespace) }
    }

    /// Of a person's devices, the one whose profile names it: the newest.
    private func namingDevice(among devices: [AuthorID]) -> AuthorID? {
        devices.compactMap { device in records[device].map { (device, $0.profileAt) } }.max { $0.1 < $1.1 }?.0
    }

    /// The person an author's entry belongs to (at `seq`, or now): its first device's ID.
    public func person(of author: AuthorID, seq: UInt64? = nil) -> AuthorID { links.person(of: author, seq: seq) }
}
