import LanChatCore

/// Runs an operation, cancelling it if it outlasts the deadline.
func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw SyncFailure.timedOut
        }
        // The first to finish wins; the other is cancelled.
        let result = try await group.next()!
        group.cancelAll()
        return result
    }
}
