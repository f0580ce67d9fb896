import Foundation
import LanChatChat
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
        var layout = ChatLayout(model: model, rows: size.rows, columns: size.columns, width: TextWidth.columns(of:), clock: Self.localClock)
        model.page = layout.paneHeight
        if model.scroll > layout.maxScroll {
            model.clampScroll(to: layout.maxScroll)
            layout = ChatLayout(model: model, rows: size.rows, columns: size.columns, width: TextWidth.columns(of:), clock: Self.localClock)
        }
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
        case .character(let character): .text(String(character))
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
        case .other: nil
        }
    }

    /// A message's day and time, on this machine's clock and in its time zone. The daemon writes
    /// every time as `YYYY-MM-DDTHH:MM:SS[.sss]Z`; read by hand, since it runs for every line drawn.
    static let localClock: ChatLayout.Clock = { text in
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int32? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int32 = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int32(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var utc = tm()
        (utc.tm_year, utc.tm_mon, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec) = (year - 1900, month - 1, day, hour, minute, second)
        var seconds = timegm(&utc)
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return nil }
        let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let shownDay = "\(weekdays[Int(local.tm_wday)]) \(local.tm_mday) \(months[Int(local.tm_mon)]) \(local.tm_year + 1900)"
        return (shownDay, String(format: "%02d:%02d", local.tm_hour, local.tm_min))
    }
}
