import Foundation
import LanChatControl
import Testing

/// Names that read alike, published by three daemons, are each shown with their short ID.
@Suite("look-alike names between daemons", .timeLimit(.minutes(1)))
struct LookAlikeNameTests {
    @Test func threeNamesThatReadAsAliceAreEachShownWithTheirShortID() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let latin = try await sandbox.startNode("latin")
        let nodes = [latin, try await sandbox.startNode("cyrillic", peers: [latin]), try await sandbox.startNode("digit", peers: [latin])]
        // By ID, what Latin's node is to show: the Cyrillic А mixes scripts in a word, so it is flagged too.
        var expected: [String: String] = [:]
        for (node, name) in zip(nodes, ["Alice", "\u{410}lice", "A1ice"]) {
            try await node.rename(to: name)
            try await node.send("hello from \(name)")
            let identity = try await node.whoami()
            expected[identity.id] = name == "\u{410}lice" ? "\(name) ⚠ (\(identity.short))" : "\(name) (\(identity.short))"
        }
        try await wait(until: {
            let who = try await latin.withControlClient { try $0.request(.who).identities ?? [] }
            return Dictionary(uniqueKeysWithValues: who.map { ($0.id, $0.name) }) == expected
        }, "Latin's node to hold all three profiles")
        try await wait(until: { try await latin.history().count == 3 }, "Latin's node to hold all three messages")

        let who = try await sandbox.lanchat(["who", "--json"], socket: latin.socketPath).decoded(IdentityInfo.self)
        #expect(Dictionary(uniqueKeysWithValues: who.map { ($0.id, $0.name) }) == expected)
        let history = try await sandbox.lanchat(["history", "--json"], socket: latin.socketPath).decoded(ChatEvent.self)
        #expect(Set(history.map(\.author.id)) == Set(expected.keys))
        #expect(history.allSatisfy { expected[$0.author.id] == $0.author.name }, "\(history.map(\.author))")
    }
}
