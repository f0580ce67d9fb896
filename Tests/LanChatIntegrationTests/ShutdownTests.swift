import Foundation
import LanChatControl
import LanChatStore
import Testing

/// What a daemon starts (syncs, store writes) belongs to its services: a SIGTERM cancels and awaits
/// all of it before the state directory's lock is released, so a daemon started next on the same
/// directory never shares it with a write of the old one.
@Suite("shutdown during a sync", .timeLimit(.minutes(3)))
struct ShutdownTests {
    static let authors = 20
    static let history = 40_000

    @Test("SIGTERM during a large sync: nothing is written once the state directory's lock is free")
    func noWriteAfterTheLockIsReleased() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let source = sandbox.nodePaths("a")
        try await SyntheticHistory.make(at: source.stateDir, authors: Self.authors, total: Self.history)
        let a = try await sandbox.startDaemon(stateDir: source.stateDir, socket: source.socket)
        let everything = try await a.status().entries
        let b = try await sandbox.startNode("b", peers: [a])

        // Mid-sync: B holds some of the history, far from all of it.
        try await wait(until: { try await b.status().entries > 1_000 }, timeout: .seconds(60), "b to receive part of the history")
        b.signal(SIGTERM)
        let lock = "\(b.stateDir)/lanchatd.lock"
        try await wait(until: { Self.lockIsFree(lock) }, timeout: .seconds(30), "b to release its state directory; log:\n\(b.log)")
        let atRelease = Self.databaseFiles(in: b.stateDir)
        let exit = try await b.waitForExit(timeout: .seconds(30))
        #expect(exit.reason == .exit && exit.status == 0, "log:\n\(b.log)")
        #expect(Self.databaseFiles(in: b.stateDir) == atRelease, "b wrote to its database after releasing its lock")

        // What B stored is sound, and it was really cut short: a restarted B finishes the sync.
        let again = try await sandbox.startDaemon(
            stateDir: b.stateDir, socket: b.socketPath, extraArguments: ["--peer", "127.0.0.1:\(try await a.port())"])
        let resumed = try await again.status().entries
        #expect(resumed > 1_000 && resumed < everything + 1, "b held \(resumed) of \(everything + 1) entries after the stop")
        try await wait(
            until: { try await again.status().entries == everything + 1 }, timeout: .seconds(90), "the restarted b to catch up")
    }

    /// Whether this process can take the lock (and so the daemon has let it go); it is let go at once.
    private static func lockIsFree(_ path: String) -> Bool {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }

    /// Size and modification time of the database and its WAL files: any write changes one of them.
    private static func databaseFiles(in stateDir: String) -> [String: String] {
        var files: [String: String] = [:]
        for name in ["lanchat.sqlite", "lanchat.sqlite-wal", "lanchat.sqlite-shm"] {
            var info = stat()
            guard stat("\(stateDir)/\(name)", &info) == 0 else { continue }
            files[name] = "\(info.st_size) bytes, modified \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        return files
    }
}
