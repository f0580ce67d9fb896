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
    public private(set) var lines: [ChatLine] = []
    /// How many lines were ever added at the end (fetched history replaces, it does not add): what a
    /// view that prints lines has not printed yet.
    public private(set) var appended = 0
    /// The IDs of the messages in `lines`: the stream repeats what a write already answered.
    private var messageIDs: Set<String> = []
    /// Whether its history has been fetched since the chat started (or since names changed).
    public var loaded = false

    /// Lines kept per conversation: a chat open all day forgets the oldest (PgUp reaches this far).
    public static let maxLines = 5_000

    public init(target: ChatTarget, title: String) {
        self.target = target
        self.title = title
    }

    /// Adds a line at the end; false for a message already shown.
    mutating func append(_ line: ChatLine) -> Bool {
        if let id = line.messageID, !messageIDs.insert(id).inserted { return false }
        lines.append(line)
        appended += 1
        if lines.count > Self.maxLines {
            for forgotten in lines.prefix(lines.count - Self.maxLines) {
                if let id = forgotten.messageID { messageIDs.remove(id) }
            }
            lines.removeFirst(lines.count - Self.maxLines)
        }
        return true
    }

    /// History fetched: it replaces every line.
    mutating func replaceLines(with events: [ChatEvent]) {
        lines = []
        messageIDs = []
        for event in events.suffix(Self.maxLines) {
            if let id = event.id, !messageIDs.insert(id).inserted { continue }
            lines.append(.message(event))
        }
    }

    /// Changes a message shown here in place (an edit or a delete).
    mutating func change(messageID: String, _ body: (inout ChatEvent) -> Void) {
        guard messageIDs.contains(messageID) else { return }
        for index in lines.indices {
            guard case .message(var shown) = lines[index], shown.id == messageID else { continue }
            body(&shown)
            lines[index] = .message(shown)
        }
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
