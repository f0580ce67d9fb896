#if canImport(Glibc)
import Glibc
#endif

/// Reads a passphrase for an identity backup: from the terminal without echo (twice when `confirm`,
/// for a new one), or, when standard input is not a terminal (a script, a test), its first line.
public enum PassphraseReader {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func read(prompt: String, confirm: Bool) throws(Failure) -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true) else { throw Failure(description: "no passphrase on standard input") }
            return line
        }
        let first = try readHidden(prompt)
        if confirm, try readHidden("again: ") != first { throw Failure(description: "the two passphrases differ") }
        return first
    }

    private static func say(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
    }

    /// Echo is off while the person types; the terminal's settings come back whatever happens.
    private static func readHidden(_ prompt: String) throws(Failure) -> String {
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw Failure(description: "cannot read the terminal's settings") }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        say(prompt)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        let line = readLine(strippingNewline: true)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        say("\n")
        guard let line else { throw Failure(description: "no passphrase typed") }
        return line
    }
}
