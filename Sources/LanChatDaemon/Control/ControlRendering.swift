import LanChatControl
import LanChatCore

// Core knows nothing of the control protocol; these build its shapes from Core's types.

extension ChatEvent {
    /// A stored entry as people see it: the author's name comes from the identity table now,
    /// not from when the entry was written. Nil for kinds that are not shown.
    init?(entry: Entry, directory: IdentityDirectory) {
        let author = AuthorRef(id: entry.author.text, name: directory.displayName(of: entry.author))
        switch try? entry.content() {
        case .message(let message):
            self.init(
                type: .message, id: entry.key.text, author: author, room: message.room, body: message.body,
                sentAt: Timestamps.rfc3339(millis: entry.timestamp.wallMillis), replyTo: message.replyTo?.text)
        case .profile:
            self.init(type: .profile, author: author)
        case .unknown, nil:
            return nil
        }
    }
}

extension IdentityInfo {
    init(author: AuthorID, directory: IdentityDirectory) {
        self.init(id: author.text, name: directory.displayName(of: author), short: author.short)
    }
}

extension PeerInfo {
    /// ReplicationShell reports a peer's state and sources by their names (Core's `PeerState` and
    /// `PeerSource` raw values, which the wire form shares).
    init(
        id: String?, name: String?, address: String, state: String, lastSeen: String?, behind: Int?, sources: [String]
    ) {
        self.init(
            id: id, name: name, address: address, state: State(rawValue: state) ?? .offline, lastSeen: lastSeen,
            behind: behind, sources: sources.compactMap(Source.init(rawValue:)))
    }
}
