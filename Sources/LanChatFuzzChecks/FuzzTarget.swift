/// One decoder of input from the network or the control socket, as fuzzed by `Fuzz/` and replayed
/// by `make test`. Both call `check`, so the fuzzers and the replay test check the same invariants.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `Entry.decode` without the signature check (as sync batches and the store use it).
    case entry
    /// `Entry.decode` with the signature check, against the same bytes decoded without it.
    case entrySigned = "entry-signed"
    /// `Datagram.decode`: every UDP packet.
    case datagram
    /// `DatagramOpener.open` on a closed network (and on an open one), then the datagram inside.
    case sealedDatagram = "sealed-datagram"
    /// `SyncFrame.decode`: every TCP sync frame (type byte and body).
    case syncFrame = "sync-frame"
    /// `SyncVector.decode`: the body of a vector frame, directly and inside the frame.
    case syncVector = "sync-vector"
    /// A control socket stream: split into lines as the daemon splits it, each line decoded as a
    /// `ControlCommand` and answered.
    case controlRequest = "control-request"

    /// The directory name under `Fuzz/corpus/` and `Fuzz/crashes/`, and the fuzzer's name without `fuzz-`.
    public var name: String { rawValue }

    /// Decodes `bytes` and checks what must hold of whatever the decoder accepts. Returns whether it
    /// accepted them; refusing bad input is no violation. A broken invariant throws, a trap traps.
    public func check(_ bytes: [UInt8]) throws(FuzzViolation) -> FuzzOutcome {
        switch self {
        case .entry: try FormatChecks.entry(bytes)
        case .entrySigned: try FormatChecks.signedEntry(bytes)
        case .datagram: try FormatChecks.datagram(bytes)
        case .sealedDatagram: try FormatChecks.sealedDatagram(bytes)
        case .syncFrame: try FormatChecks.syncFrame(bytes)
        case .syncVector: try FormatChecks.syncVector(bytes)
        case .controlRequest: try ControlChecks.stream(bytes)
        }
    }

    /// The body of a libFuzzer `LLVMFuzzerTestOneInput`: checks the input and traps on a violation,
    /// so libFuzzer keeps the input as a crash.
    public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> Int32 {
        let bytes = [UInt8](UnsafeRawBufferPointer(start: count == 0 ? nil : start, count: count))
        do {
            _ = try check(bytes)
        } catch {
            fatalError("fuzz-\(name): \(error)")
        }
        return 0
    }
}

public enum FuzzOutcome: Sendable, Equatable {
    /// The decoder accepted the input, and every invariant held.
    case accepted
    /// The decoder refused the input with an error, as it should.
    case refused
}

/// An invariant that did not hold for an input the decoder accepted.
public struct FuzzViolation: Error, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Throws a violation unless `condition` holds.
func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws(FuzzViolation) {
    if !condition { throw FuzzViolation(message()) }
}
