/// The key codes ncurses reports Alt+Up and Alt+Down as on this terminal.
///
/// They have no fixed codes: a terminfo entry that names them (`kUP3`, `kDN3`) gets a code past
/// KEY_MAX when ncurses loads it, and the forms the entry does not name get the codes
/// `KeyBinding` binds them to at start.
struct AltArrowCodes: Equatable, Sendable {
    var up: Set<Int32> = []
    var down: Set<Int32> = []
}
