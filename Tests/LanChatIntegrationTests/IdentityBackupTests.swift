import Foundation
import LanChatControl
import Testing

/// Losing the only device: `lanchat identity export` on the old machine, `lanchat identity import` on a
/// new one, which then continues the identity's log where its peers hold it (no fork).
@Suite("identity export and import", .timeLimit(.minutes(1)))
struct IdentityBackupIntegrationTests {
    @Test func anImportedIdentityCarriesOnItsLog() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let old = try await sandbox.startNode("old")
        let peer = try await sandbox.startNode("peer", peers: [old])
        try await old.send("before the laptop was lost")
        let id = try await old.whoami().id
        let exported = try await sandbox.lanchat(["identity", "export"], socket: old.socketPath, stdin: Data("correct horse battery\n".utf8))
        #expect(exported.succeeded, "\(exported)")
        let backup = "\(sandbox.root)/backup.txt"
        FileManager.default.createFile(atPath: backup, contents: Data(exported.stdout.utf8))
        #expect(!exported.stdout.contains(id), "the backup shows the ID only inside its encoding")
        try await wait(until: { try await peer.history().contains { $0.body == "before the laptop was lost" } }, "the peer to hold the message")
        old.signal(SIGTERM)
        try await old.waitForExit()

        let fresh = sandbox.nodePaths("new")
        let wrong = try await ChildProcess.run(
            try Binaries.lanchat(), ["identity", "import", backup, "--state-dir", fresh.stateDir], stdin: Data("not the passphrase\n".utf8))
        #expect(wrong.status != 0)
        #expect(wrong.stderr.hasSuffix("wrong passphrase (or the backup was altered)\n"), "\(wrong)")
        #expect(!FileManager.default.fileExists(atPath: "\(fresh.stateDir)/identity.key"))
        let imported = try await ChildProcess.run(
            try Binaries.lanchat(), ["identity", "import", backup, "--state-dir", fresh.stateDir], stdin: Data("correct horse battery\n".utf8))
        #expect(imported.succeeded, "\(imported)")
        #expect(imported.stdout.contains("never run lanchatd with this identity on the old machine again"))

        // No peer to get its log from (no --peer, no mDNS in these tests): it writes nothing, and says why.
        let alone = try await sandbox.startNode("new")
        let refused = try await sandbox.lanchat(["send", "too early"], socket: alone.socketPath)
        #expect(refused.status == ClientExitStatus.busy.rawValue, "\(refused)")
        #expect(refused.stderr.contains("this identity was imported: it writes once a peer has sent it its log"), "\(refused)")
        alone.signal(SIGTERM)
        #expect(try await alone.waitForExit().status == 0, "it stops cleanly with its gate still closed")

        let new = try await sandbox.startNode("new", peers: [peer])
        #expect(try await new.whoami().id == id)
        // It writes once its first sync brought the log: until then a send is refused as busy.
        var sent: ChatEvent?
        try await wait(until: {
            sent = try? await new.send("from the new laptop")
            return sent != nil
        }, "the imported identity to get its log and write")
        try await wait(until: { try await peer.history().contains { $0.body == "from the new laptop" } }, "the peer to get the new message")
        #expect(Shapes.seq(ofMessageID: sent?.id ?? "") == 3, "the new machine continued the log (profile 1, message 2)")
        #expect(try await peer.status().forks.forked == 0)
        #expect(try await new.history().map(\.body) == ["before the laptop was lost", "from the new laptop"])
        #expect(!FileManager.default.fileExists(atPath: "\(fresh.stateDir)/identity.imported"), "the import's mark goes with the first sync")
    }
}
