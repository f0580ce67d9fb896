import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock nanoseconds (CLOCK_REALTIME).
///
/// The Serf event handler stamps with bash's `$EPOCHREALTIME`, a builtin that reads CLOCK_REALTIME
/// without forking; nothing as cheap reads CLOCK_MONOTONIC from a shell (`/proc/uptime` has 10 ms
/// resolution, a Python or Perl stamper costs 3–15 ms to start). On one machine both clocks advance
/// together (NTP slews them alike); only a step of the system clock separates them, and
/// `SerfBench.latency` fails the run if one happens.
func nowRealtimeNanos() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Delivery latency of a user event to all agents of a Serf cluster on loopback.
struct SerfLatency {
    /// Milliseconds, one per event delivered to every agent, in sending order: from just before
    /// `serf event` was launched until the last agent's handler stamped it (the sender's agent counts too).
    let samples: [Double]
    /// Handler runs seen across all agents (at most `sent * nodes`).
    let delivered: Int
    /// Events that `serf event` accepted.
    let sent: Int
    /// Milliseconds from launching the handler (`/bin/sh -c handler`, as Serf does) until it stamped:
    /// part of every sample above, not subtracted. Measured with the cluster running.
    var handlerStartupMs: [Double] = []
    /// Milliseconds each `serf event` command took to return (it only hands the event to agent 0).
    var eventCommandMs: [Double] = []
}

enum SerfBench {
    /// nil (with the reason) when serf is not installed: callers print the reason and skip Serf's rows.
    static func unavailableReason() -> String? {
        guard let serf = which("serf") else {
            return "serf is not installed (Debian: apt-get install serf); skipping Serf"
        }
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else {
            return "/bin/bash is missing (the Serf event handler is a bash script); skipping Serf"
        }
        do {
            _ = try run(serf, ["version"], timeout: 10)
        } catch {
            return "\(serf) does not run (\(error)); skipping Serf"
        }
        return nil
    }

