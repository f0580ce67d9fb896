import LanChatCore

/// A simulated node that misbehaves. It runs the real replicator like every other node (so it is
/// discovered and talked to), and on top of that:
public enum Adversary: Equatable, Sendable {
    /// Pushes entries under honest authors' IDs with signatures that do not verify, and, in syncs it
    /// serves, claims a newer entry of someone else and sends a forgery of it.
    case forger
    /// Sends datagrams it received again, to everyone it knows, long after.
    case replayer
    /// Sends this many junk datagrams to one peer every protocol period.
    case flooder(datagramsPerPeriod: Int)
    /// Completes sync handshakes, then never sends another frame.
    case staller
    /// Claims the ID of this other node in every datagram it sends (it cannot prove it in a handshake).
    case impostor(of: Int)
    /// Every period, tells a few peers that every peer it knows is suspect (it cannot sign their refutations).
    case slanderer
}
