/// Checks entries' signatures, for whoever drives the sync machine's `.verify` and `PushBurst`: the
/// daemon checks each signature (on every core, `ParallelVerifier`), the simulator each distinct entry
/// once per run, however many simulated nodes receive it (`VerificationCache`).
public protocol EntryVerifying: Sendable {
    /// Whether every entry is signed by its author.
    func verify(_ entries: [Entry]) -> Bool
}

/// One Ed25519 check per hash chain in the batch, on the calling thread.
public struct SignatureVerifier: EntryVerifying {
    public init() {}

    public func verify(_ entries: [Entry]) -> Bool { HashChain.signers(of: entries).allSatisfy(\.hasValidSignature) }
}
