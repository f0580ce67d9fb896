import Foundation
import GRDB
import LanChatCore

/// What one insert changed.
public struct InsertResult: Sendable, Equatable {
    /// The entries that were new, in the order given.
    public var fresh: [Entry] = []
    /// Entries held without their text since they came (a relay dropped it) that this insert gave their
    /// text, in the order given: not new, but what they say (a profile, a delete, a message) takes effect now.
    public var filled: [Entry] = []
    /// The tips of every author an entry was stored for: what replication reports onward.
    public var tips: [AuthorID: [AuthorTip]] = [:]
    /// Authors whose log this insert showed forked (two entries at one seq) for the first time.
    public var newlyForked: [AuthorID] = []
    /// Entries refused because their author's log already has as many branches as are kept.
    public var refusedBranches = 0
    /// Entries refused because too many of their author's entries already wait for one never received.
    public var refusedWaiting = 0

    public init() {}
}

/// What one insert keeps in memory of an author while it runs: its tips, the entries it completed,
/// whether the author has entries waiting for a missing one (only then can an entry complete others),
/// whether it deleted anything (only then can an entry arrive after its delete), and its highest seq
/// held (only at or below it can an entry fork the log). The tips are written back once per author,
/// not once per entry; the rest spares a query per entry in a catch-up. How many wait is counted once,
/// when an incomplete entry first needs it, and kept as entries wait and complete: thousands of entries
/// can wait behind one gap (pushes shed under load leave one), and counting them for each cost the
/// square of that (three quarters of a daemon's CPU at 10,000 pushes a second).
private struct AuthorBatch {
    var tips: [EntryHash: UInt64]
    var completed: Set<AuthorTip> = []
    var hasWaiting: Bool
    var waiting: Int?
    var hasRetractions: Bool
    var highestSeq: UInt64
}

