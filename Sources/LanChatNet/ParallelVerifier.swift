import Dispatch
import Glibc
import LanChatCore
import Synchronization

/// Checks signatures spread over every core, off the cooperative pool: a sync batch (one signature per
/// hash chain, `HashChain`) or a burst of pushes (`PushBurst`; a burst too small to share is checked
/// on the caller's thread).
public enum ParallelVerifier {
    /// Whether every entry of a sync batch is signed by its author.
    static func verify(_ batch: [Entry]) async -> Bool {
        await offPool { validity(of: HashChain.signers(of: batch)).allSatisfy { $0 } }
    }

    /// The authentic entries of a burst of pushes, and how many were forged. A small burst is checked on
    /// the caller's thread: handing a message or two to another thread costs a wake-up more than it saves.
    public static func authentic(_ burst: [Entry]) async -> (authentic: [Entry], forged: Int) {
        guard burst.count >= laneSize else { return PushBurst.authentic(burst, validity: validity(of:)) }
        return await offPool { PushBurst.authentic(burst, validity: validity(of:)) }
    }

    private static let laneSize = 64

    private static func offPool<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// One lane per core once there are enough signatures to share (a lane's start costs more than a few checks).
    private static func validity(of entries: [Entry]) -> [Bool] {
        let lanes = min(System.coreCount, max(1, entries.count / laneSize))
        guard lanes > 1 else { return entries.map(\.hasValidSignature) }
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: entries.count)
        results.initialize(repeating: false)
        defer { results.deallocate() }
        let shared = SharedResults(results)
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for index in stride(from: lane, to: entries.count, by: lanes) {
                shared.buffer[index] = entries[index].hasValidSignature
            }
        }
        return Array(results)
    }
}

/// Lanes write disjoint indices of one buffer, and `concurrentPerform` returns only after every lane did.
private struct SharedResults: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Bool>
    init(_ buffer: UnsafeMutableBufferPointer<Bool>) { self.buffer = buffer }
}

private enum System {
    static let coreCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
