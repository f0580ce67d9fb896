/// What one grapheme cluster shows as on a terminal, and the columns that takes.
///
/// The rules keep what `TextWidth` counts equal to what ncurses lays out, scalar by scalar:
/// - Each scalar takes its `wcwidth`: combining marks and joiners none (ncurses puts them on the
///   cell before), wide characters 2.
/// - A cluster takes at most 2 columns. A joined emoji (👨‍👩‍👧, 👍🏽) holds several wide scalars,
///   which ncurses would place side by side however the terminal draws them; it shows as the
///   scalars that fit in 2 columns (its first emoji), so the layout holds on every terminal.
/// - Control characters, and code points `wcwidth` does not know, show as U+FFFD in one column:
///   nothing invisible reaches the terminal, and ncurses never draws its wider ^X notation.
///   A tab shows as a space.
/// - A cluster of no width on its own (a combining mark with nothing before it, a zero-width
///   space) shows as nothing.
struct Glyph {
    private enum Shown {
        /// The cluster's first `count` scalars.
        case prefix(count: Int)
        case substitute(Unicode.Scalar)
    }

    private static let widest = 2
    private static let replacement: Unicode.Scalar = "\u{FFFD}"
    private static let joiner: Unicode.Scalar = "\u{200D}"

    private let shown: Shown
    let columns: Int

    /// Only meaningful inside `ScalarWidth.measuring`.
    init(_ character: Character) {
        if character == "\t" {
            (shown, columns) = (.substitute(" "), 1)
            return
        }
        var columns = 0
        var count = 0
        // A cut after a joiner would leave it dangling before whatever is drawn next.
        var countBeforeTrailingJoiner = 0
        for scalar in character.unicodeScalars {
            guard let width = ScalarWidth.columns(of: scalar) else {
                (shown, self.columns) = (.substitute(Self.replacement), 1)
                return
            }
            if columns + width > Self.widest {
                count = countBeforeTrailingJoiner
                break
            }
            columns += width
            count += 1
            if scalar != Self.joiner { countBeforeTrailingJoiner = count }
        }
        (shown, self.columns) = (.prefix(count: columns == 0 ? 0 : count), columns)
    }

    /// Appends what the terminal is sent for `character`, which this glyph was made from.
    func appendShown(of character: Character, to text: inout String.UnicodeScalarView) {
        switch shown {
        case .prefix(let count):
            text.append(contentsOf: character.unicodeScalars.prefix(count))
        case .substitute(let scalar):
            text.append(scalar)
        }
    }
}
