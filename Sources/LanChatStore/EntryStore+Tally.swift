import Foundation
import GRDB
import LanChatCore

/// The store's figures that `status` and `doctor` report, read together.
public struct StoreTally: Sendable {
    public var entries = 0
    public var authors = 0
    public var rooms = 0
    /// Messages whose text retention or a quota dropped so far, over all authors.
    public var payloadsDropped = 0
    /// Entries held without the payload they should have.
    public var payloadsMissing = 0
    /// Entries refused, over all authors, because their log already had as many branches as are kept.
    public var refusedBranches = 0
    /// Authors whose log forked: with the number of branches that remain (1 once merged).
    public var forks: [(author: AuthorID, tips: Int)] = []
}

extension EntryStore {
    /// One read for every figure: each read is a trip to a reader thread and back, and `status` made
    /// seven of them (0.9 ms of its answer).
    public func tally() async throws -> StoreTally {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COALESCE(SUM(entries), 0) AS entries, COUNT(*) AS authors,
                            COALESCE(SUM(payloads_dropped), 0) AS dropped, COALESCE(SUM(refused_branches), 0) AS refused,
                            (SELECT COUNT(*) FROM room) AS rooms, (SELECT COUNT(*) FROM payload_missing) AS missing
                        FROM author
                        """)
            else { return StoreTally() }
            return StoreTally(
                entries: row["entries"], authors: row["authors"], rooms: row["rooms"], payloadsDropped: row["dropped"],
                payloadsMissing: row["missing"], refusedBranches: row["refused"], forks: try Self.forks(db))
        }
    }

    public func entryCount() async throws -> Int { try await tally().entries }

    public func forks() async throws -> [(author: AuthorID, tips: Int)] { try await pool.read(Self.forks) }

    private static func forks(_ db: Database) throws -> [(author: AuthorID, tips: Int)] {
        try Row.fetchAll(db, sql: "SELECT id, (SELECT COUNT(*) FROM tip t WHERE t.author = a.id) AS tips FROM author a WHERE forked = 1")
            .map { (try AuthorID(bytes: Array($0["id"] as Data)), $0["tips"]) }
    }
}
