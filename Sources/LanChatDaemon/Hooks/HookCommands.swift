import LanChatControl

/// The shell commands of `--on-mention` and `--on-dm`, and which of them an event calls for.
public struct HookCommands: Sendable, Equatable {
    public enum Trigger: String, Sendable {
        case mention = "--on-mention"
        case directMessage = "--on-dm"
    }

    public static let defaultTimeoutSeconds = 10
    /// Runs at once, and runs waiting for one of them to end (`HookRunner`).
    public static let parallelRuns = 2
    public static let queuedRuns = 64

    public var onMention: String?
    public var onDirectMessage: String?
    /// How long one run may take before it is stopped.
    public var timeoutSeconds: Int

    /// Empty commands are none.
    public init(onMention: String? = nil, onDirectMessage: String? = nil, timeoutSeconds: Int = defaultTimeoutSeconds) {
        self.onMention = onMention?.isEmpty == false ? onMention : nil
        self.onDirectMessage = onDirectMessage?.isEmpty == false ? onDirectMessage : nil
        self.timeoutSeconds = timeoutSeconds
    }

    public var isEmpty: Bool { onMention == nil && onDirectMessage == nil }

    /// Whether `event` may call for a hook, before it is known who wrote it: a mention of this node's
    /// person or a direct message.
    static func mayCall(for event: ChatEvent) -> Bool {
        event.type == .dm || (event.type == .message && event.mentionsMe == true)
    }

    /// The hook `event` calls for, if one is set: a message that mentions this node's person, or a
    /// direct message, that someone else wrote (`writtenHere`: this person wrote it, on any of its
    /// devices; a mention of oneself calls for nothing).
    func command(for event: ChatEvent, writtenHere: Bool) -> (trigger: Trigger, command: String)? {
        guard Self.mayCall(for: event), !writtenHere else { return nil }
        return event.type == .dm ? onDirectMessage.map { (.directMessage, $0) } : onMention.map { (.mention, $0) }
    }
}
