import CNcurses

/// Teaches ncurses, at start, key sequences its TERM entry may not name, so that they arrive as
/// one key and not as an Escape followed by text.
///
/// A TERM that does not quite match the terminal is common: xterm-256color inside tmux, whose
/// Home is `ESC [ 1 ~` where xterm's is `ESC O H`. And Alt+Up and Alt+Down come in forms few
/// entries name: xterm and its kin (tmux too, whatever its TERM) send a modified cursor key,
/// `ESC [ 1 ; 3 A`, which terminfo calls `kUP3`; rxvt and others send Escape, then the cursor key.
enum KeyBinding {
    /// Run after `keypad`, once ncurses has loaded the terminal's keys.
    static func bindCommonKeys() {
        let common: [(code: Int32, sequences: [String])] = [
            (KEY_UP, ["[A", "OA"]), (KEY_DOWN, ["[B", "OB"]), (KEY_RIGHT, ["[C", "OC"]), (KEY_LEFT, ["[D", "OD"]),
            (KEY_HOME, ["[H", "OH", "[1~", "[7~"]), (KEY_END, ["[F", "OF", "[4~", "[8~"]),
            (KEY_DC, ["[3~"]), (KEY_PPAGE, ["[5~"]), (KEY_NPAGE, ["[6~"]),
        ]
        for key in common {
            bind(key.sequences.map { escape + $0 }, to: key.code)
        }
    }

    /// Run after `keypad`. The codes are those ncurses gave `kUP3` and `kDN3` when the entry names
    /// them, or else codes of our own, far past the ones ncurses counts up from KEY_MAX.
    static func altArrowCodes() -> AltArrowCodes {
        AltArrowCodes(
            up: bindAltArrow(named: "kUP3", final: "A", ownCode: KEY_MAX + 0x1000),
            down: bindAltArrow(named: "kDN3", final: "B", ownCode: KEY_MAX + 0x1001))
    }

    private static let escape = "\u{1B}"

    private static func bindAltArrow(named capability: String, final: Character, ownCode: Int32) -> Set<Int32> {
        let named = lanchat_tigetstr(capability).map { String(cString: $0) }
        let code = named.map { key_defined($0) }.flatMap { $0 > 0 ? $0 : nil } ?? ownCode
        let forms = ["[1;3\(final)", "\(escape)[\(final)", "\(escape)O\(final)"].map { escape + $0 }
        return bind([named].compactMap { $0 } + forms, to: code)
    }

    /// Binds those of `sequences` that nothing is bound to yet to `code`, and returns the codes
    /// all of them arrive as.
    @discardableResult
    private static func bind(_ sequences: [String], to code: Int32) -> Set<Int32> {
        var codes: Set<Int32> = []
        for sequence in sequences {
            let bound = key_defined(sequence)
            if bound > 0 {
                codes.insert(bound)
            } else if bound == 0, define_key(sequence, code) == OK {
                codes.insert(code)
            }
            // Below 0: it would clash with a key whose sequence starts with it, or it with theirs.
        }
        return codes
    }
}
