import Foundation
import GRDB
import GRDBSQLite
import LanChatCore
import Synchronization

/// The node's durable log: every entry it holds, the identity table and rooms derived from them.
/// Every write is one transaction; a caller hears of an entry only after that transaction commits.
/// Every access is async: GRDB runs it on its own threads, so no actor and none of Swift's few
/// cooperative threads waits through a disk flush. Except a push's write (`writeHere`), which runs on the
/// caller's thread when nothing else is being written, and never checkpoints there.
public final class EntryStore: Sendable {
    let pool: DatabasePool
    /// Writes handed to the writer's thread and not done yet: a small write takes the caller's thread only when
    /// there are none, so that it never waits there behind one (a sync's batch, a flush to disk).
    private let writesUnderway = Atomic<Int>(0)
    /// Small writes since the writer's thread was last asked to checkpoint.
    private let writesSinceCheckpoint = Atomic<Int>(0)
    /// Whether the writer connection flushes at commit (`PRAGMA synchronous = FULL`), as last set; nil
    /// before its first transaction. Read and changed only by the writer connection's holder.
    private let writerFlushes = Mutex<Bool?>(nil)
    /// An author's clock may run this far ahead of the receiver's before history sorts its entries
    /// at their arrival instead: a machine with a wrong clock must not hold the bottom of every room.
    public static let allowedSkewMillis: UInt64 = 5 * 60 * 1000

    /// When history shows an entry that arrived at `arrivedMillis`: its timestamp, or its arrival where
    /// the author's clock ran more than `allowedSkewMillis` ahead.
    public static func shownAt(_ entry: Entry, arrivedMillis: UInt64) -> HybridTimestamp {
        entry.timestamp.wallMillis > arrivedMillis + allowedSkewMillis ? HybridTimestamp(wallMillis: arrivedMillis, counter: 0) : entry.timestamp
    }

