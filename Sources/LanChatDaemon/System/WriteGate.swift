/// When a daemon may start writing (`Node`'s write gate).
enum WriteGate {
    /// An identity imported from a backup (`lanchatd --import-identity`): its log is elsewhere, so it
    /// writes nothing, not even a profile, until a sync with a peer brought it, however long that takes.
    /// `synced` then clears the state directory's mark, and later starts are ordinary.
    struct Importing: Sendable {
        let synced: @Sendable () -> Void
    }
}
