import ServiceLifecycle

/// Runs a service's work until graceful shutdown (SIGTERM, SIGINT), which ends it by cancellation;
/// that ending is the normal one, not an error to report.
func untilShutdown(_ work: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown(work)
    } catch is CancellationError {
        return
    }
}
