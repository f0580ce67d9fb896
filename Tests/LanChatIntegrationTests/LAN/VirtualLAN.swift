import Foundation
import LanChatControl
import LanChatCore
import Testing

/// A virtual office LAN made by `scripts/lan`: hosts in their own network, mount and UTS namespaces
/// on one bridge, each with its own D-Bus, Avahi and lanchatd. Needs root. `down()` (call it from
/// `defer`) removes everything, also after a failure.
final class VirtualLAN: Sendable {
    let prefix: String
    private let script: String
    private let environment: [String: String]

    struct Host: ControlEndpoint {
        let number: Int
        let name: String
        let ip: String
        let socketPath: String
        let logPath: String
        /// lanchatd's `--state-dir` on that host.
        let stateDir: String

        var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    }

    /// Brings a LAN up, runs `body`, and takes the LAN down again whether `body` succeeded or threw.
    /// `family`: `v4`, `v6` (link-local IPv6 only, no IPv4 at all), `dual`, or one of them per host, comma-separated.
    static func with(_ count: Int, family: String = "v4", prefix: String, _ body: (VirtualLAN) async throws -> Void) async throws {
        let lan = try await up(count, family: family, prefix: prefix)
        do {
            try await body(lan)
        } catch {
            await lan.down()
            throw error
        }
        await lan.down()
    }

    private static func up(_ count: Int, family: String, prefix: String) async throws -> VirtualLAN {
        guard getuid() == 0 else {
            throw HarnessError("the virtual LAN tests need root (network namespaces): run `make test` as root")
        }
        let lan = try VirtualLAN(prefix: prefix)
        let result = try await lan.script(["up", String(count), "--family", family], timeout: .seconds(120))
        guard result.succeeded else {
            await lan.down()
            throw HarnessError("scripts/lan up failed: \(result)")
        }
        return lan
    }

    private init(prefix: String) throws {
        self.prefix = prefix
        let binaries = try Binaries.directory.get()
        var root = binaries
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("scripts/lan").path) {
            guard root.path != "/" else { throw HarnessError("cannot find scripts/lan above \(binaries.path)") }
            root.deleteLastPathComponent()
        }
        script = root.appendingPathComponent("scripts/lan").path
        var environment = ChildProcess.environment
        environment["LANCHAT_NO_MDNS"] = nil
        environment["LANCHATD"] = binaries.appendingPathComponent("lanchatd").path
        environment["LANCHAT"] = binaries.appendingPathComponent("lanchat").path
        self.environment = environment
    }

    func down() async {
        _ = try? await script(["down"], timeout: .seconds(60))
    }

    func host(_ number: Int) async throws -> Host {
        let info = try await script(["info", "h\(number)"])
        guard info.succeeded else { throw HarnessError("scripts/lan info failed: \(info)") }
        var fields: [String: String] = [:]
        for line in info.stdoutLines {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let name = fields["name"], let ip = fields["ip"], let socket = fields["socket"], let log = fields["log"],
            let state = fields["lanchat_state_dir"]
        else {
            throw HarnessError("scripts/lan info gave no name, ip, socket, log or state directory: \(info)")
        }
        return Host(number: number, name: name, ip: ip, socketPath: socket, logPath: log, stateDir: state)
    }

    /// Starts lanchatd on a host (no `--peer`: discovery is mDNS's job) and waits for its socket.
    @discardableResult
    func startDaemon(_ number: Int, _ arguments: [String] = []) async throws -> Host {
        try await must(["start-daemon", "h\(number)"] + arguments, timeout: .seconds(40))
        return try await host(number)
    }

    func stopDaemon(_ number: Int) async throws { try await must(["stop-daemon", "h\(number)"]) }
    func avahi(_ number: Int, _ action: String) async throws { try await must(["avahi", "h\(number)", action]) }
    func netem(_ number: Int, _ arguments: String...) async throws { try await must(["netem", "h\(number)"] + arguments) }
    func cut(_ number: Int) async throws { try await must(["cut", "h\(number)"]) }
    /// Runs `command` inside a host and waits for it to succeed.
    func run(_ number: Int, _ command: [String]) async throws { try await must(["exec", "h\(number)"] + command) }
    func reconnect(_ number: Int) async throws { try await must(["reconnect", "h\(number)"]) }

    /// `lanchat ARGS` run inside the host.
    func lanchat(_ number: Int, _ arguments: String...) async throws -> ProcessResult {
        try await script(["lanchat", "h\(number)"] + arguments)
    }

    private func must(_ arguments: [String], timeout: Duration = .seconds(30)) async throws {
        let result = try await script(arguments, timeout: timeout)
        guard result.succeeded else { throw HarnessError("scripts/lan \(arguments.joined(separator: " ")) failed: \(result)") }
    }

    /// Starts `command` inside a host and leaves it running (`scripts/lan exec` and nsenter exec it, so
    /// the process is the command itself): `stop(_:)` ends it and the processes it forked.
    func spawn(_ number: Int, _ command: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "--prefix", prefix, "exec", "h\(number)"] + command
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ChildProcess.spawn { try process.run() }
        return process
    }

    func stop(_ process: Process) {
        let pid = process.processIdentifier
        // Its children by PID, as the kernel lists them: a forking server leaves one per client.
        let children = ((try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? "")
            .split(separator: " ").compactMap { pid_t($0) }
        for child in children { kill(child, SIGTERM) }
        ChildProcess.end([process])
    }

    private func script(_ arguments: [String], timeout: Duration = .seconds(30)) async throws -> ProcessResult {
        try await ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"), [script, "--prefix", prefix] + arguments, timeout: timeout, environment: environment)
    }
}

extension VirtualLAN {
    /// Starts lanchatd on hosts 1…count (with `arguments`) and waits until each has proven all the others.
    func startMeshed(_ count: Int, _ arguments: [String] = []) async throws -> [Host] {
        var hosts: [Host] = []
        for number in 1...count { hosts.append(try await startDaemon(number, arguments)) }
        for host in hosts {
            try await wait(until: { try await host.verifiedPeers().count == count - 1 }, timeout: .seconds(10),
                           "\(host.name) to find its peers (log:\n\(host.log))")
        }
        return hosts
    }

    static func expectEverywhere(_ hosts: [Host], hold ids: Set<String>, timeout: Duration = .seconds(10)) async throws {
        for host in hosts {
            try await wait(until: { Set(try await host.history(limit: ControlLimits.maxHistory).compactMap(\.id)).isSuperset(of: ids) },
                           timeout: timeout, "\(host.name) to hold all \(ids.count) messages")
        }
    }
}
