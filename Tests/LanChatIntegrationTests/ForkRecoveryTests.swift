import Foundation
import LanChatControl
import Testing

/// A restored state directory and one identity on two machines: whatever happens, every node ends with
/// every acknowledged message, forks are merged, and `doctor` says what happened.
@Suite("restored backups and twins", .timeLimit(.minutes(2)))
struct ForkRecoveryTests {
    private func bodies(_ node: Daemon) async throws -> Set<String> {
        Set(try await node.history().compactMap(\.body))
    }

    private func waitForBodies(_ expected: Set<String>, on nodes: [Daemon], _ what: String) async throws {
        for node in nodes {
            try await wait(until: { try await bodies(node).isSuperset(of: expected) }, timeout: .seconds(20), "\(what) on \(node.stateDir)")
        }
    }

    private func copyStateDirectory(_ from: String, to: String) throws {
        try? FileManager.default.removeItem(atPath: to)
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }

    private func stop(_ node: Daemon) async throws {
        node.signal(SIGTERM)
        try await node.waitForExit()
    }

    private func doctor(_ sandbox: Sandbox, _ node: Daemon) async throws -> (checks: [DoctorCheck], result: ProcessResult) {
        let result = try await sandbox.lanchat(["doctor", "--json"], socket: node.socketPath)
        return (try result.decoded(DoctorCheck.self), result)
    }

    @Test("a node restored from a backup asks its peers first: nothing lost, no fork")
    func restoreWithPeersDoesNotFork() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        var a = try await sandbox.startNode("a")
        let b = try await sandbox.startNode("b", peers: [a])
        try await a.send("before the backup")
        try await stop(a)
        let backup = "\(sandbox.root)/a-backup"
        try copyStateDirectory(a.stateDir, to: backup)

        a = try await sandbox.startDaemon(stateDir: a.stateDir, socket: a.socketPath, extraArguments: ["--peer", "127.0.0.1:\(try await b.port())"])
        try await a.send("after the backup 1")
        try await a.send("after the backup 2")
        try await waitForBodies(["after the backup 2"], on: [b], "the messages after the backup")
        try await stop(a)

