import LanChatControl

/// Where a message goes and what the rooms column lists: a room, or the direct messages with one person.
public enum ChatTarget: Hashable, Sendable {
    case room(String)
    /// The other person by ID (their first device): names change, IDs do not.
    case direct(id: String)

    public var room: String? {
        if case .room(let name) = self { return name }
        return nil
    }
}

/// One entry of the rooms column and everything the chat holds for it.
public struct Conversation: Sendable {
    public let target: ChatTarget
    /// What the column shows: `#room`, or the person's current name.
    public var title: String
    public var unread = 0
    /// Of the unread, those that mention me.
    public var mentions = 0
    public var lines: [ChatLine] = []
    /// Whether its history has been fetched since the chat started (or since names changed).
    public var loaded = false

    public init(target: ChatTarget, title: String) {
        self.target = target
        self.title = title
    }
}

/// A line of the message pane: a message, or something the chat itself says (help, who, errors).
public enum ChatLine: Sendable, Equatable {
    case message(ChatEvent)
    case info(String)

    var messageID: String? {
        if case .message(let event) = self { return event.id }
        return nil
    }
}
