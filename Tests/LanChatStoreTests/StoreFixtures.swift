import Foundation
import LanChatCore
import LanChatStore

// Helpers for the store tests: a store in a fresh temporary directory, identities and entries.

/// Runs `body` with a new, empty directory that is removed afterwards, whatever happens.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lanchat-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Opens (or re-opens) the store file of a test directory.
func openStore(in directory: URL) throws -> EntryStore {
    try EntryStore(path: directory.appendingPathComponent("lanchat.sqlite").path)
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

/// A message of `author`'s log, as a peer would deliver it.
func messageEntry(
    _ author: LocalIdentity, seq: UInt64, at millis: UInt64 = 1_000, room: String = "general", body: String? = nil
) throws -> Entry {
    let content = EntryContent.message(try .init(room: room, body: body ?? "message \(seq)"))
    return Entry.sign(by: author, seq: seq, timestamp: stamp(millis), content: content)
}

func profileEntry(_ author: LocalIdentity, seq: UInt64, name: String, at millis: UInt64 = 1_000) throws -> Entry {
    Entry.sign(by: author, seq: seq, timestamp: stamp(millis), content: try .profile(validating: name))
}
