import Foundation
import GRDB
import LanChatCore

/// What one insert changed.
public struct InsertResult: Sendable, Equatable {
    /// The entries that were new, in the order given.
    public var fresh: [Entry] = []
    /// The tips of every author an entry was stored for: what replication reports onward.
    public var tips: [AuthorID: [AuthorTip]] = [:]
    /// Authors whose log this insert showed forked (two entries at one seq) for the first time.
    public var newlyForked: [AuthorID] = []
    /// Entries refused because their author's log already has as many branches as are kept.
    public var refusedBranches = 0

    public init() {}
}

extension EntryStore {
    /// Inserts entries, then updates what derives from them once per author and room, not per entry.
    static func insert(_ entries: [Entry], arrivedMillis: UInt64, _ db: Database) throws -> InsertResult {
        let insertEntry = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO entry (author, hash, seq, ts, sort_ts, arrived, kind, room, header, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertLink = try db.cachedStatement(sql: "INSERT OR IGNORE INTO link (author, target, hash) VALUES (?, ?, ?)")
        var result = InsertResult()
        var messages: [AuthorID: Int] = [:]
        var rooms: [String: (count: Int, last: Int64)] = [:]
        var profiles: [AuthorID: (name: String, tip: AuthorTip)] = [:]
        var touched: Set<AuthorID> = []
        var authorsSeen: Set<AuthorID> = []
        let arrival = HybridTimestamp(wallMillis: arrivedMillis, counter: 0)
        for entry in entries {
            let content = try? entry.content()
            var room: String?
            if case .message(let message) = content { room = message.room }
            let timestamp = Int64(bitPattern: entry.timestamp.rawValue)
            let shown = entry.timestamp.wallMillis > arrivedMillis + allowedSkewMillis ? arrival : entry.timestamp
            try insertEntry.execute(arguments: [
                entry.author.blob, Data(entry.hash.bytes), Int64(entry.seq), timestamp, Int64(bitPattern: shown.rawValue),
                Int64(arrivedMillis), Int64(entry.kind.rawValue), room, Data(entry.header), entry.payload.map { Data($0) },
            ])
            guard db.changesCount == 1 else { continue }
            for link in entry.links {
                try insertLink.execute(arguments: [entry.author.blob, Data(link.hash.bytes), Data(entry.hash.bytes)])
            }
            if authorsSeen.insert(entry.author).inserted {
                try db.execute(sql: "INSERT OR IGNORE INTO author (id) VALUES (?)", arguments: [entry.author.blob])
            }
            let completion = try complete(entry, db)
            result.refusedBranches += completion.refused
            guard completion.accepted else { continue }
            touched.insert(entry.author)
            result.fresh.append(entry)
            if try noteFork(of: entry, db) { result.newlyForked.append(entry.author) }
            messages[entry.author, default: 0] += room == nil ? 0 : 1
            if let room {
                let previous = rooms[room] ?? (0, Int64(bitPattern: shown.rawValue))
                rooms[room] = (previous.count + 1, max(previous.last, Int64(bitPattern: shown.rawValue)))
            }
            if case .profile(let name) = content, entry.tip > profiles[entry.author]?.tip ?? AuthorTip.none {
                profiles[entry.author] = (name, entry.tip)
            }
        }
        for (author, count) in messages where count > 0 {
            try db.execute(sql: "UPDATE author SET messages = messages + ? WHERE id = ?", arguments: [count, author.blob])
        }
        for (room, change) in rooms {
            try db.execute(
                sql: """
                    INSERT INTO room (name, messages, last_ts) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET messages = messages + excluded.messages, last_ts = MAX(last_ts, excluded.last_ts)
                    """,
                arguments: [room, change.count, change.last])
        }
        // The newest profile wins: highest seq, and at a forked seq the higher hash, on every node alike.
        for (author, profile) in profiles {
            try db.execute(
                sql: """
                    UPDATE author SET name = ?, profile_seq = ?, profile_hash = ?
                    WHERE id = ? AND (profile_seq < ? OR (profile_seq = ? AND profile_hash < ?))
                    """,
                arguments: [
                    profile.name, Int64(profile.tip.seq), Data(profile.tip.hash.bytes), author.blob, Int64(profile.tip.seq),
                    Int64(profile.tip.seq), Data(profile.tip.hash.bytes),
                ])
        }
        for author in touched {
            result.tips[author] = try tips(of: author, db)
        }
        return result
    }

    /// Marks the entry complete if everything it links to is, then every held entry that was waiting
    /// for it; each complete entry replaces the tips it links to. False if completing it would give its
    /// author more branches than are kept (the entry is then refused). Statements are cached: this runs
    /// for every entry of a catch-up.
    private static func complete(_ entry: Entry, _ db: Database) throws -> (accepted: Bool, refused: Int) {
        let author = entry.author.blob
        guard try entry.links.allSatisfy({ try isComplete(author, $0.hash, db) }) else { return (true, 0) }
        var refused = 0
        var ready = [(hash: entry.hash, seq: entry.seq, links: entry.links.map(\.hash))]
        while let next = ready.popLast() {
            let hash = Data(next.hash.bytes)
            let replaced = try next.links.filter { try isTip(author, $0, db) }
            if replaced.isEmpty {
                // A second branch (or a first entry): within the bound?
                let tips = try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM tip WHERE author = ?"), arguments: [author]) ?? 0
                guard tips < SyncVector.maxTipsPerAuthor else {
                    try forget(author, next.hash, db)
                    refused += 1
                    if next.hash == entry.hash { return (false, refused) }
                    continue
                }
            }
            for target in replaced {
                try db.cachedStatement(sql: "DELETE FROM tip WHERE author = ? AND hash = ?").execute(arguments: [author, Data(target.bytes)])
            }
            try db.cachedStatement(sql: "UPDATE entry SET complete = 1 WHERE author = ? AND hash = ?").execute(arguments: [author, hash])
            try db.cachedStatement(sql: "INSERT INTO tip (author, hash, seq) VALUES (?, ?, ?)").execute(arguments: [author, hash, Int64(next.seq)])
            // Entries held above this one that now have everything they link to.
            let children = try Row.fetchAll(
                try db.cachedStatement(sql: """
                    SELECT e.hash, e.seq FROM link l JOIN entry e ON e.author = l.author AND e.hash = l.hash
                    WHERE l.author = ? AND l.target = ? AND e.complete = 0
                    """),
                arguments: [author, hash])
            for child in children {
                let childHash = try EntryHash(bytes: Array(child["hash"] as Data))
                let links = try Data.fetchAll(
                    try db.cachedStatement(sql: "SELECT target FROM link WHERE author = ? AND hash = ?"), arguments: [author, Data(childHash.bytes)]
                ).map { try EntryHash(bytes: Array($0)) }
                if try links.allSatisfy({ try isComplete(author, $0, db) }) {
                    ready.append((childHash, UInt64(child["seq"] as Int64), links))
                }
            }
        }
        return (true, refused)
    }

    private static func isComplete(_ author: Data, _ hash: EntryHash, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            try db.cachedStatement(sql: "SELECT complete FROM entry WHERE author = ? AND hash = ?"), arguments: [author, Data(hash.bytes)]) ?? false
    }

