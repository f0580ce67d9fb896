import LanChatControl

/// What the chat asks its shell to do: requests to the daemon, or leaving. The model decides; the
/// shell (`ChatSession`) carries it out and reports back.
public enum ChatAction: Sendable, Hashable {
    case send(body: String, room: String, mentions: [MentionSpan])
    case sendDirect(to: String, body: String)
    /// Fetch the history of a room or conversation, replacing what the chat holds of it.
    case load(ChatTarget)
    case markRead(ChatTarget)
    case rename(String)
    case who
    case alias(id: String, name: String)
    case edit(id: String, body: String)
    case delete(id: String)
    /// Someone's name changed: names on every line, the column and completion must be fetched again.
    case refreshNames
    case quit

    public var isMarkRead: Bool {
        if case .markRead = self { return true }
        return false
    }
}
