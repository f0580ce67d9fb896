import Foundation
import LanChatCore
import Synchronization

/// A state directory holding `total` signed messages from `authors` identities, as if a busy office
/// had been chatting for months: the starting point for catch-up and footprint benchmarks and for
/// tests of long syncs.
public enum SyntheticHistory {
    public static func make(at stateDir: String, authors: Int, total: Int) async throws {
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let store = try EntryStore(path: "\(stateDir)/lanchat.sqlite")
        let perAuthor = total / authors
        let start = UInt64(Date().timeIntervalSince1970 * 1000) - UInt64(perAuthor) * 1000
        let identities = (0..<authors).map { _ in LocalIdentity.generate() }
        // Signing dominates: spread it over every core, one author per task.
        let signed = Mutex<[[Entry]]>(Array(repeating: [], count: authors))
        DispatchQueue.concurrentPerform(iterations: authors) { index in
            let identity = identities[index]
            var entries = [Entry.sign(by: identity, seq: 1, timestamp: HybridTimestamp(wallMillis: start, counter: 0),
                                      content: .profile(name: "Colleague \(index)"))]
            for seq in 1...perAuthor {
                // Distinct, valid content; rooms spread over a few.
                let message = try! EntryContent.Message(room: "room\(seq % 5)", body: "message \(seq) from colleague \(index)")
                entries.append(Entry.sign(
                    by: identity, seq: UInt64(seq + 1), timestamp: HybridTimestamp(wallMillis: start + UInt64(seq) * 1000, counter: UInt16(index)),
                    links: [entries[entries.count - 1].tip], content: .message(message)))
            }
            signed.withLock { $0[index] = entries }
        }
        for entries in signed.withLock({ $0 }) {
            for chunk in stride(from: 0, to: entries.count, by: 5000) {
                _ = try await store.insert(Array(entries[chunk..<min(chunk + 5000, entries.count)]))
            }
        }
    }
}
