import Foundation
import LanChatCore
import LanChatStore

// Helpers for the store tests: a store in a fresh temporary directory, identities, and entries of
// hash-linked logs as peers deliver them.

/// Runs `body` with a new, empty directory that is removed afterwards, whatever happens.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lanchat-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// The store file of a test directory.
func storePath(in directory: URL) -> String {
    directory.appendingPathComponent("lanchat.sqlite").path
}

/// Opens (or re-opens) the store file of a test directory.
/// What the sqlite3 shell prints for `sql` on the store at `path` (read beside the open store: WAL mode).
func sqlite(_ path: String, _ sql: String) throws -> String {
    let shell = Process()
    let output = Pipe()
    shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    shell.arguments = [path, sql]
    shell.standardOutput = output
    try shell.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    shell.waitUntilExit()
    guard shell.terminationStatus == 0 else { throw SQLiteShellFailed(path: path, sql: sql) }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}

struct SQLiteShellFailed: Error {
    let path: String
    let sql: String
}

func openStore(in directory: URL) throws -> EntryStore {
    try EntryStore(path: storePath(in: directory))
}

/// Runs `body` with a store in a fresh temporary directory.
func withStore<T>(_ body: (EntryStore) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in try await body(try openStore(in: directory)) }
}

/// A deterministic identity: the seed is 32 copies of `n`.
func identity(_ n: UInt8) throws -> LocalIdentity {
    try LocalIdentity(seed: [UInt8](repeating: n, count: 32))
}

func stamp(_ millis: UInt64) -> HybridTimestamp {
    HybridTimestamp(wallMillis: millis, counter: 0)
}

/// An entry of `author`'s log as a peer would deliver it: the first (seq 1) without `previous`, else
/// the one after `previous`, linking it. A `previous` that is never inserted leaves a gap.
func entry(_ author: LocalIdentity, after previous: Entry?, at millis: UInt64, _ content: EntryContent) -> Entry {
    Entry.sign(
        by: author, seq: (previous?.seq ?? 0) + 1, timestamp: stamp(millis), links: previous.map { [$0.tip] } ?? [], content: content)
}

func messageEntry(
    _ author: LocalIdentity, after previous: Entry? = nil, at millis: UInt64 = 1_000, room: String = "general", body: String? = nil
) throws -> Entry {
    let seq = (previous?.seq ?? 0) + 1
    return entry(author, after: previous, at: millis, .message(try .init(room: room, body: body ?? "message \(seq)")))
}

func profileEntry(_ author: LocalIdentity, after previous: Entry? = nil, name: String, at millis: UInt64 = 1_000) throws -> Entry {
    entry(author, after: previous, at: millis, try .profile(validating: name, dmKey: nil))
}

/// `count` messages of `author`'s log after `base` (from seq 1 without it), each linking the one
/// before, at `at(seq)`; `tag` tells the bodies of two branches apart.
func messages(
    _ author: LocalIdentity, count: Int, after base: Entry? = nil, at: (UInt64) -> UInt64 = { _ in 1_000 }, tag: String = ""
) throws -> [Entry] {
    var entries: [Entry] = []
    for _ in 0..<count {
        let previous = entries.last ?? base
        let seq = (previous?.seq ?? 0) + 1
        entries.append(try messageEntry(author, after: previous, at: at(seq), body: "message \(seq)\(tag)"))
    }
    return entries
}

extension EntryStore {
    /// One author's tips.
    func tips(of author: AuthorID) async throws -> [AuthorTip] {
        try await syncVector().tips[author] ?? []
    }

    /// The history of a room, as entries only.
    func historyEntries(room: String, limit: Int = 100) async throws -> [Entry] {
        try await history(room: room, limit: limit).map(\.entry)
    }
}
