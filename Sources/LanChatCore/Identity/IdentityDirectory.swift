/// The identity table as people see it: the newest profile name of each author, resolved when shown.
/// Stored messages never hold a name; they are rendered through this at read time.
public struct IdentityDirectory: Sendable {
    public struct Record: Hashable, Sendable {
        public let name: String
        /// Seq of the profile entry the name came from; only a higher one replaces it.
        public let profileSeq: UInt64

        public init(name: String, profileSeq: UInt64) {
            self.name = name
            self.profileSeq = profileSeq
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
