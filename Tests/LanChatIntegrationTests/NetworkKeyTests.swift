import Foundation
import LanChatControl
import Testing

/// A closed network on loopback: two nodes with one key chat; a node without a key and a node with
/// another key, each pointed at them, read nothing, inject nothing, and are told why.
@Suite("network key", .timeLimit(.minutes(2)))
struct NetworkKeyTests {
    @Test func outsidersLearnNothingAndInjectNothing() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let key = try await sandbox.keyFile("office"), otherKey = try await sandbox.keyFile("other")
        // Alice and the outsiders know each other's ports: the outsiders restart on theirs, pointed at her.
        var keyless = try await sandbox.startNode("keyless")
        var stranger = try await sandbox.startNode("stranger", keyFiles: [otherKey])
        let keylessPort = try await keyless.port(), strangerPort = try await stranger.port()
        let alice = try await sandbox.startNode("alice", peers: [keyless, stranger], keyFiles: [key])
        let bob = try await sandbox.startNode("bob", peers: [alice], keyFiles: [key])
        for outsider in [keyless, stranger] {
            outsider.signal(SIGTERM)
            try await outsider.waitForExit()
        }
        keyless = try await sandbox.startNode("keyless", peers: [alice], port: keylessPort)
        stranger = try await sandbox.startNode("stranger", peers: [alice], port: strangerPort, keyFiles: [otherKey])
        for (node, name) in [(alice, "Alice"), (bob, "Bob"), (keyless, "Mallory"), (stranger, "Eve")] { try await node.rename(to: name) }
        let aliceID = try await alice.whoami().id

        try await bob.send("the secret plan")
        try await wait(until: { try await alice.history().contains { $0.body == "the secret plan" } }, "Alice to get Bob's message")
        #expect(try await alice.status().networkKeys.count == 1)
        #expect(try await alice.status().networkKeys.first?.sending == true)

        // The outsiders are heard from and refused; they hear Alice's sealed pings and refuse them.
        try await keyless.send("injected without a key")
        try await stranger.send("injected with another key")
        let refusedBefore = try await alice.status().counters.unauthenticated
        try await wait(
            until: {
                let refused = try await alice.status().counters.unauthenticated
                let keylessRefused = try await keyless.status().counters.unauthenticated
                let strangerRefused = try await stranger.status().counters.unauthenticated
                return refused >= refusedBefore + 4 && keylessRefused > 0 && strangerRefused > 0
            }, timeout: .seconds(20), "Alice to refuse the outsiders' datagrams, and them Alice's")

        for insider in [alice, bob] {
            #expect(try await insider.history().allSatisfy { !($0.body ?? "").contains("injected") })
            try await wait(until: {
                Set(try await insider.withControlClient { try $0.request(.who).identities ?? [] }.map(\.name)) == ["Alice", "Bob"]
            }, "each insider to know both insiders' names, and nobody else's")
        }
        for outsider in [keyless, stranger] {
            #expect(try await outsider.history().allSatisfy { ($0.body ?? "").hasPrefix("injected") })
            let known = try await outsider.withControlClient { try $0.request(.who).identities ?? [] }
            #expect(known.count == 1)
            #expect(try await outsider.verifiedPeers().isEmpty)
            let database = try Data(contentsOf: URL(fileURLWithPath: "\(outsider.stateDir)/lanchat.sqlite"))
            for secret in ["the secret plan", "Alice", "Bob", aliceID] {
                #expect(database.range(of: Data(secret.utf8)) == nil, "\(secret) is in an outsider's database")
            }
        }

        let aliceChecks = try await alice.withControlClient { try $0.request(.doctor).checks ?? [] }
        let access = try #require(aliceChecks.first { $0.check == "access" })
        #expect(access.status == .problem)
        #expect(access.items?.contains("a node at 127.0.0.1 uses no network key") == true)
        let strangerKey = try #require(try await stranger.status().networkKeys.first?.fingerprint)
        #expect(access.items?.contains("a node at 127.0.0.1 uses another network key (fingerprint \(strangerKey))") == true)
        let keylessChecks = try await keyless.withControlClient { try $0.request(.doctor).checks ?? [] }
        #expect(keylessChecks.first { $0.check == "access" }?.status == .problem)
    }

    @Test func aKeyFileOthersCanReadOrThatHoldsNoKeyIsAClearError() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let key = try await sandbox.keyFile("office")
        chmod(key, 0o644)
        var daemon = try sandbox.spawnDaemon(extraArguments: ["--network-key-file", key])
        #expect(try await daemon.waitForExit().status != 0)
        #expect(daemon.log.contains("network key file \(key) is open to every user; run: chmod 600 \(key)"))
        #expect(!daemon.log.contains(NetworkKeyText.prefix))

        let bad = "\(sandbox.root)/bad.key"
        FileManager.default.createFile(atPath: bad, contents: Data("# mine\nnot a key\n".utf8), attributes: [.posixPermissions: 0o600])
        daemon = try sandbox.spawnDaemon(extraArguments: ["--network-key-file", bad])
        #expect(try await daemon.waitForExit().status != 0)
        #expect(daemon.log.contains("network key file \(bad): line 2 is not a network key"))
    }

    @Test func keygenPrintsADifferentKeyEachTime() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let first = try await sandbox.lanchatRaw(["keygen"]), second = try await sandbox.lanchatRaw(["keygen"])
        #expect(first.succeeded && second.succeeded)
        for result in [first, second] {
            #expect(result.stdoutLines.count == 1)
            #expect(result.stdout.hasPrefix(NetworkKeyText.prefix) && result.stdout.utf8.count == NetworkKeyText.prefix.utf8.count + 65)
        }
        #expect(first.stdout != second.stdout)
    }
}
