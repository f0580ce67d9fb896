/// The keys the chat acts on, as the terminal layer reports them.
public enum ChatKey: Sendable, Equatable {
    /// Typed (or pasted) text.
    case text(String)
    case enter, backspace, delete, left, right, home, end, up, down, pageUp, pageDown, tab
    case nextRoom, previousRoom, killLine, deleteWord, interrupt
    /// The terminal changed size: nothing changes but the screen.
    case redraw
}
