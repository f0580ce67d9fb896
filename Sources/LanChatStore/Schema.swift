import GRDB

/// Migrations from day one: a database written by any release opens in every later one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // `raw` is the canonical signed encoding; sync serves it without re-encoding.
            try db.execute(sql: """
                CREATE TABLE entry (
                    author BLOB NOT NULL,
                    seq INTEGER NOT NULL,
                    ts INTEGER NOT NULL,
                    kind INTEGER NOT NULL,
                    room TEXT,
                    raw BLOB NOT NULL,
                    PRIMARY KEY (author, seq)
                ) WITHOUT ROWID;
                CREATE INDEX entry_room_order ON entry(room, ts, author, seq) WHERE room IS NOT NULL;
                CREATE TABLE author (
                    id BLOB PRIMARY KEY,
                    head INTEGER NOT NULL DEFAULT 0,
                    name TEXT,
                    profile_seq INTEGER NOT NULL DEFAULT 0,
                    messages INTEGER NOT NULL DEFAULT 0
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
        return migrator
    }
}
