import LanChatControl
import LanChatCore
@testable import LanChatDaemon
import Testing

@Suite("Node's local writes")
struct NodeWriteTests {
    @Test func concurrentSendsGetDistinctSeqsInCommitOrder() async throws {
        try await withNode { node in
            try await node.ensureProfile(created: true)
            let running = Task { try await node.run() }
            let sent = try await withThrowingTaskGroup(of: ChatEvent.self) { group in
                for index in 0..<50 {
                    group.addTask { try await node.send(room: "general", body: "message \(index)", replyTo: nil) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let seqs = sent.compactMap { $0.id?.split(separator: "/").last.flatMap { UInt64($0) } }
            #expect(seqs.sorted() == Array(2...51))

            // Replication sees every local entry once, in seq order, timestamps rising with them.
            var commits: [Entry] = []
            var transactions = 0
            for await entries in node.localCommits {
                commits += entries
                transactions += 1
                if commits.count >= 51 { break }
            }
            #expect(commits.map(\.seq) == Array(1...51))
            // Sends that came while a commit was under way shared the next one (group commit).
            #expect(transactions < 51)
            #expect(zip(commits, commits.dropFirst()).allSatisfy { $0.timestamp < $1.timestamp })
            #expect(try await node.history(room: "general", limit: 100).count == 50)

            running.cancel()
            try await running.value
            await #expect(throws: ControlFailure(.unavailable, "the daemon is stopping")) {
                try await node.send(room: "general", body: "too late", replyTo: nil)
            }
        }
    }

    /// A lone send commits on its caller's task; a caller cancelled (connections closing at shutdown) either
    /// stored its message or is told the daemon is stopping, never a storage failure for a write that was kept.
    @Test func aCancelledSendIsStoredOrRefusedAsStopping() async throws {
        try await withNode { node in
            try await node.ensureProfile(created: true)
            let running = Task { try await node.run() }
            var stored: Set<String> = []
            for index in 0..<20 {
                let body = "cancelled \(index)"
                let send = Task { try await node.send(room: "general", body: body, replyTo: nil) }
                send.cancel()
                do {
                    _ = try await send.value
                    stored.insert(body)
                } catch {
                    #expect(error as? ControlFailure == ControlFailure(.unavailable, "the daemon is stopping"))
                }
            }
            let history = try await node.history(room: "general", limit: 100)
            #expect(Set(history.compactMap(\.body)) == stored)
            running.cancel()
            try await running.value
        }
    }

    @Test func invalidContentIsRefusedBeforeItIsQueued() async throws {
        try await withNode { node in
            await #expect(throws: ControlFailure.self) { try await node.send(room: "Bad Room", body: "x", replyTo: nil) }
            await #expect(throws: ControlFailure(.badRequest, "replyTo must be an ID like <author>/<seq>")) {
                try await node.send(room: "general", body: "x", replyTo: "nope")
            }
        }
    }
}