extension EntryStore {
    /// Inserts entries, then updates what derives from them once per author and room, not per entry.
    /// Entries are taken author by author in seq order, so a chain completes as it is inserted. Every
    /// statement is prepared once per connection (`cachedStatement`): a push that arrives alone is one
    /// transaction, and compiling its dozen statements each time was a sixth of what it cost.
    static func insert(_ entries: [Entry], arrivedMillis: UInt64, _ db: Database) throws -> InsertResult {
        let insertEntry = try RawStatement(db, sql: """
            INSERT OR IGNORE INTO entry (author, hash, seq, ts, sort_ts, arrived, kind, room, header, payload, complete)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertLink = try RawStatement(db, sql: "INSERT OR IGNORE INTO link (author, target, seq, hash) VALUES (?, ?, ?, ?)")
        var result = InsertResult()
        var stored: Set<EntryHash> = []
        var filled: Set<EntryHash> = []
        var messages: [AuthorID: Int] = [:]
        var counts: [AuthorID: Int] = [:]
        var rooms: [String: (count: Int, last: Int64)] = [:]
        var profiles: [AuthorID: (name: String, dmKey: DirectMessageKey?, tip: AuthorTip)] = [:]
        var batches: [AuthorID: AuthorBatch] = [:]
        for entry in entries.sorted(by: { ($0.author, $0.seq) < ($1.author, $1.seq) }) {
            let author = entry.author.blob
            if batches[entry.author] == nil {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO author (id) VALUES (?)").execute(arguments: [author])
                batches[entry.author] = try batch(of: entry.author, db)
            }
            let content = try? entry.content()
            var room: String?
            if case .message(let message) = content { room = message.room }
            var shown = shownAt(entry, arrivedMillis: arrivedMillis)
            let complete = try entry.links.allSatisfy { try isComplete(author, $0, in: batches[entry.author]!, db) }
            // An entry held already may come again with the text a relay dropped: no bound applies to it.
            let held = try entry.seq <= batches[entry.author]!.highestSeq && isHeld(author, entry.tip, db)
            if !held, complete, !fitsBound(entry.links.map(\.hash), batches[entry.author]!) {
                try db.cachedStatement(sql: "UPDATE author SET refused_branches = refused_branches + 1 WHERE id = ?").execute(arguments: [author])
                result.refusedBranches += 1
                continue
            }
            // Entries linking what nobody sent are kept (it may come), but not without bound: a peer could
            // otherwise fill the disk with headers that never complete.
            if !held, !complete {
                let waiting = try batches[entry.author]!.waiting ?? waitingCount(author, db)
                batches[entry.author]!.waiting = waiting
                guard waiting < maxWaitingPerAuthor else {
                    result.refusedWaiting += 1
                    continue
                }
            }
            // A message whose delete arrived first is stored without its text, and so is an edit of it.
            var retracted = false
            if batches[entry.author]!.hasRetractions {
                retracted = try isRetracted(author, entry.hash, db)
                if case .edit(let target, _) = content, target.author == entry.author { retracted = try retracted || isRetracted(author, target.hash, db) }
            }
            try insertEntry.execute([
                .blob(entry.author.bytes), .blob(entry.hash.bytes), .int(Int64(entry.seq)), .int(Int64(bitPattern: entry.timestamp.rawValue)),
                .int(Int64(bitPattern: shown.rawValue)), .int(Int64(arrivedMillis)), .int(Int64(entry.kind.rawValue)), room.map { .text($0) } ?? .null,
                .blob(entry.header), retracted ? .null : entry.payload.map { .blob($0) } ?? .null, .int(complete ? 1 : 0),
            ])
            let isNew = db.changesCount == 1
            if !isNew {
                // Held: its text, if it comes now, takes effect as it would have had the entry come whole.
                guard !retracted, let payload = entry.payload, let heldShown = try fill(entry, payload: payload, room: room, db) else { continue }
                shown = heldShown
                filled.insert(entry.hash)
            }
            if !retracted, try apply(content, of: entry, db) { batches[entry.author]!.hasRetractions = true }
            if isNew {
                // Came without its text, which nobody deleted: asked of peers (`missingPayloads`). What this
                // node withholds itself (a deleted message, an edit of one) is not missing.
                if entry.payload == nil, !retracted {
                    try db.cachedStatement(sql: "INSERT OR IGNORE INTO payload_missing (author, seq, hash) VALUES (?, ?, ?)")
                        .execute(arguments: [author, Int64(entry.seq), Data(entry.hash.bytes)])
                }
                if complete {
                    result.refusedBranches += try completed(entry.tip, links: entry.links, author, &batches[entry.author]!, db)
                } else {
                    // Only a waiting entry is ever looked up by what it links to (to complete it): an entry's
                    // link row lands on a page of its own (the key goes by the target's hash), one of the
                    // dozen a lone push's transaction writes.
                    for link in entry.links {
                        try insertLink.execute([.blob(entry.author.bytes), .blob(link.hash.bytes), .int(Int64(entry.seq)), .blob(entry.hash.bytes)])
                    }
                    batches[entry.author]!.hasWaiting = true
                    batches[entry.author]!.waiting? += 1
                }
                stored.insert(entry.hash)
                if entry.seq <= batches[entry.author]!.highestSeq, try noteFork(of: entry, db) { result.newlyForked.append(entry.author) }
                batches[entry.author]!.highestSeq = max(batches[entry.author]!.highestSeq, entry.seq)
                counts[entry.author, default: 0] += 1
            }
            messages[entry.author, default: 0] += room == nil ? 0 : 1
            if let room {
                let previous = rooms[room] ?? (0, Int64(bitPattern: shown.rawValue))
                rooms[room] = (previous.count + 1, max(previous.last, Int64(bitPattern: shown.rawValue)))
            }
            if case .profile(let name, let dmKey) = content, entry.tip > profiles[entry.author]?.tip ?? AuthorTip.none {
                profiles[entry.author] = (name, dmKey, entry.tip)
            }
        }
        result.fresh = entries.filter { stored.remove($0.hash) != nil }
        result.filled = entries.filter { filled.remove($0.hash) != nil }
        for (author, messageCount) in messages {
            try db.cachedStatement(sql: "UPDATE author SET entries = entries + ?, messages = messages + ? WHERE id = ?").execute(arguments: [counts[author] ?? 0, messageCount, author.blob])
        }
        for (room, change) in rooms {
            try db.cachedStatement(sql: """
                    INSERT INTO room (name, messages, last_ts) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET messages = messages + excluded.messages, last_ts = MAX(last_ts, excluded.last_ts)
                    """).execute(arguments: [room, change.count, change.last])
        }
        // The newest profile wins: highest seq, and at a forked seq the higher hash, on every node alike.
        for (author, profile) in profiles {
            try db.cachedStatement(sql: """
                    UPDATE author SET name = ?, dm_key = ?, profile_seq = ?, profile_hash = ?
                    WHERE id = ? AND (profile_seq < ? OR (profile_seq = ? AND profile_hash < ?))
                    """).execute(arguments: [
                    profile.name, profile.dmKey.map { Data($0.bytes) }, Int64(profile.tip.seq), Data(profile.tip.hash.bytes), author.blob, Int64(profile.tip.seq),
                    Int64(profile.tip.seq), Data(profile.tip.hash.bytes),
                ])
        }
        for (author, batch) in batches where counts[author] != nil || !batch.completed.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM tip WHERE author = ?").execute(arguments: [author.blob])
            for (hash, seq) in batch.tips {
                try db.cachedStatement(sql: "INSERT INTO tip (author, hash, seq) VALUES (?, ?, ?)").execute(arguments: [author.blob, Data(hash.bytes), Int64(seq)])
            }
            result.tips[author] = batch.tips.map { AuthorTip(seq: $0.value, hash: $0.key) }.sorted()
        }
        return result
    }

    /// Gives an entry held without its text since it came (a relay dropped it) the text that arrived,
    /// checked against the signed hash. Text this node dropped itself is not taken back: retention and
    /// quotas drop only messages' text, and a message that came whole keeps its room, which a message
    /// that came header-only lacks (its room is in the text). Returns when the held entry is shown.
    private static func fill(_ entry: Entry, payload: [UInt8], room: String?, _ db: Database) throws -> HybridTimestamp? {
        try Int64.fetchOne(
            try db.cachedStatement(sql: """
                UPDATE entry SET payload = ?, room = ? WHERE author = ? AND seq = ? AND hash = ? AND payload IS NULL AND room IS NULL RETURNING sort_ts
                """),
            arguments: [Data(payload), room, entry.author.blob, Int64(entry.seq), Data(entry.hash.bytes)]
        ).map { HybridTimestamp(rawValue: UInt64(bitPattern: $0)) }
    }

    /// Deletes and edits take effect only on the author's own messages; anyone else's is kept and
    /// relayed like any entry, and changes nothing. True when it recorded a delete.
    private static func apply(_ content: EntryContent?, of entry: Entry, _ db: Database) throws -> Bool {
        switch content {
        case .delete(let target) where target.author == entry.author:
            let (author, hash) = (entry.author.blob, Data(target.hash.bytes))
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO retraction (author, target) VALUES (?, ?)").execute(arguments: [author, hash])
            // The message's text, and the text of every edit of it (a revision keeps its edit's seq). Two
            // statements: with an OR between them, SQLite would read every entry of the author.
            try db.cachedStatement(sql: "UPDATE entry SET payload = NULL WHERE author = ? AND seq = ? AND hash = ? AND kind = ?")
                .execute(arguments: [author, Int64(target.seq), hash, Int64(EntryKind.message.rawValue)])
            try db.cachedStatement(sql: "UPDATE entry SET payload = NULL WHERE author = ? AND (seq, hash) IN (SELECT seq, edit FROM revision WHERE author = ? AND target = ?)")
                .execute(arguments: [author, author, hash])
            try db.cachedStatement(sql: "DELETE FROM revision WHERE author = ? AND target = ?").execute(arguments: [author, hash])
            return true
        case .edit(let target, let body) where target.author == entry.author:
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO revision (author, edit, target, seq, ts, body) VALUES (?, ?, ?, ?, ?, ?)").execute(arguments: [
                    entry.author.blob, Data(entry.hash.bytes), Data(target.hash.bytes), Int64(entry.seq),
                    Int64(bitPattern: entry.timestamp.rawValue), body,
                ])
        default:
            break
        }
        return false
    }

    /// Incomplete entries kept per author at most.
    public static let maxWaitingPerAuthor = 10_000

    /// Waiting entries are few, and an author's other entries many: SQLite, without statistics, would
    /// read them all by the primary key (both start with the author), so this and `batch(of:)` name the index.
    private static func waitingCount(_ author: Data, _ db: Database) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM entry INDEXED BY entry_waiting WHERE author = ? AND complete = 0"), arguments: [author]) ?? 0
    }

    private static func isHeld(_ author: Data, _ position: AuthorTip, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            try db.cachedStatement(sql: "SELECT 1 FROM entry WHERE author = ? AND seq = ? AND hash = ?"),
            arguments: [author, Int64(position.seq), Data(position.hash.bytes)]) != nil
    }

    private static func isRetracted(_ author: Data, _ hash: EntryHash, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            try db.cachedStatement(sql: "SELECT 1 FROM retraction WHERE author = ? AND target = ?"), arguments: [author, Data(hash.bytes)]) != nil
    }

    private static func batch(of author: AuthorID, _ db: Database) throws -> AuthorBatch {
        let tips = try Row.fetchAll(try db.cachedStatement(sql: "SELECT hash, seq FROM tip WHERE author = ?"), arguments: [author.blob])
        // One statement for the rest: a pushed message that arrives alone pays this once per transaction.
        let facts = try Row.fetchOne(
            try db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM entry INDEXED BY entry_waiting WHERE author = ?1 AND complete = 0),
                    EXISTS (SELECT 1 FROM retraction WHERE author = ?1), (SELECT MAX(seq) FROM entry WHERE author = ?1)
                """),
            arguments: [author.blob])
        return AuthorBatch(
            tips: Dictionary(uniqueKeysWithValues: try tips.map { (try EntryHash(bytes: Array($0["hash"] as Data)), UInt64($0["seq"] as Int64)) }),
            hasWaiting: facts?[0] ?? false, hasRetractions: facts?[1] ?? false, highestSeq: UInt64(facts?[2] ?? Int64(0)))
    }

    /// Whether an entry linking these would stay within the bound of tips kept per author: it replaces
    /// the tips it links to, and adds one.
    private static func fitsBound(_ links: [EntryHash], _ batch: AuthorBatch) -> Bool {
        batch.tips.count - links.count { batch.tips[$0] != nil } + 1 <= SyncVector.maxTipsPerAuthor
    }

    /// A complete entry becomes a tip in place of those it links to; then every held entry that was
    /// waiting for it and now has everything it links to completes too. Returns how many of those were
    /// refused at the bound (they are removed).
    private static func completed(_ position: AuthorTip, links: [AuthorTip], _ author: Data, _ batch: inout AuthorBatch, _ db: Database) throws -> Int {
        var refused = 0
        var ready = [(position: position, links: links, stored: true)]
        while let next = ready.popLast() {
            let linked = next.links.map(\.hash)
            if !next.stored {
                // Waiting no more, whether it completes or is refused.
                batch.waiting? -= 1
                try unlink(author, next.position, from: linked, db)
                guard fitsBound(linked, batch) else {
                    try forget(author, next.position, db)
                    refused += 1
                    continue
                }
                try db.cachedStatement(sql: "UPDATE entry SET complete = 1 WHERE author = ? AND seq = ? AND hash = ?")
                    .execute(arguments: [author, Int64(next.position.seq), Data(next.position.hash.bytes)])
            }
            for link in linked { batch.tips[link] = nil }
            batch.tips[next.position.hash] = next.position.seq
            batch.completed.insert(next.position)
            guard batch.hasWaiting else { continue }
            // Entries held above this one that now have everything they link to. What each links to is read
            // from its signed header: the link table's key goes by target, so asking it by entry would read all
            // of the author's links, for each entry a filled gap completes (an index for it would cost every
            // insert of a catch-up a tenth more).
            let children = try Row.fetchAll(
                try db.cachedStatement(sql: """
                    SELECT e.header, NULL AS payload FROM link l JOIN entry e ON e.author = l.author AND e.seq = l.seq AND e.hash = l.hash
                    WHERE l.author = ? AND l.target = ? AND e.complete = 0
                    """),
                arguments: [author, Data(next.position.hash.bytes)])
            for row in children {
                let child = try entry(row)
                if try child.links.allSatisfy({ try isComplete(author, $0, in: batch, db) }) {
                    ready.append((child.tip, child.links, false))
                }
            }
        }
        return refused
    }

    /// A link is met only by the entry at its seq with its hash, whether this insert completed it, it is
    /// a tip, or it is stored: the same entries complete alike on every node, however they are batched.
    private static func isComplete(_ author: Data, _ link: AuthorTip, in batch: AuthorBatch, _ db: Database) throws -> Bool {
        if batch.completed.contains(link) || batch.tips[link.hash] == link.seq { return true }
        return try Bool.fetchOne(
            try db.cachedStatement(sql: "SELECT complete FROM entry WHERE author = ? AND seq = ? AND hash = ?"),
            arguments: [author, Int64(link.seq), Data(link.hash.bytes)]) ?? false
    }

    /// The link rows of an entry that waits no more, by their whole key.
    private static func unlink(_ author: Data, _ position: AuthorTip, from links: [EntryHash], _ db: Database) throws {
        for target in links {
            try db.cachedStatement(sql: "DELETE FROM link WHERE author = ? AND target = ? AND seq = ? AND hash = ?")
                .execute(arguments: [author, Data(target.bytes), Int64(position.seq), Data(position.hash.bytes)])
        }
    }

    private static func forget(_ author: Data, _ position: AuthorTip, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM entry WHERE author = ? AND seq = ? AND hash = ?")
            .execute(arguments: [author, Int64(position.seq), Data(position.hash.bytes)])
        try db.cachedStatement(sql: "UPDATE author SET refused_branches = refused_branches + 1, entries = entries - 1 WHERE id = ?").execute(arguments: [author])
    }

    /// Records that the author's log forked if this entry shares its seq with another; true the first time.
    private static func noteFork(of entry: Entry, _ db: Database) throws -> Bool {
        let atSeq = try Int.fetchOne(
            try db.cachedStatement(sql: "SELECT COUNT(*) FROM entry WHERE author = ? AND seq = ?"),
            arguments: [entry.author.blob, Int64(entry.seq)]) ?? 0
        guard atSeq > 1 else { return false }
        try db.cachedStatement(sql: "UPDATE author SET forked = 1 WHERE id = ? AND forked = 0").execute(arguments: [entry.author.blob])
        return db.changesCount == 1
    }
}

extension AuthorTip {
    /// Below every real position: seqs start at 1.
    static let none = AuthorTip(seq: 0, hash: EntryHash(of: []))
}
