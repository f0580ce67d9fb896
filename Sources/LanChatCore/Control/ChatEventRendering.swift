extension ChatEvent {
    /// A stored entry as people see it: the author's name comes from the identity table now,
    /// not from when the entry was written. Nil for kinds that are not shown.
    public init?(entry: Entry, directory: IdentityDirectory) {
        let author = AuthorRef(id: entry.author.text, name: directory.displayName(of: entry.author))
        switch try? entry.content() {
        case .message(let message):
            self.init(
                type: "message", id: entry.key.text, author: author, room: message.room, body: message.body,
                sentAt: Timestamps.rfc3339(millis: entry.timestamp.wallMillis), replyTo: message.replyTo?.text)
        case .profile:
            self.init(type: "profile", author: author)
        case .unknown, nil:
            return nil
        }
    }
}

extension IdentityInfo {
    public init(author: AuthorID, directory: IdentityDirectory) {
        self.init(id: author.text, name: directory.displayName(of: author), short: author.short)
    }
}
