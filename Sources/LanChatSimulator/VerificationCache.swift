import LanChatCore
import Synchronization

/// Signature checks shared by every simulated node: each distinct entry (by hash, so a forgery with the
/// same fields but another signature is a different entry) and each distinct alive is verified once per
/// simulation, however many nodes receive it. A thousand nodes checking every delivery themselves would
/// spend minutes in Ed25519.
final class VerificationCache: EntryVerifying, AliveVerifying {
    private let results = Mutex<[EntryHash: Bool]>([:])
    private let alives = Mutex<[AliveKey: Bool]>([:])
    private let checks = Atomic<Int>(0)

    func verify(_ entries: [Entry]) -> Bool {
        entries.allSatisfy { entry in
            let hash = entry.hash
            if let known = results.withLock({ $0[hash] }) { return known }
            checks.add(1, ordering: .relaxed)
            let valid = entry.hasValidSignature
            results.withLock { $0[hash] = valid }
            return valid
        }
    }

    /// An alive is the same for every receiver but for the address it names, which is not signed.
    private struct AliveKey: Hashable {
        let subject: AuthorID
        let incarnation: UInt64
        let signature: [UInt8]
    }

    func verify(_ alive: MembershipUpdate, network: String) -> Bool {
        let key = AliveKey(subject: alive.subject, incarnation: alive.incarnation, signature: alive.signature)
        if let known = alives.withLock({ $0[key] }) { return known }
        checks.add(1, ordering: .relaxed)
        let valid = alive.isSignedAlive(network: network)
        alives.withLock { $0[key] = valid }
        return valid
    }

    /// Ed25519 checks actually run.
    var signatureChecks: Int { checks.load(ordering: .relaxed) }
}
