import Dispatch
import Glibc
import LanChatCore
import Synchronization

/// Checks a sync batch off the cooperative pool: one signature per hash chain (`HashChain`), the
/// chains' signatures spread over every core.
enum ParallelVerifier {
    static func verify(_ batch: [Entry]) async -> Bool {
        let entries = HashChain.signers(of: batch)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let lanes = min(System.coreCount, max(1, entries.count / 64))
                let failed = Atomic<Bool>(false)
                DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                    for index in stride(from: lane, to: entries.count, by: lanes) {
                        guard !failed.load(ordering: .relaxed) else { return }
                        if !entries[index].hasValidSignature { failed.store(true, ordering: .relaxed) }
                    }
                }
                continuation.resume(returning: !failed.load(ordering: .relaxed))
            }
        }
    }
}

private enum System {
    static let coreCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
