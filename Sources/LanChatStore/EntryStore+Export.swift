import Foundation
import GRDB
import LanChatCore

/// Messages a page at a time, in the order history shows them, each page after the last one's place:
/// `lanchat export` reaches every message of a log of any size without holding it whole.
extension EntryStore {
    /// Up to `limit` messages of `room` after `position`, oldest first, as history shows them (deleted,
    /// edited), without those of the `hiding` authors.
    public func messages(
        in room: String, after position: MessagePosition, limit: Int, hiding: Set<AuthorID> = []
    ) async throws -> [StoredEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: Self.shownMessages(of: """
                    SELECT header, payload, sort_ts, ts, arrived, author, seq, hash FROM entry
                    WHERE room = ? AND (sort_ts, author, seq, hash) > (?, ?, ?, ?) \(Self.notBy(hiding))
                    ORDER BY sort_ts, author, seq, hash LIMIT ?
                    """),
                arguments: StatementArguments([room] + position.arguments + hiding.map { $0.blob as any DatabaseValueConvertible } + [limit])
            ).map(Self.shownMessage)
        }
    }

    /// Up to `limit` direct messages held with their payload after `position`, oldest first; sealed: only
    /// the node of a sender or recipient opens them.
    public func directMessages(after position: MessagePosition, limit: Int) async throws -> [StoredEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT header, payload, sort_ts, ts, arrived FROM entry INDEXED BY entry_direct
                    WHERE kind = \(EntryKind.directMessage.rawValue) AND payload IS NOT NULL AND (sort_ts, author, seq, hash) > (?, ?, ?, ?)
                    ORDER BY sort_ts, author, seq, hash LIMIT ?
                    """,
                arguments: StatementArguments(position.arguments + [limit])
            ).map(Self.directMessage)
        }
    }
}

/// A place in the order history shows messages: by shown time, then author ID bytes, seq and entry
/// hash, as SQLite orders those columns. A page of an export starts after one.
public struct MessagePosition: Sendable, Comparable {
    let shownAt: HybridTimestamp
    let author: [UInt8]
    let seq: UInt64
    let hash: [UInt8]

    /// Before every message shown at `time` or later (no author ID is empty).
    public static func before(_ time: HybridTimestamp) -> MessagePosition {
        MessagePosition(shownAt: time, author: [], seq: 0, hash: [])
    }

    private init(shownAt: HybridTimestamp, author: [UInt8], seq: UInt64, hash: [UInt8]) {
        self.shownAt = shownAt
        self.author = author
        self.seq = seq
        self.hash = hash
    }

    public init(of stored: StoredEntry) {
        self.init(shownAt: stored.shownAt, author: stored.entry.author.bytes, seq: stored.entry.seq, hash: stored.entry.hash.bytes)
    }

    var arguments: [any DatabaseValueConvertible] {
        [Int64(bitPattern: shownAt.rawValue), Data(author), Int64(seq), Data(hash)]
    }

    // Stored times never have the top bit set (the decoder refuses them), so this unsigned order is SQLite's signed one.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.shownAt != rhs.shownAt { return lhs.shownAt < rhs.shownAt }
        if lhs.author != rhs.author { return lhs.author.lexicographicallyPrecedes(rhs.author) }
        if lhs.seq != rhs.seq { return lhs.seq < rhs.seq }
        return lhs.hash.lexicographicallyPrecedes(rhs.hash)
    }
}
