import CNcurses

/// A key press, as the chat acts on it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case enter
    case backspace
    case delete
    case left, right, home, end
    case up, down, pageUp, pageDown
    case tab
    /// Ctrl-N, Alt+Down.
    case nextRoom
    /// Ctrl-P, Alt+Up.
    case previousRoom
    /// Ctrl-C: the terminal is in raw mode, so it arrives as a key, not as SIGINT.
    case interrupt
    /// The terminal changed size; `Terminal.size` has the new one.
    case resize
    /// Ctrl-U.
    case killLine
    /// Ctrl-W.
    case deleteWord
    /// Anything else: other control characters, function keys, a lone Escape.
    case other
}

extension Key {
    /// The key for what `get_wch` returned: `code` is a key code (KEY_CODE_YES) or a character (OK).
    /// `altArrows` holds the codes this terminal's Alt+Up and Alt+Down came to have at start.
    init(code: UInt32, isKeyCode: Bool, altArrows: AltArrowCodes) {
        self = isKeyCode ? Self(keyCode: Int32(bitPattern: code), altArrows: altArrows) : Self(character: code)
    }

    private init(keyCode: Int32, altArrows: AltArrowCodes) {
        switch keyCode {
        case KEY_ENTER: self = .enter
        case KEY_BACKSPACE: self = .backspace
        case KEY_DC: self = .delete
        case KEY_LEFT: self = .left
        case KEY_RIGHT: self = .right
        case KEY_UP: self = .up
        case KEY_DOWN: self = .down
        case KEY_HOME, KEY_FIND: self = .home // Find and Select sit where Home and End do on a VT220
        case KEY_END, KEY_SELECT: self = .end
        case KEY_PPAGE: self = .pageUp
        case KEY_NPAGE: self = .pageDown
        case KEY_RESIZE: self = .resize
        case _ where altArrows.up.contains(keyCode): self = .previousRoom
        case _ where altArrows.down.contains(keyCode): self = .nextRoom
        default: self = .other
        }
    }

    private init(character code: UInt32) {
        switch code {
        case 0x0D, 0x0A: self = .enter // nonl() leaves Enter as CR; Ctrl-J is LF
        case 0x09: self = .tab
        case 0x7F, 0x08: self = .backspace // DEL from most terminals, BS (Ctrl-H) from some
        case 0x01: self = .home // Ctrl-A and Ctrl-E as in readline
        case 0x05: self = .end
        case 0x03: self = .interrupt
        case 0x0E: self = .nextRoom
        case 0x10: self = .previousRoom
        case 0x15: self = .killLine
        case 0x17: self = .deleteWord
        default:
            guard let scalar = Unicode.Scalar(code), scalar.properties.generalCategory != .control else {
                self = .other
                return
            }
            self = .character(Character(scalar))
        }
    }
}
