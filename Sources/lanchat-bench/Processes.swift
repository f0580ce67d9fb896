import Foundation

/// Monotonic nanoseconds, comparable across the bench's threads.
func nowNanos() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls until `condition` holds, or fails after `timeout` seconds saying what was awaited.
func waitFor(_ what: String, timeout: Double, _ condition: () throws -> Bool) throws {
    let deadline = nowNanos() + UInt64(timeout * 1e9)
    while !(try condition()) {
        guard nowNanos() < deadline else { throw BenchError("timed out after \(timeout) s waiting for \(what)") }
        usleep(10_000)
    }
}

/// CPU time (user + system) and resident memory of a process, from /proc.
struct ProcessUsage {
    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    static func cpuSeconds(_ pid: pid_t) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return .nan }
        // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / ticksPerSecond
    }

    /// Times any thread of the process went to sleep or was put off the CPU (`voluntary_ctxt_switches` plus
    /// `nonvoluntary_ctxt_switches` of each of its threads): how often its work crossed from one thread to another.
    static func threadSwitches(_ pid: pid_t) -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.reduce(0) { total, task in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) else { return total }
            return total + status.split(separator: "\n").filter { $0.contains("ctxt_switches:") }
                .reduce(0) { $0 + (Int($1.split(separator: "\t").last ?? "") ?? 0) }
        }
    }

    /// Resident memory in MB: `VmRSS` (all of it, shared library pages included) or `RssAnon` (the process's own).
    static func rssMegabytes(_ pid: pid_t, field: String = "VmRSS") -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return .nan }
        return kilobytes / 1024
    }
}

/// Runs a command and returns its standard output; throws on a non-zero exit, and kills it (by PID)
/// if it has not exited after `timeout` seconds. Its output must be small (read after exit).
@discardableResult
func run(_ executable: String, _ arguments: [String], timeout: Double = 120) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    if done.wait(timeout: .now() + timeout) == .timedOut {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw BenchError("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
    }
    process.waitUntilExit()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    guard process.terminationStatus == 0 else {
        throw BenchError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
}

/// Finds an executable on PATH.
func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Starts a child that ends with the bench: Foundation puts each child in its own process group, so
/// a Ctrl-C or kill of the bench would not reach it; util-linux's `setpriv` execs the program (same
/// PID) with a parent-death signal. Without setpriv, the program is started directly.
func launchTied(_ process: Process, _ executable: String, _ arguments: [String]) throws {
    if let setpriv = tiedLauncher {
        process.executableURL = URL(fileURLWithPath: setpriv)
        process.arguments = ["--pdeathsig", "TERM", "--", executable] + arguments
    } else {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
    }
    try process.run()
}

private let tiedLauncher = which("setpriv")
