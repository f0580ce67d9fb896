import Foundation
import Testing

/// A failure of the harness itself (a timeout, a process that would not start), thrown so that the
/// test stops with a message saying what it was waiting for.
struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every ~20 ms until it holds; fails the test (by throwing) once `timeout` has passed.
/// `what` says what was awaited, so a timeout reads like "timed out after 10 s waiting for <what>".
func wait(
    until condition: () async throws -> Bool,
    timeout: Duration = .seconds(10),
    _ what: @autoclosure () -> String,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if try await condition() { return }
        if clock.now >= deadline {
            let message = "timed out after \(timeout) waiting for \(what())"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            throw HarnessError(message)
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}