    /// `upgrading` is called before the migrations of a store an earlier release wrote, if any are due:
    /// rewriting a long history takes a while (about 25 s per million entries on a slow machine).
    public init(path: String, upgrading: () -> Void = {}) throws {
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            // A deleted message's text must not linger in freed pages of the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // The log file is cut back to 8 MB after a checkpoint (a bulk write lets it grow, see `write`).
            try db.execute(sql: "PRAGMA journal_size_limit = 8388608")
        }
        pool = try DatabasePool(path: path, configuration: config)
        let migrator = Schema.migrator
        let (applied, current) = try pool.read { db in (try migrator.appliedIdentifiers(db), try migrator.hasCompletedMigrations(db)) }
        if applied.contains(Schema.formatOneMigration) {
            throw StoreError.formatTooOld(path)
        }
        if !applied.isEmpty && !current {
            upgrading()
        }
        try migrator.migrate(pool)
    }

    /// Checkpoints and closes the database; nothing may use the store afterwards.
    public func close() {
        try? pool.close()
    }

    // MARK: Writing

    /// Appends to this node's own log. The seq is chosen, the links set, the entry signed and recorded
    /// inside one transaction, and nothing leaves the node before it commits: a crash can never publish
    /// two different entries under one seq. The first entry links every tip of this identity's log, so a
    /// fork it learnt of is closed (merged) by its next entry.
    public func appendLocal(
        identity: LocalIdentity, content: EntryContent, timestamp: HybridTimestamp
    ) async throws -> Entry {
        try await appendLocal(identity: identity, batch: [(content, timestamp)])[0]
    }

    /// Appends several entries in one transaction (group commit): one disk flush for all of them.
    public func appendLocal(
        identity: LocalIdentity, batch: [(content: EntryContent, timestamp: HybridTimestamp)]
    ) async throws -> [Entry] {
        let now = WallClock.nowMillis()
        let appended = try await write(durable: true) { db in
            let author = identity.id.blob
            // Cached, as the insert's statements are: compiling them anew was a tenth of a send's CPU.
            let last = try UInt64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM entry WHERE author = ?"), arguments: [author]) ?? 0
            guard last <= (1 << 63) - 1 - UInt64(batch.count) else { throw StoreError.logFull }
            // Every tip, and whatever is held at the highest seq (above a gap it is no tip, but the
            // next entry must still link the one before it).
            let positions = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT seq, hash FROM tip WHERE author = ? UNION SELECT seq, hash FROM entry WHERE author = ? AND seq = ?"),
                arguments: [author, author, Int64(last)])
            var links = Array(try positions.map(Self.tip).sorted().suffix(Entry.maxLinks))
            var entries: [Entry] = []
            for (offset, item) in batch.enumerated() {
                let entry = Entry.sign(
                    by: identity, seq: last + 1 + UInt64(offset), timestamp: item.timestamp, links: links, content: item.content)
                entries.append(entry)
                links = [entry.tip]
            }
            let result = try Self.insert(entries, arrivedMillis: now, db)
            guard result.fresh.count == entries.count else { throw StoreError.conflict("seq after \(last) already used") }
            return result.fresh
        }
        if batch.contains(where: { $0.content.kind == .delete }) { await purgeLog() }
        return appended
    }

    /// Stores verified entries (duplicates are ignored) and reports what changed.
    /// `durable: false` skips the disk flush at commit (still crash-safe, WAL): for entries from peers,
    /// which a power cut could only make this node fetch again.
    public func insert(_ entries: [Entry], durable: Bool = true) async throws -> InsertResult {
        guard !entries.isEmpty else { return InsertResult() }
        let now = WallClock.nowMillis()
        let bulk = !durable && entries.count >= Self.bulkEntries
        let insert = { @Sendable (db: Database) in try Self.insert(entries, arrivedMillis: now, db) }
        let small = !durable && entries.count <= Self.smallEntries && writesUnderway.load(ordering: .sequentiallyConsistent) == 0
        let result = small ? try writeHere(insert) : try await write(durable: durable, bulk: bulk, insert)
        if entries.contains(where: { $0.kind == .delete }) { await purgeLog() }
        return result
    }

    /// After a delete: the write-ahead log still holds the pages as they were, text included; a
    /// checkpoint that truncates it leaves the text nowhere (`secure_delete` zeroed it in the file).
    /// It follows a write that committed, so it cannot fail that write: a purge that did not run (its caller
    /// cancelled at shutdown, a reader holding the log) leaves the text in the log until later writes
    /// overwrite it or the database closes (the last connection checkpoints and removes the log).
    func purgeLog() async {
        _ = try? await onWriter { try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") } }
    }

    /// Inserts of at least this many entries (a sync's batches, pushes piled up under load) are bulk writes.
    static let bulkEntries = 1000
    /// Inserts of at most this many entries that need not reach the disk (a push, a `pushes` datagram's run) are
    /// written on the caller's thread (`writeHere`) when no other write is underway: a few tenths of a millisecond.
    static let smallEntries = 8

    /// Pages of log after which a write on the writer's thread checkpoints: SQLite's default, which the writes
    /// that change it (`writeHere`, a bulk write) give back.
    static let autocheckpointPages = 1000
    /// Small writes between two checkpoints: about as many pages of log as `autocheckpointPages`.
    static let writesPerCheckpoint = 64

    /// A transaction on the writer's thread, the caller suspended meanwhile.
    private func write<T: Sendable>(durable: Bool, bulk: Bool = false, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await onWriter { try await pool.writeWithoutTransaction { db in try self.transaction(db, durable: durable, bulk: bulk, body) } }
    }

    /// GRDB's `write` (a transaction of its own), counted in `writesUnderway`.
    func writeTransaction<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        try await onWriter { try await pool.write(updates) }
    }

    private func onWriter<T>(_ write: () async throws -> T) async rethrows -> T {
        writesUnderway.add(1, ordering: .sequentiallyConsistent)
        defer { writesUnderway.subtract(1, ordering: .sequentiallyConsistent) }
        return try await write()
    }

    /// A small write that need not reach the disk (a push), on the caller's thread: it takes about a tenth of a
    /// millisecond, and handing it to the writer's thread and back cost two thread wake-ups, more than the write.
    /// Taken only when no other write is underway, so it does not wait behind one (it may, rarely, behind one
    /// that began meanwhile). It does not checkpoint (a checkpoint flushes to disk): every `writesPerCheckpoint`
    /// of them, the writer's thread is asked to.
    private func writeHere<T>(_ body: (Database) throws -> T) throws -> T {
        let result = try pool.writeWithoutTransaction { db in
            // Through the C call: a PRAGMA is compiled anew each time it runs (SQLite expires it after one run).
            sqlite3_wal_autocheckpoint(db.sqliteConnection, 0)
            defer { sqlite3_wal_autocheckpoint(db.sqliteConnection, Int32(Self.autocheckpointPages)) }
            return try transaction(db, durable: false, bulk: false, body)
        }
        if writesSinceCheckpoint.add(1, ordering: .relaxed).newValue % Self.writesPerCheckpoint == 0 {
            pool.asyncWriteWithoutTransaction { db in _ = try? db.checkpoint(.passive) }
        }
        return result
    }

    /// One transaction, flushed to disk at commit only when `durable`: the writer connection is
    /// shared, so each write sets the mode it needs. A `bulk` write changes pages all over the file
    /// (the entries of many authors, and their indexes): it gets room for them, so it does not spill to the log before it
    /// commits, and a checkpoint only every 32 MB of log instead of SQLite's 4 MB, which a sync batch
    /// would pass every time (a checkpoint with its disk flushes after nearly every batch held catch-up
    /// back). Both are given back after it: an idle daemon keeps little memory, and small writes keep
    /// small checkpoints (the first one after a catch-up takes what the catch-up left in the log).
    /// The mode is set only when it changes (`writerFlushes`): a PRAGMA is compiled anew each time it runs.
    private func transaction<T>(_ db: Database, durable: Bool, bulk: Bool, _ body: (Database) throws -> T) throws -> T {
        if writerFlushes.withLock({ $0 }) != durable {
            // SQLite sets the mode when it compiles the PRAGMA, and GRDB throws for a cancelled write between
            // compiling and running it: until it has run, the mode is not known.
            writerFlushes.withLock { $0 = nil }
            try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            writerFlushes.withLock { $0 = durable }
        }
        if bulk { try db.execute(sql: "PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 8192") }
        defer { if bulk { try? db.execute(sql: "PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages)") } }
        // BEGIN and COMMIT come from the statement cache: GRDB's `inTransaction` compiles both anew for
        // each write, and a pushed message is one write (28,000 of its transaction's 336,000 instructions).
        try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
        do {
            let result = try body(db)
            try db.cachedStatement(sql: "COMMIT").execute()
            return result
        } catch {
            // GRDB's rollback: it skips one SQLite made already (a full disk, an I/O error) and retries one
            // interrupted by a cancelled write, which would otherwise leave the transaction open.
            try? db.rollback()
            throw error
        }
    }

    // MARK: Reading

    /// The newest `limit` messages of a room, oldest first, as shown: ordered by when they are shown
    /// (their timestamp, or their arrival where the author's clock ran ahead), then author, then seq.
    /// The newest `limit` messages of a room, oldest first, without those of the `hiding` authors (muted).
    public func history(room: String, limit: Int, hiding: Set<AuthorID> = []) async throws -> [StoredEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: Self.shownMessages(of: """
                    SELECT header, payload, sort_ts, ts, arrived, author, seq, hash FROM entry WHERE room = ? \(Self.notBy(hiding))
                    ORDER BY sort_ts DESC, author DESC, seq DESC, hash DESC LIMIT ?
                    """),
                arguments: StatementArguments([room] + hiding.map { $0.blob as any DatabaseValueConvertible } + [limit])
            ).map(Self.shownMessage)
        }
    }

    /// Messages as history shows them, oldest first: the rows `selection` picks (header, payload, sort_ts,
    /// ts, arrived, author, seq, hash of entries), each with whether it was deleted and its newest edit.
    static func shownMessages(of selection: String) -> String {
        """
        SELECT m.header, m.payload, m.sort_ts, m.ts, m.arrived, r.target IS NOT NULL AS deleted,
            (SELECT body FROM revision v WHERE v.author = m.author AND v.target = m.hash ORDER BY seq DESC LIMIT 1) AS edited,
            (SELECT ts FROM revision v WHERE v.author = m.author AND v.target = m.hash ORDER BY seq DESC LIMIT 1) AS edited_ts
        FROM (\(selection)) m
        LEFT JOIN retraction r ON r.author = m.author AND r.target = m.hash
        ORDER BY m.sort_ts, m.author, m.seq, m.hash
        """
    }

    /// A row of `shownMessages`.
    static func shownMessage(_ row: Row) throws -> StoredEntry {
        let shownAt = HybridTimestamp(rawValue: UInt64(bitPattern: row["sort_ts"] as Int64))
        let edit = (row["edited"] as String?).map { body in
            StoredEntry.Edit(body: body, at: HybridTimestamp(rawValue: UInt64(bitPattern: row["edited_ts"] as Int64)))
        }
        return StoredEntry(
            entry: try entry(row), shownAt: shownAt, arrivedMillis: UInt64(row["arrived"] as Int64),
            clockAhead: row["sort_ts"] as Int64 != row["ts"] as Int64, deleted: row["deleted"], edit: row["deleted"] ? nil : edit)
    }

    /// A condition leaving out the entries of `authors`, whose IDs follow as arguments.
    static func notBy(_ authors: Set<AuthorID>) -> String {
        authors.isEmpty ? "" : "AND author NOT IN (\(Array(repeating: "?", count: authors.count).joined(separator: ", ")))"
    }

    public func identityRecords() async throws -> [AuthorID: IdentityDirectory.Record] {
        try await pool.read { db in
            var records: [AuthorID: IdentityDirectory.Record] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.name, a.profile_seq, a.dm_key, e.ts FROM author a
                    LEFT JOIN entry e ON e.author = a.id AND e.seq = a.profile_seq AND e.hash = a.profile_hash WHERE a.name IS NOT NULL
                    """)
            for row in rows {
                let author = try AuthorID(bytes: Array(row["id"] as Data))
                records[author] = IdentityDirectory.Record(
                    name: row["name"], profileSeq: UInt64(row["profile_seq"] as Int64),
                    dmKey: (row["dm_key"] as Data?).flatMap { DirectMessageKey(bytes: Array($0)) },
                    profileAt: HybridTimestamp(rawValue: UInt64(bitPattern: (row["ts"] as Int64?) ?? 0)))
            }
            return records
        }
    }

    public func authors() async throws -> [AuthorSummary] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, messages, forked, (SELECT COUNT(*) FROM tip t WHERE t.author = a.id) AS tips FROM author a"
            ).map { row in
                let forked = row["forked"] as Int64 != 0
                return AuthorSummary(
                    id: try AuthorID(bytes: Array(row["id"] as Data)), messages: row["messages"],
                    fork: forked ? (row["tips"] as Int64 > 1 ? .open : .closed) : nil)
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

    /// Whether the author deleted this message.
    public func isDeleted(_ ref: EntryRef) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM retraction WHERE author = ? AND target = ?", arguments: [ref.author.blob, Data(ref.hash.bytes)]) != nil
        }
    }

    /// The full reference of a message people named by `<author>/<seq>`; nil if none is held. Where
    /// the author's log forked at that seq, the entry with the lowest hash (every node picks the same).
    public func resolve(_ key: EntryKey) async throws -> EntryRef? {
        try await pool.read { db in
            try Data.fetchOne(
                db, sql: "SELECT hash FROM entry WHERE author = ? AND seq = ? ORDER BY hash LIMIT 1",
                arguments: [key.author.blob, Int64(key.seq)]
            ).map { EntryRef(author: key.author, seq: key.seq, hash: try EntryHash(bytes: Array($0))) }
        }
    }

    // MARK: Peers

    /// Remembers a verified peer's address, so a restarted node finds its network again at once.
    public func rememberPeer(_ address: PeerAddress, id: AuthorID, seenAtMillis: UInt64) async throws {
        try await writeTransaction { db in
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
            // As shown, not as stamped: an own entry dated far ahead (a clock that was wrong) must not
            // date every later one there.
            let value = try Int64.fetchOne(db, sql: "SELECT MAX(sort_ts) FROM entry WHERE author = ?", arguments: [author.blob])
            return HybridTimestamp(rawValue: UInt64(bitPattern: value ?? 0))
        }
    }

    // MARK: Rows

    static func entry(_ row: Row) throws -> Entry {
        let header = row["header"] as Data
        let payload = row["payload"] as Data?
        var bytes = [UInt8](header)
        if let payload {
            bytes.append(1)
            bytes.append(contentsOf: payload)
        } else {
            bytes.append(0)
        }
        // Verified before it was stored: the structure is checked again, the signature is not.
        return try Entry.decode(bytes, verifySignature: false)
    }

    static func tip(_ row: Row) throws -> AuthorTip {
        AuthorTip(seq: UInt64(row["seq"] as Int64), hash: try EntryHash(bytes: Array(row["hash"] as Data)))
    }
}

/// A message as history shows it: when it is shown, whether that is its arrival because the author's
/// clock ran ahead of this node's, and whether its author deleted it or edited it since.
public struct StoredEntry: Sendable, Equatable {
    public let entry: Entry
    public let shownAt: HybridTimestamp
    /// When it arrived here (wall milliseconds): what read markers go by.
    public let arrivedMillis: UInt64
    public let clockAhead: Bool
    public let deleted: Bool
    /// The newest edit, if any.
    public let edit: Edit?

    public struct Edit: Sendable, Equatable {
        public let body: String
        public let at: HybridTimestamp
    }
}

public struct AuthorSummary: Sendable, Equatable {
    /// Whether the author's log forked, and whether the author has merged it since.
    public enum Fork: Sendable, Equatable {
        case open, closed
    }

    public let id: AuthorID
    public let messages: Int
    public let fork: Fork?

    public init(id: AuthorID, messages: Int, fork: Fork? = nil) {
        self.id = id
        self.messages = messages
        self.fork = fork
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

public enum StoreError: Error, Equatable, CustomStringConvertible {
    case conflict(String)
    /// This identity's log reached the last seq a log can have.
    case logFull
    case formatTooOld(String)

    public var description: String {
        switch self {
        case .conflict(let text): "conflict: \(text)"
        case .logFull: "this identity's log has reached its last possible seq (2^63-1); it cannot grow"
        case .formatTooOld(let path):
            "\(path) holds a log in format 1, which this version no longer reads; move it away to start afresh"
        }
    }
}

extension AuthorID {
    var blob: Data { Data(bytes) }
}

/// The wall clock, read in milliseconds since 1970.
public enum WallClock {
    public static func nowMillis() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) * 1000 + UInt64(spec.tv_nsec) / 1_000_000
    }
}