    private static func isTip(_ author: Data, _ hash: EntryHash, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            try db.cachedStatement(sql: "SELECT 1 FROM tip WHERE author = ? AND hash = ?"), arguments: [author, Data(hash.bytes)]) != nil
    }

    /// Removes a branch refused at the bound, and counts it against its author.
    private static func forget(_ author: Data, _ hash: EntryHash, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM entry WHERE author = ? AND hash = ?", arguments: [author, Data(hash.bytes)])
        try db.execute(sql: "DELETE FROM link WHERE author = ? AND hash = ?", arguments: [author, Data(hash.bytes)])
        try db.execute(sql: "UPDATE author SET refused_branches = refused_branches + 1 WHERE id = ?", arguments: [author])
    }

    /// Records that the author's log forked if this entry shares its seq with another; true the first time.
    private static func noteFork(of entry: Entry, _ db: Database) throws -> Bool {
        let atSeq = try Int.fetchOne(
            try db.cachedStatement(sql: "SELECT COUNT(*) FROM entry WHERE author = ? AND seq = ?"),
            arguments: [entry.author.blob, Int64(entry.seq)]) ?? 0
        guard atSeq > 1 else { return false }
        try db.execute(sql: "UPDATE author SET forked = 1 WHERE id = ? AND forked = 0", arguments: [entry.author.blob])
        return db.changesCount == 1
    }

    static func tips(of author: AuthorID, _ db: Database) throws -> [AuthorTip] {
        try Row.fetchAll(db, sql: "SELECT seq, hash FROM tip WHERE author = ?", arguments: [author.blob]).map(tip).sorted()
    }
}

extension AuthorTip {
    /// Below every real position: seqs start at 1.
    static let none = AuthorTip(seq: 0, hash: EntryHash(of: []))
}
