import Foundation
import LanChatControl
import LanChatCore
import Testing

@Suite("secrets and file modes", .timeLimit(.minutes(1)))
struct SecurityTests {
    private func mode(_ path: String) throws -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw HarnessError("cannot stat \(path): \(String(cString: strerror(errno)))") }
        return info.st_mode & 0o7777
    }

    private func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    @Test("key file 0600, state dir 0700, socket 0600; the key never reaches the log or the CLI")
    func fileModesAndSecrecy() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        // A permissive umask must not widen anything (children inherit ours).
        let previousUmask = umask(0o022)
        defer { umask(previousUmask) }
        let first = try await sandbox.startDaemon()

        let keyPath = "\(sandbox.stateDir)/identity.key"
        let stateMode = try mode(sandbox.stateDir)
        let keyMode = try mode(keyPath)
        let socketMode = try mode(first.socketPath)
        #expect(stateMode == 0o700, "state dir mode \(String(stateMode, radix: 8))")
        #expect(keyMode == 0o600, "key file mode \(String(keyMode, radix: 8))")
        #expect(isSocket(first.socketPath))
        #expect(socketMode == 0o600, "socket mode \(String(socketMode, radix: 8))")
        for name in try FileManager.default.contentsOfDirectory(atPath: sandbox.stateDir) {
            let fileMode = try mode("\(sandbox.stateDir)/\(name)")
            #expect(fileMode & 0o077 == 0, "\(name) is open to group or others: \(String(fileMode, radix: 8))")
        }

        let key = try #require(FileManager.default.contents(atPath: keyPath))
        #expect(key.count == 32, "the key file holds a 32-byte Ed25519 seed")

        // Activity that logs: sends, a rename, a restart (which loads the key), a refused second daemon.
        let outputs = [
            try await sandbox.lanchat("send", "hello"),
            try await sandbox.lanchat("name", "Secretive"),
            try await sandbox.lanchat("whoami", "--json"),
            try await sandbox.lanchat("status", "--json"),
            try await sandbox.lanchat("who", "--json"),
            try await sandbox.lanchat("history", "--json"),
        ]
        let refused = try sandbox.spawnDaemon()
        try await refused.waitForExit()
        first.signal(SIGTERM)
        try await first.waitForExit()
        _ = try await sandbox.startDaemon()
        let afterRestart = try await sandbox.lanchat("status", "--json")
        #expect(try mode(keyPath) == 0o600)
        #expect(try mode(sandbox.socketPath) == 0o600)

        let log = sandbox.allDaemonLogs()
        #expect(!log.isEmpty, "the daemons logged nothing at all")
        let text = String(decoding: log, as: UTF8.self)
        let bytes = Array(key)
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let base64 = key.base64EncodedString()
        let base64URL = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let forms: [(String, String)] = [
            ("base32", Base32.encode(bytes)),
            ("BASE32", Base32.encode(bytes).uppercased()),
            ("hex", hex),
            ("HEX", hex.uppercased()),
            ("base64", base64),
            ("base64 unpadded", base64.replacingOccurrences(of: "=", with: "")),
            ("base64url", base64URL.replacingOccurrences(of: "=", with: "")),
            ("byte list", bytes.map(String.init).joined(separator: ", ")),
        ]
        for (name, form) in forms {
            #expect(!text.contains(form), "the daemon log contains the private key (\(name))")
            for output in outputs + [afterRestart] {
                #expect(!output.stdout.contains(form) && !output.stderr.contains(form), "`\(output.command)` printed the private key (\(name))")
            }
        }
        #expect(log.range(of: key) == nil, "the daemon log contains the raw key bytes")
        // Bodies are not logged at info level either.
        #expect(!text.contains("hello"), "the daemon logged a message body:\n\(text)")
    }
}
