import Foundation
import LanChatChat
import LanChatClient

/// The chat on a terminal that cannot place the cursor (`TERM=dumb`, or none): each line typed is
/// what Enter sends in the full screen (so every command works), and what the open conversation gains
/// is printed as plain lines, without colour.
final class ChatLines: ChatView {
    /// How many of a conversation's lines are printed when it is opened.
    static let replayed = 20
    private var pending: [UInt8] = []
    private var shown: (target: ChatTarget, count: Int)?
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
        var lines = conversation.lines[...]
        var text = ""
        if let shown, shown.target == conversation.target, shown.count <= lines.count {
            lines = lines.dropFirst(shown.count)
        } else {
            lines = lines.suffix(Self.replayed)
            text += "== \(conversation.title) (\(model.status.name), \(model.status.peersOnline) online; /help for commands)\n"
        }
        for line in lines {
            switch line {
            case .message(let event): text += HumanFormat.message(event) + "\n"
            case .info(let info): text += "-- " + info + "\n"
            }
        }
        if !text.isEmpty { FileHandle.standardOutput.write(Data(text.utf8)) }
        shown = (conversation.target, conversation.lines.count)
    }
}
