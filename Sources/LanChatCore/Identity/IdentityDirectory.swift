/// The identity table as people see it: the newest profile name of each author, resolved when shown.
/// Stored messages never hold a name; they are rendered through this at read time.
public struct IdentityDirectory: Sendable {
    public struct Record: Hashable, Sendable {
        public let name: String
        /// Seq of the profile entry the name came from; only a higher one replaces it.
        public let profileSeq: UInt64
        /// The key direct messages to this author are sealed to; nil if its profile names none.
        public let dmKey: DirectMessageKey?

        public init(name: String, profileSeq: UInt64, dmKey: DirectMessageKey? = nil) {
            self.name = name
            self.profileSeq = profileSeq
            self.dmKey = dmKey
        }
    }

    public private(set) var records: [AuthorID: Record] = [:]
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

    public func name(of author: AuthorID) -> String? { records[author]?.name }

    public func dmKey(of author: AuthorID) -> DirectMessageKey? { records[author]?.dmKey }

    /// The authors a person may mean by `text`: the ID, a prefix of it of at least the short ID's
    /// length, or a display name (either form, any case). Several when it is ambiguous.
    public func find(_ text: String) -> [AuthorID] {
        if let id = AuthorID(text: text) { return [id] }
        let lowered = text.lowercased()
        let byName = records.keys.filter { records[$0]?.name.lowercased() == lowered || displayName(of: $0).lowercased() == lowered }
        if !byName.isEmpty { return byName.sorted() }
        guard lowered.count >= AuthorID.shortLength else { return [] }
        return records.keys.filter { $0.text.hasPrefix(lowered) }.sorted()
    }

    /// The author whose profile publishes this key ID (for the recipients of a direct message).
    public func author(ofKeyID keyID: UInt64) -> AuthorID? {
        records.first { $0.value.dmKey?.keyID == keyID }?.key
    }

    /// The name to show: the profile name, with the short ID added when someone else has the same name;
    /// the short ID alone when no profile has arrived yet.
    public func displayName(of author: AuthorID) -> String {
        guard let name = records[author]?.name else { return author.short }
        if let holders = holdersByName[name], holders.count > 1 {
            return "\(name) (\(author.short))"
        }
        return name
    }
}
