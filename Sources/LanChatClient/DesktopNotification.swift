import LanChatControl

/// What `lanchat notify` shows for an event, if anything: a message someone else wrote that mentions
/// me, or a direct message I received. One per conversation: a room, or the person of a direct message.
public struct DesktopNotification: Equatable, Sendable {
    /// Characters of the message shown at most; a desktop bubble shows little more.
    public static let bodyLimit = 200

    public let conversation: String
    public let title: String
    public private(set) var body: String

    /// `mine`: the IDs of this person's devices, whose messages call for nothing.
    public init?(_ event: ChatEvent, mine: Set<String>) {
        guard !mine.contains(event.author.id), let text = event.body else { return nil }
        switch event.type {
        case .message where event.mentionsMe == true:
            guard let room = event.room else { return nil }
            conversation = "room \(room)"
            title = "\(event.author.name) in #\(room)"
        case .dm:
            conversation = "dm \(event.with?.id ?? event.author.id)"
            title = "\(event.author.name) (direct message)"
        default:
            return nil
        }
        body = text.count > Self.bodyLimit ? text.prefix(Self.bodyLimit - 1) + "…" : text
    }

    /// Says how many of this conversation's notifications were held back before this one.
    public mutating func add(heldBack: Int) {
        guard heldBack > 0 else { return }
        body += "\n(+\(heldBack) more since the last notification)"
    }

    /// For `notify-send` and programs like it: options, then the title and the body. Notification servers
    /// may read the body as markup, so its `&`, `<` and `>` are escaped.
    public var arguments: [String] {
        let escaped = body.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
        return ["--app-name=lanchat", "--category=im.received", "--", title, escaped]
    }
}
