/// Text measured in terminal columns, and cut to a width. `Glyph` says how each grapheme
/// cluster counts and what it shows as; `Terminal.put` draws by the same rules.
public enum TextWidth {
    public static func columns(of text: String) -> Int {
        ScalarWidth.measuring { text.reduce(0) { $0 + Glyph($1).columns } }
    }

    public static func columns(of character: Character) -> Int {
        ScalarWidth.measuring { Glyph(character).columns }
    }

    /// The longest start of `text` that takes at most `columns`. The first grapheme cluster that
    /// does not fit is left out whole, with everything after it.
    public static func fit(_ text: String, columns: Int) -> String {
        ScalarWidth.measuring {
            var used = 0
            var end = text.startIndex
            for index in text.indices {
                used += Glyph(text[index]).columns
                if used > columns { break }
                end = text.index(after: index)
            }
            return String(text[..<end])
        }
    }

    /// What the terminal is sent for `text`: each cluster as `Glyph` shows it.
    static func shown(_ text: String) -> String {
        ScalarWidth.measuring {
            var shown = String.UnicodeScalarView()
            for character in text {
                Glyph(character).appendShown(of: character, to: &shown)
            }
            return String(shown)
        }
    }
}
