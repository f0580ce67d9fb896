#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// A program run on this one's behalf (the daemon's hooks, `notify-send` for `lanchat notify`). It
/// starts as it would from a shell, whatever the thread that spawns it: no signal blocked (Dispatch's
/// and the concurrency pool's threads block nearly all, and a child inherits the mask), none ignored
/// (the daemon ignores SIGTERM and SIGINT so that only its own handlers see them, and an ignored signal
/// stays ignored across exec: a shell cannot even trap it). It leads a process group of its own, so
/// stopping it by that group's ID also ends what it started. The child gets only its standard input,
/// output and error: not every descriptor here is close-on-exec (NIO's listening sockets are not), and a
/// hook left running in the background must not hold the daemon's ports or accept its connections.
public final class SpawnedProcess: Sendable {
    /// How it ended.
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case killed(signal: Int32)
        /// Ended by `stop()`: it ran past its time limit, or this program is ending.
        case stopped

        public var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .killed(let signal): "was killed by signal \(signal)"
            case .stopped: "was stopped (SIGTERM, then SIGKILL after \(SpawnedProcess.grace))"
            }
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Between SIGTERM and SIGKILL, when stopped.
    public static let grace: Duration = .seconds(2)

    public let pid: pid_t
    /// Our end of the child's standard input, until `wait` has written it.
    private let input: Int32
    private let pendingInput: [UInt8]
    /// Once the process has exited it is not signalled again: its ID may be another process's after it
    /// is reaped. `stopped`: it was signalled by `stop()`.
    private let state = Mutex<(exited: Bool, stopped: Bool)>((false, false))

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module
    /// does not declare: found at run time.
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }

    /// The child closes every descriptor above standard error as it starts. Where glibc is older, the
    /// open ones are marked close-on-exec instead (one opened meanwhile by another thread may slip by).
    private static func closeAllButStandard(_ actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom {
            _ = addCloseFrom(&actions, 3)
            return
        }
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name), fd > 2 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
    }

    /// Starts `arguments` (the first found in `PATH` unless it holds a `/`), with `input` on its standard
    /// input, then end of file; its standard output is discarded, its standard error is this program's.
    public init(_ arguments: [String], input: [UInt8] = []) throws(Failure) {
        precondition(!arguments.isEmpty, "a program to run")
        var ends: [Int32] = [-1, -1]
        // A socket pair rather than a pipe: it is made close-on-exec at once (pipe2 is out of Swift's reach).
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw Failure(description: "cannot start \(arguments[0]): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        Self.closeAllButStandard(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        close(ends[0])
        guard result == 0 else {
            close(ends[1])
            throw Failure(description: "cannot start \(arguments[0]): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        self.input = ends[1]
        pendingInput = input
    }

    /// Hands the process its input, then blocks until it ends (call it once, from a thread that may
    /// block). Once `timeout` has passed it is stopped. Whatever it left running in its group when it was
    /// stopped is killed with it.
    public func wait(timeout: Duration) -> Outcome {
        let limit = DispatchWorkItem { [self] in stop() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout.seconds, execute: limit)
        defer { limit.cancel() }
        writeInput()
        var info = siginfo_t()
        // Waits without reaping: until `exited` is set, the ID is still this process's, and its group's.
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        let stopped = state.withLock { state in
            state.exited = true
            if state.stopped { kill(-pid, SIGKILL) }
            return state.stopped
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        if stopped { return .stopped }
        // The layout of a wait status (<sys/wait.h>), whose macros Swift does not import.
        return status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .killed(signal: status & 0x7f)
    }

    /// SIGTERM to its group now, SIGKILL `grace` later unless it has exited by then.
    public func stop() {
        signal(SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.grace.seconds) { [self] in signal(SIGKILL) }
    }

    private func signal(_ number: Int32) {
        state.withLock { state in
            guard !state.exited else { return }
            state.stopped = true
            kill(-pid, number)
        }
    }

    /// A child that does not read its input blocks this write only until its time limit ends it; one
    /// that closed its input early just misses the rest.
    private func writeInput() {
        defer { close(input) }
        var offset = 0
        while offset < pendingInput.count {
            let written = pendingInput[offset...].withUnsafeBytes { send(input, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

extension Duration {
    /// In seconds, for Dispatch's deadlines.
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
