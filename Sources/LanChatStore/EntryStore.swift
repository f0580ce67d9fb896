import Foundation
import GRDB
import LanChatCore

/// The node's durable log: every entry it holds, the identity table and rooms derived from them.
/// Every write is one transaction; a caller hears of an entry only after that transaction commits.
/// Every access is async: GRDB runs it on its own threads, so no actor and none of Swift's few
/// cooperative threads waits through a disk flush.
public final class EntryStore: Sendable {
    private let pool: DatabasePool

    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(5)
        pool = try DatabasePool(path: path, configuration: config)
        try Schema.migrator.migrate(pool)
    }

    /// Checkpoints and closes the database; nothing may use the store afterwards.
    public func close() {
        try? pool.close()
    }

    // MARK: Writing

    /// Appends to this node's own log. The seq is chosen, recorded and the entry signed inside one
    /// transaction, and nothing leaves the node before it commits: a crash can never publish two
    /// different entries under one seq.
    public func appendLocal(
        identity: LocalIdentity, content: EntryContent, timestamp: HybridTimestamp
    ) async throws -> Entry {
        try await appendLocal(identity: identity, batch: [(content, timestamp)])[0]
    }

    /// Appends several entries in one transaction (group commit): one disk flush for all of them.
    public func appendLocal(
        identity: LocalIdentity, batch: [(content: EntryContent, timestamp: HybridTimestamp)]
    ) async throws -> [Entry] {
        try await write(durable: true) { db in
            let last = try UInt64.fetchOne(
                db, sql: "SELECT MAX(seq) FROM entry WHERE author = ?", arguments: [identity.id.blob]) ?? 0
            let entries = batch.enumerated().map { offset, item in
                Entry.sign(by: identity, seq: last + 1 + UInt64(offset), timestamp: item.timestamp, content: item.content)
            }
            let fresh = try Self.insert(entries, db)
            guard fresh.count == entries.count else { throw StoreError.conflict("seq after \(last) already used") }
            return fresh
        }
    }

    /// Stores verified entries; returns those that were new, in the order given. Duplicates are ignored.
    /// `durable: false` skips the disk flush at commit (still crash-safe, WAL): for entries from peers,
    /// which a power cut could only make this node fetch again.
    public func insert(_ entries: [Entry], durable: Bool = true) async throws -> [Entry] {
        guard !entries.isEmpty else { return [] }
        return try await write(durable: durable) { db in try Self.insert(entries, db) }
    }

    /// One transaction, flushed to disk at commit only when `durable`: the writer connection is
    /// shared, so each write sets the mode it needs.
    private func write<T: Sendable>(durable: Bool, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            var result: T?
            try db.inTransaction {
                result = try body(db)
                return .commit
            }
            // inTransaction ran the body, or threw.
            return result!
        }
    }

    /// Inserts entries, then updates what derives from them once per author and room, not per entry.
    private static func insert(_ entries: [Entry], _ db: Database) throws -> [Entry] {
        let insertEntry = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO entry (author, seq, ts, kind, room, raw) VALUES (?, ?, ?, ?, ?, ?)")
        var fresh: [Entry] = []
        var messages: [AuthorID: Int] = [:]
        var rooms: [String: (count: Int, last: Int64)] = [:]
        var profiles: [AuthorID: (name: String, seq: UInt64)] = [:]
        for entry in entries {
            let content = try? entry.content()
            var room: String?
            if case .message(let message) = content { room = message.room }
            let timestamp = Int64(bitPattern: entry.timestamp.rawValue)
            try insertEntry.execute(arguments: [
                entry.author.blob, Int64(entry.seq), timestamp, Int64(entry.kind.rawValue), room, Data(entry.encoded),
            ])
            guard db.changesCount == 1 else { continue }
            fresh.append(entry)
            messages[entry.author, default: 0] += room == nil ? 0 : 1
            if let room {
                let previous = rooms[room] ?? (0, timestamp)
                rooms[room] = (previous.count + 1, max(previous.last, timestamp))
            }
            if case .profile(let name) = content, entry.seq > profiles[entry.author]?.seq ?? 0 {
                profiles[entry.author] = (name, entry.seq)
            }
        }
        for (author, count) in messages {
            try db.execute(sql: "INSERT OR IGNORE INTO author (id) VALUES (?)", arguments: [author.blob])
            if count > 0 {
                try db.execute(sql: "UPDATE author SET messages = messages + ? WHERE id = ?", arguments: [count, author.blob])
            }
            try advanceHead(author.blob, db)
        }
        for (room, change) in rooms {
            try db.execute(
                sql: """
                    INSERT INTO room (name, messages, last_ts) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET messages = messages + excluded.messages, last_ts = MAX(last_ts, excluded.last_ts)
                    """,
                arguments: [room, change.count, change.last])
        }
        for (author, profile) in profiles {
            try db.execute(
                sql: "UPDATE author SET name = ?, profile_seq = ? WHERE id = ? AND profile_seq < ?",
                arguments: [profile.name, Int64(profile.seq), author.blob, Int64(profile.seq)])
        }
        return fresh
    }

    /// Moves the author's contiguous head over every seq now present without a gap.
    private static func advanceHead(_ author: Data, _ db: Database) throws {
        var head = try Int64.fetchOne(db, sql: "SELECT head FROM author WHERE id = ?", arguments: [author]) ?? 0
        let start = head
        let following = try Int64.fetchCursor(
            db, sql: "SELECT seq FROM entry WHERE author = ? AND seq > ? ORDER BY seq", arguments: [author, head])
        while let seq = try following.next(), seq == head + 1 {
            head = seq
        }
        if head != start {
            try db.execute(sql: "UPDATE author SET head = ? WHERE id = ?", arguments: [head, author])
        }
    }

    // MARK: Reading

    /// The newest `limit` messages of a room, oldest first: ordered by timestamp, then author, then seq.
    public func history(room: String, limit: Int) async throws -> [Entry] {
        try await pool.read { db in
            let rows = try Data.fetchAll(
                db,
                sql: """
                    SELECT raw FROM (
                        SELECT raw, ts, author, seq FROM entry WHERE room = ?
                        ORDER BY ts DESC, author DESC, seq DESC LIMIT ?
                    ) ORDER BY ts, author, seq
                    """,
                arguments: [room, limit])
            return try rows.map { try Entry.decode($0, verifySignature: false) }
        }
    }

    public func identityRecords() async throws -> [AuthorID: IdentityDirectory.Record] {
        try await pool.read { db in
            var records: [AuthorID: IdentityDirectory.Record] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name, profile_seq FROM author WHERE name IS NOT NULL") {
                let author = try AuthorID(bytes: Array(row["id"] as Data))
                records[author] = IdentityDirectory.Record(name: row["name"], profileSeq: UInt64(row["profile_seq"] as Int64))
            }
            return records
        }
    }

    public func authors() async throws -> [AuthorSummary] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, messages FROM author").map { row in
                AuthorSummary(id: try AuthorID(bytes: Array(row["id"] as Data)), messages: row["messages"])
            }
        }
    }

    public func rooms() async throws -> [RoomSummary] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, messages, last_ts FROM room ORDER BY name").map { row in
                RoomSummary(
                    name: row["name"], messages: row["messages"],
                    lastTimestamp: HybridTimestamp(rawValue: UInt64(bitPattern: row["last_ts"] as Int64)))
            }
        }
    }

    public func versionVector() async throws -> VersionVector {
        try await pool.read { db in
            var heads: [AuthorID: UInt64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, head FROM author WHERE head > 0") {
                heads[try AuthorID(bytes: Array(row["id"] as Data))] = UInt64(row["head"] as Int64)
            }
            return VersionVector(heads)
        }
    }

    /// Each author's contiguous head with the hash of the entry there: this node's position in a sync.
    public func syncVector() async throws -> SyncVector {
        try await pool.read { db in
            var heads: [AuthorID: AuthorTip] = [:]
            let rows = try Row.fetchAll(
                db, sql: "SELECT a.id, a.head, e.raw FROM author a JOIN entry e ON e.author = a.id AND e.seq = a.head WHERE a.head > 0")
            for row in rows {
                heads[try AuthorID(bytes: Array(row["id"] as Data))] = AuthorTip(
                    seq: UInt64(row["head"] as Int64), hash: EntryHash(of: row["raw"] as Data))
            }
            return SyncVector(heads: heads)
        }
    }

    /// Entries of one author after a seq, in seq order: what a sync streams to a peer. Their signatures
    /// were checked before they were stored, so they are not checked again.
    public func entries(author: AuthorID, after seq: UInt64, limit: Int) async throws -> [Entry] {
        try await pool.read { db in
            try Data.fetchAll(
                db, sql: "SELECT raw FROM entry WHERE author = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [author.blob, Int64(seq), limit]
            ).map { try Entry.decode($0, verifySignature: false) }
        }
    }

    /// Current contiguous heads of the given authors, after an insert: what replication reports onward.
    public func heads(of authors: Set<AuthorID>) async throws -> [AuthorID: UInt64] {
        try await pool.read { db in
            var heads: [AuthorID: UInt64] = [:]
            for author in authors {
                heads[author] = UInt64(try Int64.fetchOne(db, sql: "SELECT head FROM author WHERE id = ?", arguments: [author.blob]) ?? 0)
            }
            return heads
        }
    }

    // MARK: Peers

    /// Remembers a verified peer's address, so a restarted node finds its network again at once.
    public func rememberPeer(_ address: PeerAddress, id: AuthorID, seenAtMillis: UInt64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO peer (address, author, last_seen) VALUES (?, ?, ?)",
                arguments: [address.description, id.blob, Int64(seenAtMillis)])
            // Bounded: only the most recently seen peers are kept.
            try db.execute(sql: """
                DELETE FROM peer WHERE address NOT IN (SELECT address FROM peer ORDER BY last_seen DESC LIMIT 256)
                """)
        }
    }

    public func rememberedPeers() async throws -> [PeerAddress] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT address FROM peer ORDER BY last_seen DESC").compactMap(PeerAddress.init(parsing:))
        }
    }

    /// The newest timestamp of one author's entries: where this node's clock resumes after a restart.
    /// Only its own: a peer's far-future clock must not be adopted through the store.
    public func latestTimestamp(of author: AuthorID) async throws -> HybridTimestamp {
        try await pool.read { db in
            let value = try Int64.fetchOne(db, sql: "SELECT MAX(ts) FROM entry WHERE author = ?", arguments: [author.blob])
            return HybridTimestamp(rawValue: UInt64(bitPattern: value ?? 0))
        }
    }

    public func entryCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry") ?? 0 }
    }
}

public struct AuthorSummary: Sendable, Equatable {
    public let id: AuthorID
    public let messages: Int

    public init(id: AuthorID, messages: Int) {
        self.id = id
        self.messages = messages
    }
}

public struct RoomSummary: Sendable, Equatable {
    public let name: String
    public let messages: Int
    public let lastTimestamp: HybridTimestamp

    public init(name: String, messages: Int, lastTimestamp: HybridTimestamp) {
        self.name = name
        self.messages = messages
        self.lastTimestamp = lastTimestamp
    }
}

public enum StoreError: Error, Equatable {
    case conflict(String)
}

extension AuthorID {
    var blob: Data { Data(bytes) }
}
