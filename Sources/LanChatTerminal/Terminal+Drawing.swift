import CNcurses
import Glibc

/// A terminal's size in character cells.
public struct TerminalSize: Hashable, Sendable {
    public var rows: Int
    public var columns: Int

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }
}

/// Drawing goes to ncurses' copy of the screen; `refresh` sends the terminal what changed.
extension Terminal {
    public var size: TerminalSize {
        TerminalSize(rows: Int(getmaxy(window)), columns: Int(getmaxx(window)))
    }

    /// Blanks the whole screen. The next `refresh` still sends only what changed (this is
    /// ncurses' erase, not its clear, which would repaint everything and flicker).
    public func clear() {
        werase(window)
    }

    /// Draws `text` from `row`, `column` on (both from 0), in one line: cut at the right edge,
    /// each grapheme cluster shown and counted as `TextWidth` says (control characters as U+FFFD).
    /// The cursor ends after it.
    public func put(row: Int, column: Int, text: String, style: Style = .plain) {
        let window = self.window
        let shown = TextWidth.shown(TextWidth.fit(text, columns: Int(getmaxx(window)) - column))
        let characters = shown.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wattr_set(window, style.attributes, usesColor ? Palette.pair(for: style.color) : 0, nil)
        mvwaddnwstr(window, Int32(row), Int32(column), characters, Int32(characters.count))
    }

    /// Where the cursor shows after `refresh`: the chat's input line.
    public func moveCursor(row: Int, column: Int) {
        wmove(window, Int32(row), Int32(column))
    }

    public func refresh() {
        wrefresh(window)
    }
}
