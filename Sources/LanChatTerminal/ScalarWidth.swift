import CNcurses
import Glibc

/// Columns one Unicode scalar takes on a terminal, by glibc's `wcwidth`.
///
/// `wcwidth` answers from the calling thread's LC_CTYPE, and outside a UTF-8 locale it knows no
/// character beyond ASCII. Rather than depend on (or change) the process's locale, each count runs
/// under a C.UTF-8 locale installed for the calling thread alone (`uselocale`), so the widths are
/// the same in tests, before `Terminal.start` and on any thread. glibc takes the widths from its
/// UTF-8 charmap, so they agree with what ncurses counts under the user's own UTF-8 locale.
enum ScalarWidth {
    /// The thread-local locale every count runs under; nil only on a system without C.UTF-8 or en_US.UTF-8.
    nonisolated(unsafe) private static let utf8Locale: locale_t? =
        newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) ?? newlocale(LC_CTYPE_MASK, "en_US.UTF-8", nil)

    /// Runs `body`, which calls `columns(of:)`, under the UTF-8 locale, then puts the thread's locale back.
    static func measuring<Result>(_ body: () -> Result) -> Result {
        guard let utf8Locale else { return body() }
        let previous = uselocale(utf8Locale)
        defer { uselocale(previous) }
        return body()
    }

    /// The scalar's columns (0 for combining marks and joiners, 2 for wide characters), or nil for
    /// what a terminal cannot show as text: control characters, and code points `wcwidth` does not know.
    /// Only meaningful inside `measuring`.
    static func columns(of scalar: Unicode.Scalar) -> Int? {
        // Printable ASCII, most of any chat, needs no lookup.
        if (0x20..<0x7F).contains(scalar.value) { return 1 }
        let width = wcwidth(wchar_t(bitPattern: scalar.value))
        return width < 0 ? nil : Int(width)
    }
}
