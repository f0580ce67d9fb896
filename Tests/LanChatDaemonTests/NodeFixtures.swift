import Foundation
import LanChatCore
@testable import LanChatDaemon
import LanChatStore
import Logging

/// Runs `body` with a node of a fixed identity over a store in a fresh directory, removed afterwards.
func withNode<T>(_ body: (Node) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lanchat-node-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try EntryStore(path: directory.appendingPathComponent("lanchat.sqlite").path)
    let identity = try LocalIdentity(seed: [UInt8](repeating: 7, count: 32))
    return try await body(try await Node(identity: identity, store: store, logger: Logger(label: "test")))
}
