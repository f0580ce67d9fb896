import Dispatch
import Glibc
import LanChatCore
import Synchronization

/// Checks the signatures of a batch of entries on every core, off the cooperative pool: catch-up is
/// bound by Ed25519.
enum ParallelVerifier {
    static func verify(_ entries: [Entry]) async -> Bool {
        await withCheckedContinuation { continuation in
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
