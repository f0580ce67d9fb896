import CNcurses
import Glibc

/// The terminal the full-screen chat draws on, through ncurses: one per process.
///
/// `start` takes the terminal over (alternate screen, raw mode: Ctrl-C is a key) and `stop` gives
/// it back as it was; if the process ends otherwise, by a signal, a crash or `exit`,
/// `EmergencyRestore` gives it back. Use it from one thread.
public final class Terminal {
    /// Whether `Style.color` shows: the terminal has colours, NO_COLOR is not set and TERM is not dumb.
    public private(set) var usesColor = false

    private var screen: OpaquePointer?
    private var savedSettings = termios()
    private(set) var resizeWakeup: ResizeWakeup?
    private(set) var altArrows = AltArrowCodes()

    public init() {}

    deinit {
        stop()
    }

    /// Takes the terminal over; does nothing if this one is started already.
    public func start() throws {
        guard screen == nil else { return }
        guard !EmergencyRestore.isArmed else { throw TerminalError.alreadyStarted }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1,
              tcgetattr(STDIN_FILENO, &savedSettings) == 0 else { throw TerminalError.notATerminal }
        try Self.useUTF8Locale()
        EmergencyRestore.rememberActions()
        guard let screen = lanchat_newterm() else {
            throw TerminalError.unknownTerminal(Self.environment("TERM"))
        }
        self.screen = screen
        raw()
        noecho()
        nonl()
        let window = self.window
        keypad(window, true)
        nodelay(window, true)
        // Long enough for the rest of a key's sequence to follow its Escape, short enough not to be felt.
        set_escdelay(25)
        usesColor = Palette.colorWanted(noColor: Self.environment("NO_COLOR"), term: Self.environment("TERM")) && Palette.start()
        KeyBinding.bindCommonKeys()
        altArrows = KeyBinding.altArrowCodes()
        EmergencyRestore.arm(settings: savedSettings)
        do {
            resizeWakeup = try ResizeWakeup()
        } catch {
            stop()
            throw error
        }
    }

    /// Gives the terminal back as it was before `start`; does nothing if it is not started.
    public func stop() {
        guard let screen else { return }
        resizeWakeup = nil
        endwin()
        tcsetattr(STDIN_FILENO, TCSANOW, &savedSettings)
        // Only now: a signal during the two calls above still finds the terminal given back.
        EmergencyRestore.disarm()
        delscreen(screen)
        self.screen = nil
        usesColor = false
    }

    static let notStarted = "the terminal is used while it is not started"

    /// ncurses' window for the whole screen.
    var window: UnsafeMutablePointer<WINDOW> {
        precondition(screen != nil, Self.notStarted)
        return lanchat_stdscr()
    }

    /// ncurses reads and draws UTF-8 only under a UTF-8 LC_CTYPE: the user's own, or else C.UTF-8.
    private static func useUTF8Locale() throws {
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8" { return }
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil else { throw TerminalError.noUTF8Locale }
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
