import LanChatChat
import LanChatClient
import LanChatControl
import LanChatTerminal

/// Paints a `ChatLayout` on the terminal and turns its keys into the model's: the thin view of the chat.
final class ChatScreen: ChatView {
    let terminal: Terminal

    init(terminal: Terminal) {
        self.terminal = terminal
    }

    func waitForKeys(otherFD: Int32, timeoutMillis: Int32) -> [ChatKey] {
        let ready = terminal.waitForInput(otherFD: otherFD, timeoutMillis: timeoutMillis)
        // Where SIGHUP is ignored (nohup), a closed terminal would wake the loop forever: leave.
        if ready.contains(.hangup) { return [.interrupt] }
        guard ready.contains(.keys) else { return [] }
        // Typed characters are gathered into one text, so that a paste is one insertion.
        var keys: [ChatKey] = []
        var typed = ""
        while let key = terminal.readKey() {
            if case .character(let character) = key {
                typed.append(character)
                continue
            }
            if !typed.isEmpty { keys.append(.text(typed)) }
            typed = ""
            if let chatKey = Self.chatKey(key) { keys.append(chatKey) }
        }
        if !typed.isEmpty { keys.append(.text(typed)) }
        return keys
    }

    func show(_ model: inout ChatModel) {
        let size = terminal.size
        let layout = ChatLayout(model: model, rows: size.rows, columns: size.columns, width: TextWidth.columns(of:), clock: Self.localClock)
        model.page = layout.paneHeight
        // The layout drew the clamped scroll already; the model learns where it stopped.
        model.clampScroll(to: layout.maxScroll)
        draw(layout)
    }

    private func draw(_ layout: ChatLayout) {
        terminal.clear()
        for (index, row) in layout.rows.enumerated() {
            var column = 0
            for span in row.spans {
                terminal.put(row: index, column: column, text: span.text, style: Self.style(span.style))
                column += TextWidth.columns(of: span.text)
            }
        }
        terminal.moveCursor(row: layout.cursor.row, column: layout.cursor.column)
        terminal.refresh()
    }

    static func style(_ style: ChatStyle) -> Style {
        switch style {
        case .plain: .plain
        case .faint, .info: Style(dim: true)
        case .author(let index): Style(bold: true, color: .author(index))
        case .mention: Style(bold: true, underline: true)
        case .highlight: Style(bold: true, reverse: true, color: .highlight)
        case .dateLine: Style(dim: true)
        case .selectedRoom, .statusLine: Style(reverse: true)
        case .unreadRoom: Style(bold: true)
        }
    }

    /// The keys as the model takes them; nil for those it ignores.
    static func chatKey(_ key: Key) -> ChatKey? {
        switch key {
        // Characters never come here: `waitForKeys` gathers them into text.
        case .character, .other: nil
        case .enter: .enter
        case .backspace: .backspace
        case .delete: .delete
        case .left: .left
        case .right: .right
        case .home: .home
        case .end: .end
        case .up: .up
        case .down: .down
        case .pageUp: .pageUp
        case .pageDown: .pageDown
        case .tab: .tab
        case .nextRoom: .nextRoom
        case .previousRoom: .previousRoom
        case .interrupt: .interrupt
        case .killLine: .killLine
        case .deleteWord: .deleteWord
        case .resize: .redraw
        }
    }

    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// A message's day and time, on this machine's clock and in its time zone.
    static let localClock: ChatLayout.Clock = { text in
        guard let time = LocalTime(rfc3339: text) else { return nil }
        return ("\(weekdays[time.weekday]) \(time.day) \(months[time.month - 1]) \(time.year)", time.clock)
    }
}
