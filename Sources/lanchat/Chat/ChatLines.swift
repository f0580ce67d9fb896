import Glibc
import LanChatChat
import LanChatClient
import LanChatControl

/// The chat on a terminal that cannot place the cursor (`TERM=dumb`, or none): each line typed is
/// what Enter sends in the full screen (so every command works), and what the open conversation gains
/// is printed as plain lines, without colour.
final class ChatLines: ChatView {
    /// How many of a conversation's lines are printed when it is opened.
    static let replayed = 20
    private var pending: [UInt8] = []
    private var shown: (target: ChatTarget, appended: Int)?
    /// The open conversation's messages as last printed, by ID.
    private var printed: [String: ChatEvent] = [:]
    private var inputEnded = false

    func waitForKeys(otherFD: Int32, timeoutMillis: Int32) -> [ChatKey] {
        // At the end of input, the chat leaves once what was sent has been shown.
        if inputEnded { return [.interrupt] }
        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: otherFD, events: Int16(POLLIN), revents: 0)]
        guard poll(&descriptors, 2, timeoutMillis) > 0, descriptors[0].revents != 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        if count <= 0 { inputEnded = true }
        pending += buffer.prefix(max(count, 0))
        var keys: [ChatKey] = []
        while let newline = pending.firstIndex(of: 10) {
            keys += [.killLine, .text(String(decoding: pending[..<newline], as: UTF8.self)), .enter]
            pending.removeSubrange(...newline)
        }
        return keys
    }

    func show(_ model: inout ChatModel) {
        let conversation = model.current
        var text = ""
        var fresh: ArraySlice<ChatLine>
        if let shown, shown.target == conversation.target {
            fresh = conversation.lines.suffix(min(conversation.appended - shown.appended, conversation.lines.count))
            // An edit or a delete changes a line already printed: printed again, as it is now.
            for line in conversation.lines.dropLast(fresh.count) {
                guard case .message(let event) = line, let id = event.id, let before = printed[id], before != event else { continue }
                text += HumanFormat.message(event) + "\n"
                printed[id] = event
            }
        } else {
            fresh = conversation.lines.suffix(Self.replayed)
            printed = [:]
            text += "== \(conversation.title) (\(model.status.name), \(model.status.peersOnline) online; /help for commands)\n"
        }
        for line in fresh {
            switch line {
            case .message(let event):
                text += HumanFormat.message(event) + "\n"
                if let id = event.id { printed[id] = event }
            case .info(let info): text += "-- " + info + "\n"
            }
        }
        if !text.isEmpty { StandardStreams.output(text) }
        shown = (conversation.target, conversation.appended)
    }
}
