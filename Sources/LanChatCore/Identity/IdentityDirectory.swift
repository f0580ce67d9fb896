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
    private var holdersByName: [String: Set<AuthorID>] = [:]

    public init(records: [AuthorID: Record] = [:]) {
        for (author, record) in records { apply(author: author, record: record) }
    }

    /// Applies a profile entry; returns true when the visible name changed.
    @discardableResult
    public mutating func apply(author: AuthorID, record: Record) -> Bool {
        let old = records[author]
        if let old, old.profileSeq >= record.profileSeq { return false }
        if let old { holdersByName[old.name]?.remove(author) }
        records[author] = record
        holdersByName[record.name, default: []].insert(author)
        return old?.name != record.name
    }

    public mutating func setAlias(_ name: String?, for person: AuthorID) {
        aliases[person] = name
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
    /// the person's short ID added when someone else has the same name; the short ID alone when no
    /// profile has arrived yet. A person is its linked devices (`DeviceLinks`), named by the first.
    public func displayName(of author: AuthorID, seq: UInt64? = nil) -> String {
        let person = links.person(of: author, seq: seq)
        // A name this machine gave wins, marked so it is never taken for one its owner chose.
        if let alias = aliases[person] { return Self.aliasMark + alias }
        let devices = links.devices(of: person)
        guard let name = devices.compactMap({ records[$0] }).max(by: { $0.profileAt < $1.profileAt })?.name else { return person.short }
        // Told apart: from anyone else with that name, from a name given here, and from the alias mark itself.
        let sharedWith = holdersByName[name]?.subtracting(devices) ?? []
        if !sharedWith.isEmpty || aliases.values.contains(name) || name.hasPrefix(Self.aliasMark) {
            return "\(name) (\(person.short))"
        }
        return name
    }

    /// The person an author's entry belongs to (at `seq`, or now): its first device's ID.
    public func person(of author: AuthorID, seq: UInt64? = nil) -> AuthorID { links.person(of: author, seq: seq) }
}
