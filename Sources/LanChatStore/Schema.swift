import GRDB

/// Migrations: a database written by any release opens in every later one. Format 1 (before logs
/// were hash-linked) never shipped and is not read; such a database is refused with a clear message.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v2-hash-linked") { db in
            // An entry is named by its hash: one author may have two entries at one seq (a fork).
            // `header` is the signed part as received; `payload` is NULL once dropped. `complete` is 1 when
            // every entry it links to, down to seq 1, is held: only complete entries count as tips.
            // `sort_ts` is what history sorts by: the author's timestamp, or the arrival time where the
            // author's clock ran too far ahead.
            try db.execute(sql: """
                CREATE TABLE entry (
                    author BLOB NOT NULL,
                    hash BLOB NOT NULL,
                    seq INTEGER NOT NULL,
                    ts INTEGER NOT NULL,
                    sort_ts INTEGER NOT NULL,
                    arrived INTEGER NOT NULL,
                    kind INTEGER NOT NULL,
                    room TEXT,
                    header BLOB NOT NULL,
                    payload BLOB,
                    complete INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (author, hash)
                ) WITHOUT ROWID;
                CREATE INDEX entry_seq ON entry(author, seq);
                CREATE INDEX entry_room_order ON entry(room, sort_ts, author, seq) WHERE room IS NOT NULL;
                CREATE TABLE link (
                    author BLOB NOT NULL,
                    target BLOB NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (author, target, hash)
                ) WITHOUT ROWID;
                CREATE TABLE tip (
                    author BLOB NOT NULL,
                    hash BLOB NOT NULL,
                    seq INTEGER NOT NULL,
                    PRIMARY KEY (author, hash)
                ) WITHOUT ROWID;
                CREATE TABLE author (
                    id BLOB PRIMARY KEY,
                    name TEXT,
                    profile_seq INTEGER NOT NULL DEFAULT 0,
                    profile_hash BLOB,
                    messages INTEGER NOT NULL DEFAULT 0,
                    forked INTEGER NOT NULL DEFAULT 0,
                    refused_branches INTEGER NOT NULL DEFAULT 0
                ) WITHOUT ROWID;
                CREATE TABLE room (
                    name TEXT PRIMARY KEY,
                    messages INTEGER NOT NULL DEFAULT 0,
                    last_ts INTEGER NOT NULL DEFAULT 0
                ) WITHOUT ROWID;
                CREATE TABLE peer (
                    address TEXT PRIMARY KEY,
                    author BLOB,
                    last_seen INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-edits-deletes-retention") { db in
            // A signed delete of a message (by its own author) drops that message's payload on every node;
            // it is remembered so the payload is dropped too when the message arrives after its delete.
            // Every edit of a message is recorded (so a delete can drop the text of each), and the newest
            // (highest seq) replaces the message's text where it is shown. Payloads dropped by retention or
            // by an author's quota are counted per author, for `status`.
            try db.execute(sql: """
                CREATE TABLE retraction (
                    author BLOB NOT NULL,
                    target BLOB NOT NULL,
                    PRIMARY KEY (author, target)
                ) WITHOUT ROWID;
                CREATE TABLE revision (
                    author BLOB NOT NULL,
                    edit BLOB NOT NULL,
                    target BLOB NOT NULL,
                    seq INTEGER NOT NULL,
                    ts INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (author, edit)
                ) WITHOUT ROWID;
                CREATE INDEX revision_target ON revision(author, target, seq);
                ALTER TABLE author ADD COLUMN payloads_dropped INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v2-entry-counts") { db in
            // Entries held per author, kept as they are stored and forgotten: `status` reads a sum over
            // authors instead of counting every entry, which cost a full index scan per call.
            try db.execute(sql: """
                ALTER TABLE author ADD COLUMN entries INTEGER NOT NULL DEFAULT 0;
                UPDATE author SET entries = (SELECT COUNT(*) FROM entry WHERE entry.author = author.id);
                """)
        }
        migrator.registerMigration("v2-payload-fetch") { db in
            // Entries stored without their payload although nobody deleted it (it came header-only from a
            // relay that had dropped it): asked of peers until one sends it, or `asked` sessions in a row
            // found none that held it. The insert adds a row; triggers remove it on every path that fills,
            // forgets or retracts the entry. What this node drops itself (a delete, retention, a quota) had
            // its payload, so it never enters. A database from before counts an entry as missing only where
            // this node never dropped that author's text.
            try db.execute(sql: """
                CREATE TABLE payload_missing (
                    author BLOB NOT NULL,
                    seq INTEGER NOT NULL,
                    hash BLOB NOT NULL,
                    asked INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (author, seq, hash)
                ) WITHOUT ROWID;
                CREATE TRIGGER payload_missing_filled AFTER UPDATE OF payload ON entry WHEN NEW.payload IS NOT NULL
                BEGIN
                    DELETE FROM payload_missing WHERE author = NEW.author AND seq = NEW.seq AND hash = NEW.hash;
                END;
                CREATE TRIGGER payload_missing_forgotten AFTER DELETE ON entry
                BEGIN
                    DELETE FROM payload_missing WHERE author = OLD.author AND seq = OLD.seq AND hash = OLD.hash;
                END;
                CREATE TRIGGER payload_missing_retracted AFTER INSERT ON retraction
                BEGIN
                    DELETE FROM payload_missing WHERE author = NEW.author AND hash = NEW.target;
                END;
                INSERT INTO payload_missing (author, seq, hash)
                    SELECT e.author, e.seq, e.hash FROM entry e JOIN author a ON a.id = e.author
                    WHERE e.payload IS NULL AND a.payloads_dropped = 0
                        AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.author = e.author AND r.target = e.hash);
                """)
        }
        migrator.registerMigration("v2-direct-messages") { db in
            // The key direct messages to an author are sealed to, from its newest profile (NULL: it published
            // none; no profile held before this migration had one).
            // Direct messages in the order shown, for the conversations of this node's identity (they have no room);
            // link and unlink entries, read at every start (`DeviceLinks`).
            // Where each local Unix user stopped reading each conversation: this machine's, never synced.
            try db.execute(sql: """
                ALTER TABLE author ADD COLUMN dm_key BLOB;
                CREATE INDEX entry_direct ON entry(sort_ts, author, seq) WHERE kind = 5;
                CREATE INDEX entry_links ON entry(kind) WHERE kind IN (6, 7);
                CREATE TABLE dm_read (
                    uid INTEGER NOT NULL,
                    peer BLOB NOT NULL,
                    read_ts INTEGER NOT NULL,
                    PRIMARY KEY (uid, peer)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-mutes") { db in
            // People whose messages this machine's views hide: local, never synced.
            try db.execute(sql: "CREATE TABLE mute (person BLOB PRIMARY KEY) WITHOUT ROWID")
        }
        migrator.registerMigration("v2-aliases") { db in
            // Names this machine gives people (`lanchat alias`): local, never synced.
            try db.execute(sql: "CREATE TABLE alias (person BLOB PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID")
        }
        migrator.registerMigration("v2-dm-read-arrival") { db in
            // Conversation markers by arrival here, as room markers are: one written while its author was
            // away carries its older time. Markers kept by shown time start again (none had shipped).
            try db.execute(sql: """
                DROP TABLE dm_read;
                CREATE TABLE dm_read (
                    uid INTEGER NOT NULL,
                    peer BLOB NOT NULL,
                    read_arrived INTEGER NOT NULL,
                    PRIMARY KEY (uid, peer)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-room-read") { db in
            // Where each local Unix user stopped reading each room (when the newest message read arrived):
            // this machine's, never synced.
            try db.execute(sql: """
                CREATE TABLE room_read (
                    uid INTEGER NOT NULL,
                    room TEXT NOT NULL,
                    read_arrived INTEGER NOT NULL,
                    PRIMARY KEY (uid, room)
                ) WITHOUT ROWID
                """)
        }
        migrator.registerMigration("v2-entry-waiting") { db in
            // Entries waiting for one they link to: few, and asked about for every author of every
            // stored batch. Without it, each question read all of that author's entries.
            try db.execute(sql: "CREATE INDEX entry_waiting ON entry(author) WHERE complete = 0")
        }
        migrator.registerMigration("v2-room-arrival") { db in
            // Room markers are by arrival here: how many arrived after one, and the newest, per room, for every
            // `rooms` and every "read up to here" the chat sends.
            try db.execute(sql: "CREATE INDEX entry_room_arrived ON entry(room, arrived) WHERE room IS NOT NULL")
        }
        migrator.registerMigration("v2-entry-by-seq") { db in
            // Entries filed by position: an author's new entries go to the end of its run of the table, so
            // a burst of them shares a page or two, where filed by hash each took a page of its own in
            // every transaction. Every lookup names the seq (links, tips and references all carry it), so
            // no index by hash is kept, and the primary key serves what `entry_seq` did. Links are kept only
            // for entries waiting for one they link to (the insert asks by target only to complete them; a
            // complete entry's links are read from its signed header), with the waiting entry's seq. CROSS JOIN
            // keeps `link` outside: led by `entry_waiting`, SQLite read all of an author's links per waiting
            // entry (hours for a log of a million with thousands waiting).
            try db.execute(sql: """
                CREATE TABLE link_by_seq (
                    author BLOB NOT NULL,
                    target BLOB NOT NULL,
                    seq INTEGER NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (author, target, seq, hash)
                ) WITHOUT ROWID;
                INSERT INTO link_by_seq (author, target, seq, hash)
                    SELECT l.author, l.target, e.seq, l.hash FROM link l CROSS JOIN entry e ON e.author = l.author AND e.hash = l.hash
                    WHERE e.complete = 0;
                DROP TABLE link;
                ALTER TABLE link_by_seq RENAME TO link;
                """)
            try rekey("entry", from: "author, hash", to: "author, seq, hash", dropping: ["entry_seq"], db)
        }
        return migrator
    }

    /// Rebuilds a table under another primary key (columns named as in its definition), which SQLite
    /// cannot alter: its definition as it stands (with every column added since) with the key replaced,
    /// its rows in the new key's order, and its indexes (but `dropping`) and triggers as they stand.
    /// Only for a table no view and no other table's trigger names: the rename would fail on them.
    private static func rekey(_ table: String, from oldKey: String, to newKey: String, dropping: Set<String>, _ db: Database) throws {
        let objects = try Row.fetchAll(
            db, sql: "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = ? AND sql IS NOT NULL", arguments: [table])
        let (oldClause, newClause) = ("PRIMARY KEY (\(oldKey))", "PRIMARY KEY (\(newKey))")
        guard let definition = objects.first(where: { $0["type"] as String == "table" })?["sql"] as String?,
            definition.contains(oldClause), let columns = definition.firstIndex(of: "(")
        else {
            throw DatabaseError(message: "table \(table) has no \(oldClause) to replace")
        }
        let rebuilt = "\(table)_rekeyed"
        try db.execute(sql: "CREATE TABLE \(rebuilt) " + definition[columns...].replacingOccurrences(of: oldClause, with: newClause))
        try db.execute(sql: "INSERT INTO \(rebuilt) SELECT * FROM \(table) ORDER BY \(newKey)")
        try db.execute(sql: "DROP TABLE \(table)")
        try db.execute(sql: "ALTER TABLE \(rebuilt) RENAME TO \(table)")
        for object in objects where object["type"] as String != "table" && !dropping.contains(object["name"]) {
            try db.execute(sql: object["sql"])
        }
    }

    /// The migration that created a format 1 database.
    static let formatOneMigration = "v1"
}
