import Glibc

/// Why the terminal could not start.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// Standard input or output is not a terminal.
    case notATerminal
    /// ncurses knows no terminal by this TERM (nil: TERM is not set).
    case unknownTerminal(String?)
    /// Neither the user's locale nor C.UTF-8 reads text as UTF-8.
    case noUTF8Locale
    /// Another `Terminal` of this process is started.
    case alreadyStarted
    /// A system call failed, with its errno.
    case system(String, Int32)

    public var description: String {
        switch self {
        case .notATerminal: "standard input and output must be a terminal"
        case .unknownTerminal(let name?): "ncurses cannot drive the terminal type \(name) (TERM)"
        case .unknownTerminal(nil): "TERM is not set"
        case .noUTF8Locale: "no UTF-8 locale (C.UTF-8 is missing)"
        case .alreadyStarted: "the terminal is already in use by this process"
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
