#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Blocking work (waiting for a process to end, reading a pipe or socket until it closes) on a thread of
/// its own. Not on Dispatch's global queue: on Linux its pool starts with one thread per core and adds
/// about one a second while those block, so a few waits there stall everything else queued on it for
/// seconds, Foundation's notice that a child process ended among them. Not on the concurrency pool either,
/// whose few threads run every actor and task.
public enum DedicatedThread {
    /// Starts `work` on a new thread and returns at once; the thread ends with `work`.
    public static func start(_ work: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Work(work)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { context in
            let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
            work.body()
            return nil
        }, context)
        // Out of threads (EAGAIN): Dispatch's pool, slow to grow but still beside the caller, which may be waiting
        // for this very work (a reader of the pipe it does not read, a time limit on what it waits for).
        if result != 0 { DispatchQueue.global().async(execute: Unmanaged<Work>.fromOpaque(context).takeRetainedValue().body) }
    }

    /// Runs `work` on a new thread and waits for its result without holding any thread meanwhile.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            start { continuation.resume(with: Result { try work() }) }
        }
    }

    /// `run` for work that cannot fail.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            start { continuation.resume(returning: work()) }
        }
    }

    private final class Work: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