    /// Starts `nodes` Serf agents on 127.0.0.1 (LAN profile, unicast gossip, no discovery), sends
    /// `events` user events through agent 0, one every `interval` seconds, and measures when each
    /// reached every agent's event handler.
    ///
    /// Works in a fresh subdirectory of `workDirectory` (created if missing), which is removed
    /// afterwards together with `workDirectory` itself if this call created it and it is empty.
    /// All agents are stopped (SIGTERM, SIGKILL after 2 s) on every exit path.
    static func latency(nodes: Int, events: Int, interval: Double, workDirectory: String) throws -> SerfLatency {
        guard nodes >= 1, nodes <= 200 else { throw BenchError("serf: nodes must be 1…200, not \(nodes)") }
        guard events >= 0, events <= 100_000 else { throw BenchError("serf: events must be 0…100000, not \(events)") }
        guard interval >= 0, interval <= 60 else { throw BenchError("serf: interval must be 0…60 s, not \(interval)") }
        guard let serf = which("serf") else { throw BenchError("serf is not installed") }

        let files = FileManager.default
        let createdParent = !files.fileExists(atPath: workDirectory)
        let directory = (workDirectory as NSString).appendingPathComponent("serf-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let agents = Agents()
        defer {
            agents.stop()
            try? files.removeItem(atPath: directory)
            if createdParent { rmdir(workDirectory) }
        }

        let handler = (directory as NSString).appendingPathComponent("handler.sh")
        try handlerScript(directory: directory).write(toFile: handler, atomically: true, encoding: .utf8)
        guard chmod(handler, 0o755) == 0 else { throw BenchError("serf: cannot make \(handler) executable") }

        let clockOffset = Int64(bitPattern: nowRealtimeNanos() &- nowNanos())

        // Agents: gossip port (TCP + UDP) and RPC port (TCP) each, all on 127.0.0.1.
        let ports = try freePorts(2 * nodes)
        let gossip = (0 ..< nodes).map { "127.0.0.1:\(ports[2 * $0])" }
        let rpc = (0 ..< nodes).map { "127.0.0.1:\(ports[2 * $0 + 1])" }
        func arguments(_ index: Int) -> [String] {
            var arguments = [
                "agent", "-node", "n\(index)", "-bind", gossip[index], "-advertise", gossip[index],
                "-rpc-addr", rpc[index], "-profile", "lan", "-log-level", "warn",
                "-event-handler", "user:bench=\(shellQuoted(handler))",
            ]
            if index > 0 { arguments += ["-join", gossip[0]] }
            return arguments
        }

        try agents.start(serf, arguments(0), log: "\(directory)/n0.log")
        try waitFor("serf agent n0 to answer on \(rpc[0])", timeout: 15) {
            try agents.checkRunning()
            return (try? run(serf, ["members", "-rpc-addr", rpc[0]], timeout: 5)) != nil || pause(0.1)
        }
        for index in 1 ..< nodes {
            try agents.start(serf, arguments(index), log: "\(directory)/n\(index).log")
        }
        // Every agent sees every agent alive before anything is measured.
        let convergence = 20 + 0.5 * Double(nodes)
        let convergenceDeadline = nowNanos() + UInt64(convergence * 1e9)
        for index in 0 ..< nodes {
            let left = max(0.5, Double(convergenceDeadline &- min(convergenceDeadline, nowNanos())) / 1e9)
            try waitFor("serf agent n\(index) to list all \(nodes) agents alive", timeout: left) {
                try agents.checkRunning()
                return aliveCount(serf, rpc: rpc[index]) == nodes || pause(0.1)
            }
        }

        let handlerStartup = try measureHandlerStartup(handler: handler, directory: directory, runs: 20)

        // Events, paced from a monotonic start; each send time is taken just before `serf event` launches.
        var sendTimes = [UInt64?](repeating: nil, count: events)
        var commandMs: [Double] = []
        var failures: [String] = []
        let start = nowNanos()
        for index in 0 ..< events {
            pace(until: start + UInt64(Double(index) * interval * 1e9))
            let sendTime = nowRealtimeNanos()
            let launched = nowNanos()
            do {
                try run(serf, ["event", "-rpc-addr", rpc[0], "-coalesce=false", "bench", "m\(index)"], timeout: 10)
                sendTimes[index] = sendTime
            } catch {
                failures.append("m\(index): \(error)")
            }
            commandMs.append(Double(nowNanos() - launched) / 1e6)
            if index >= 2, sendTimes[(index - 2) ... index].allSatisfy({ $0 == nil }) {
                throw BenchError("serf event failed 3 times in a row, last \(failures.last ?? "?")")
            }
        }
        let sent = sendTimes.compactMap { $0 }.count
        if sent == 0 && events > 0 {
            throw BenchError("serf event failed every time, e.g. \(failures.first ?? "?")")
        }

        // Deliveries: wait a few seconds for every handler file to hold every sent event.
        let expected = Set(sendTimes.indices.filter { sendTimes[$0] != nil })
        var stamps: [[Int: UInt64]] = []
        let collectDeadline = nowNanos() + UInt64((5 + interval) * 1e9)
        repeat {
            stamps = (0 ..< nodes).map { readStamps("\(directory)/n\($0).stamps") }
            if stamps.allSatisfy({ expected.isSubset(of: $0.keys) }) { break }
            usleep(50_000)
        } while nowNanos() < collectDeadline

        let drift = Int64(bitPattern: nowRealtimeNanos() &- nowNanos()) - clockOffset
        guard abs(drift) < 1_000_000 else {
            throw BenchError("serf: the system clock was stepped by \(Double(drift) / 1e6) ms during the run; run again")
        }

        var samples: [Double] = []
        var delivered = 0
        for index in 0 ..< events {
            guard let sendTime = sendTimes[index] else { continue }
            let arrivals = stamps.compactMap { $0[index] }
            delivered += arrivals.count
            if arrivals.count == nodes, let last = arrivals.max() {
                samples.append(Double(Int64(bitPattern: last &- sendTime)) / 1e6)
            }
        }
        return SerfLatency(samples: samples, delivered: delivered, sent: sent,
                           handlerStartupMs: handlerStartup, eventCommandMs: commandMs)
    }

    // MARK: - Handler

    /// The user-event handler: stamps first (bash builtin, no fork), then reads the payload Serf writes to
    /// its stdin and appends `<payload> <realtime ns>` to `<directory>/<node name>.stamps`. Serf runs one
    /// handler at a time per agent, so appends to a file never interleave.
    private static func handlerScript(directory: String) -> String {
        """
        #!/bin/bash
        # lanchat-bench: Serf user-event handler (written and removed by lanchat-bench).
        # $EPOCHREALTIME is CLOCK_REALTIME in microseconds ("s.uuuuuu", the dot may follow the locale).
        t=$EPOCHREALTIME
        IFS= read -r payload
        printf '%s %s000\\n' "$payload" "${t//[!0-9]/}" >> \(shellQuoted(directory))/"$SERF_SELF_NAME".stamps

        """
    }

    /// Launches the handler the way Serf does (`/bin/sh -c <script>`, payload on stdin) and returns the
    /// milliseconds from just before launch until its stamp.
    private static func measureHandlerStartup(handler: String, directory: String, runs: Int) throws -> [Double] {
        var environment = ProcessInfo.processInfo.environment
        environment["SERF_SELF_NAME"] = "probe"
        var launches: [Int: UInt64] = [:]
        for index in 0 ..< runs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shellQuoted(handler)]
            process.environment = environment
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let done = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in done.signal() }
            launches[index] = nowRealtimeNanos()
            try process.run()
            input.fileHandleForWriting.write(Data("p\(index)\n".utf8))
            try? input.fileHandleForWriting.close()
            if done.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw BenchError("serf: the event handler did not finish within 5 s")
            }
            usleep(20_000)
        }
        let stamps = readStamps("\(directory)/probe.stamps")
        return (0 ..< runs).compactMap { index in
            guard let stamp = stamps[index], let launch = launches[index] else { return nil }
            return Double(Int64(bitPattern: stamp &- launch)) / 1e6
        }
    }

    /// `m<index> <ns>` or `p<index> <ns>` lines; the first stamp of each index wins.
    private static func readStamps(_ path: String) -> [Int: UInt64] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var stamps: [Int: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, fields[0].count > 1, let index = Int(fields[0].dropFirst()),
                let stamp = UInt64(fields[1]), stamps[index] == nil
            else { continue }
            stamps[index] = stamp
        }
        return stamps
    }

    // MARK: - Agents

    /// The agents this run started, stopped by PID only.
    private final class Agents {
        private var processes: [(process: Process, log: String)] = []

        func start(_ serf: String, _ arguments: [String], log: String) throws {
            guard FileManager.default.createFile(atPath: log, contents: nil),
                let output = FileHandle(forWritingAtPath: log)
            else { throw BenchError("serf: cannot create \(log)") }
            defer { try? output.close() }
            let process = Process()
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = output
            try launchTied(process, serf, arguments)
            processes.append((process, log))
        }

        /// Throws (with the end of its log) if an agent has exited.
        func checkRunning() throws {
            guard let dead = processes.first(where: { !$0.process.isRunning }) else { return }
            let log = (try? String(contentsOfFile: dead.log, encoding: .utf8)) ?? ""
            let tail = log.split(separator: "\n").suffix(5).joined(separator: " | ")
            let arguments = dead.process.arguments ?? []
            let node = arguments.firstIndex(of: "-node").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } ?? "?"
            throw BenchError("serf agent \(node) exited (\(dead.process.terminationStatus)): \(tail)")
        }

        /// SIGTERM to every agent, SIGKILL to those still running 2 s later; reaps them all.
        func stop() {
            for entry in processes where entry.process.isRunning {
                kill(entry.process.processIdentifier, SIGTERM)
            }
            let deadline = nowNanos() + 2_000_000_000
            while processes.contains(where: { $0.process.isRunning }) && nowNanos() < deadline {
                usleep(20_000)
            }
            for entry in processes where entry.process.isRunning {
                kill(entry.process.processIdentifier, SIGKILL)
            }
            for entry in processes { entry.process.waitUntilExit() }
            processes.removeAll()
        }
    }

    /// Members that agent at `rpc` lists as alive; -1 when it does not answer.
    private static func aliveCount(_ serf: String, rpc: String) -> Int {
        guard let output = try? run(serf, ["members", "-rpc-addr", rpc, "-status=alive"], timeout: 5) else { return -1 }
        return output.split(separator: "\n").filter { $0.split(separator: " ").dropFirst(2).first == "alive" }.count
    }

    // MARK: - Helpers

    /// `count` distinct ports free for TCP and UDP on 127.0.0.1, taken below the kernel's ephemeral
    /// range so that no outgoing connection grabs one before its agent binds it.
    private static func freePorts(_ count: Int) throws -> [UInt16] {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))?
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) } ?? []
        let ephemeralLow = range.count == 2 ? range[0] : 32768
        let ephemeralHigh = range.count == 2 ? range[1] : 60999
        let candidates: Range<Int> =
            ephemeralLow - 10_000 >= 2_000 ? 10_000 ..< ephemeralLow
            : 65_535 - ephemeralHigh >= 2_000 ? ephemeralHigh + 1 ..< 65_536
            : 10_000 ..< 65_536
        var ports: [UInt16] = []
        var offset = Int.random(in: 0 ..< candidates.count)
        for _ in 0 ..< candidates.count where ports.count < count {
            let port = candidates.lowerBound + offset
            offset = (offset + 1) % candidates.count
            if canBind(port, SOCK_STREAM) && canBind(port, SOCK_DGRAM) { ports.append(UInt16(port)) }
        }
        guard ports.count == count else { throw BenchError("serf: found only \(ports.count) of \(count) free ports on 127.0.0.1") }
        return ports
    }

    private static func canBind(_ port: Int, _ type: __socket_type) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(type.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Sleeps until a monotonic deadline.
    private static func pace(until deadline: UInt64) {
        let now = nowNanos()
        if deadline > now { usleep(useconds_t((deadline - now) / 1000)) }
    }

    /// Sleeps and returns false: lets a polled condition read `check() || pause(0.1)`.
    private static func pause(_ seconds: Double) -> Bool {
        usleep(useconds_t(seconds * 1e6))
        return false
    }
}
