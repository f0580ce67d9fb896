import CNcurses

/// The colour pairs `Style.Color` names, set up when the terminal starts: one per author colour,
/// on the terminal's own background, then black on yellow for highlights.
enum Palette {
    static let authorForegrounds = [COLOR_CYAN, COLOR_GREEN, COLOR_MAGENTA, COLOR_YELLOW, COLOR_BLUE, COLOR_RED].map(Int16.init)
    private static let highlightPair = Int16(authorForegrounds.count + 1)

    /// What no-color.org asks (NO_COLOR set and not empty turns colours off), and a dumb terminal.
    static func colorWanted(noColor: String?, term: String?) -> Bool {
        (noColor ?? "").isEmpty && term != "dumb"
    }

    /// Sets the pairs up if the terminal has enough colours; says whether it did.
    static func start() -> Bool {
        guard has_colors(), start_color() == OK, lanchat_colors() >= 8, lanchat_color_pairs() > highlightPair else {
            return false
        }
        // -1 is the terminal's default colour, where ncurses may use it.
        let background: Int16 = use_default_colors() == OK ? -1 : Int16(COLOR_BLACK)
        for (index, foreground) in authorForegrounds.enumerated() {
            init_pair(Int16(index + 1), foreground, background)
        }
        init_pair(highlightPair, Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
        return true
    }

    static func pair(for color: Style.Color?) -> Int16 {
        switch color {
        case nil: 0
        case .author(let number): Int16(1 + (number % authorForegrounds.count + authorForegrounds.count) % authorForegrounds.count)
        case .highlight: highlightPair
        }
    }
}