        try copyStateDirectory(backup, to: a.stateDir)
        a = try await sandbox.startDaemon(stateDir: a.stateDir, socket: a.socketPath, extraArguments: ["--peer", "127.0.0.1:\(try await b.port())"])
        let next = try await a.send("after the restore")
        #expect(next.id?.hasSuffix("/5") == true, "the restored node must continue after what it wrote since the backup: \(next)")
        let all: Set = ["before the backup", "after the backup 1", "after the backup 2", "after the restore"]
        try await waitForBodies(all, on: [a, b], "every message")
        #expect(try await b.status().forks.forked == 0)
        #expect(try await doctor(sandbox, a).checks.first { $0.check == "log" }?.status == .ok)
    }

    @Test("a backup restored with no peer in reach forks; both sides reach everyone, the next message merges it")
    func forkedRestoreConvergesAndIsMerged() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        var a = try await sandbox.startNode("a")
        var b = try await sandbox.startNode("b", peers: [a])
        let bPort = try await b.port()
        try await a.send("one")
        try await stop(a)
        let backup = "\(sandbox.root)/a-backup"
        try copyStateDirectory(a.stateDir, to: backup)
        a = try await sandbox.startDaemon(stateDir: a.stateDir, socket: a.socketPath, extraArguments: ["--peer", "127.0.0.1:\(bPort)"])
        try await a.send("two (lost by the restore)")
        try await waitForBodies(["two (lost by the restore)"], on: [b], "the message the restore loses")
        try await stop(a)
        try await stop(b)

        // Restored while B is down: after waiting for it in vain, A writes over the seq it lost.
        try copyStateDirectory(backup, to: a.stateDir)
        a = try await sandbox.startDaemon(stateDir: a.stateDir, socket: a.socketPath, extraArguments: ["--peer", "127.0.0.1:\(bPort)"])
        try await a.send("two (after the restore)")
        b = try await sandbox.startDaemon(stateDir: b.stateDir, socket: b.socketPath, extraArguments: ["--port", "\(bPort)"])
        let forked: Set = ["one", "two (lost by the restore)", "two (after the restore)"]
        try await waitForBodies(forked, on: [a, b], "both sides of the fork")
        try await wait(until: { try await a.status().forks.own == .open }, timeout: .seconds(10), "a to see its own log forked")
        let before = try await doctor(sandbox, a)
        #expect(before.checks.first { $0.check == "log" }?.status == .problem, "\(before.result)")
        #expect(before.result.status == 1, "doctor exits 1 on a problem: \(before.result)")

        try await a.send("merged")
        try await waitForBodies(forked.union(["merged"]), on: [a, b], "the merge")
        try await wait(until: { try await b.status().forks.open == 0 }, timeout: .seconds(10), "b to see the fork merged")
        #expect(try await b.status().forks.forked == 1)
        #expect(try await doctor(sandbox, b).checks.first { $0.check == "log" }?.status == .ok)
        // Merged or not, this node's own fork needs someone to act (a restored backup, or a second machine).
        let after = try await doctor(sandbox, a)
        #expect(after.checks.first { $0.check == "log" }?.status == .problem && after.result.status == 1, "\(after.result)")
        let restoredID = try await a.whoami().id
        let who = try await b.withControlClient { try $0.request(.who).identities ?? [] }
        #expect(who.first { $0.id == restoredID }?.fork == .closed, "who must mark the merged fork: \(who)")
    }

    @Test("two copies of one state directory find each other by their sync handshake alone, before either writes")
    func twinsAreFoundByTheHandshake() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        var a = try await sandbox.startNode("a")
        let entries = try await a.status().entries
        try await stop(a)
        let twinPaths = sandbox.nodePaths("twin")
        try copyStateDirectory(a.stateDir, to: twinPaths.stateDir)
        a = try await sandbox.startDaemon(stateDir: a.stateDir, socket: a.socketPath)
        let twin = try await sandbox.startDaemon(
            stateDir: twinPaths.stateDir, socket: twinPaths.socket, extraArguments: ["--peer", "127.0.0.1:\(try await a.port())"])

        for node in [a, twin] {
            try await wait(until: { try await node.status().forks.twin }, timeout: .seconds(20), "\(node.stateDir) to see its twin")
            let report = try await doctor(sandbox, node)
            #expect(report.checks.contains { $0.check == "log" && $0.status == .problem && $0.detail.contains("another machine") }, "\(report.result)")
            #expect(report.result.status == 1)
            // Found, the twin is no peer: not synced with again and again.
            try await wait(until: { try await node.peers().isEmpty }, "\(node.stateDir) to drop its twin from its peers")
            #expect(try await node.status().entries == entries, "nothing was written: the handshake alone told")
        }
    }

    @Test("one identity on two machines: every message of both reaches everyone, and doctor names the twin")
    func twinsAreDetectedAndLoseNothing() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let hub = try await sandbox.startNode("hub")
        var a = try await sandbox.startNode("a", peers: [hub])
        try await a.send("from a, before the copy")
        try await stop(a)
        let twinPaths = sandbox.nodePaths("twin")
        try copyStateDirectory(a.stateDir, to: twinPaths.stateDir)
        let hubPeer = ["--peer", "127.0.0.1:\(try await hub.port())"]
        a = try await sandbox.startDaemon(stateDir: a.stateDir, socket: a.socketPath, extraArguments: hubPeer)
        let twin = try await sandbox.startDaemon(stateDir: twinPaths.stateDir, socket: twinPaths.socket, extraArguments: hubPeer)

        var sent: Set<String> = ["from a, before the copy"]
        for round in 0..<3 {
            try await a.send("a \(round)")
            try await twin.send("twin \(round)")
            sent.formUnion(["a \(round)", "twin \(round)"])
        }
        try await waitForBodies(sent, on: [hub, a, twin], "every acknowledged message")
        try await wait(
            until: {
                let seenByA = try await a.status().forks.twin
                let seenByTwin = try await twin.status().forks.twin
                return seenByA || seenByTwin
            }, timeout: .seconds(20), "a twin to notice the other")
        let reports = [try await doctor(sandbox, a), try await doctor(sandbox, twin)]
        #expect(reports.contains { $0.checks.contains { $0.check == "log" && $0.status == .problem && $0.detail.contains("another machine") } })
    }
}
