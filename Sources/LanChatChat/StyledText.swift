/// How a piece of the screen looks; the view maps each to the terminal's attributes and colours.
public enum ChatStyle: Sendable, Hashable {
    case plain
    /// Times, edits, deleted messages: what matters less.
    case faint
    /// An author's name, in one of `AuthorColor.count` colours.
    case author(Int)
    /// Someone else mentioned in a message.
    case mention
    /// I am mentioned: the span, and the rooms column entry, light up.
    case highlight
    case info
    case dateLine
    case selectedRoom
    case unreadRoom
    case statusLine
}

/// A run of text in one style.
public struct Span: Sendable, Equatable {
    public let text: String
    public let style: ChatStyle

    public init(_ text: String, _ style: ChatStyle = .plain) {
        self.text = text
        self.style = style
    }
}

/// How many terminal columns a character takes: 2 for wide (CJK), 0 for what joins the one before.
public typealias CharacterWidth = @Sendable (Character) -> Int

enum StyledText {
    /// Breaks styled text into lines at most `columns` wide: at newlines, at the last space that fits,
    /// or, for a word longer than the line, between characters (never inside one). Every line after the
    /// first starts with `indent` spaces, so that no text in a message can pass for a message of its own.
    static func wrap(_ spans: [Span], columns: Int, indent: Int = 0, width: CharacterWidth) -> [[Span]] {
        let columns = max(columns, 1)
        let indent = indent < columns / 2 ? indent : 0
        let margin = Array(repeating: (Character(" "), ChatStyle.plain), count: indent)
        var lines: [[(Character, ChatStyle)]] = [[]]
        var used = 0
        var lastSpace: Int?
        func startLine(carrying carried: [(Character, ChatStyle)] = []) {
            lines.append(margin + carried)
            used = indent + carried.reduce(0) { $0 + max(width($1.0), 0) }
            lastSpace = nil
        }
        for span in spans {
            for character in span.text {
                if isLineBreak(character) {
                    startLine()
                    continue
                }
                let w = max(width(character), 0)
                if used + w > columns, lines[lines.count - 1].count > (lines.count == 1 ? 0 : indent) {
                    var carried: [(Character, ChatStyle)] = []
                    if let space = lastSpace {
                        carried = Array(lines[lines.count - 1][(space + 1)...])
                        lines[lines.count - 1].removeSubrange(space...)
                    }
                    startLine(carrying: carried)
                    if character == " " { continue }
                }
                if character == " " { lastSpace = lines[lines.count - 1].count }
                lines[lines.count - 1].append((character, span.style))
                used += w
            }
        }
        return lines.map(coalesce)
    }

    /// `\r\n` is one Character in Swift; a lone CR and the Unicode separators break lines too, rather
    /// than reach the terminal.
    private static func isLineBreak(_ character: Character) -> Bool {
        character == "\n" || character == "\r\n" || character == "\r" || character == "\u{2028}" || character == "\u{2029}"
    }

    private static func coalesce(_ characters: [(Character, ChatStyle)]) -> [Span] {
        var spans: [Span] = []
        var text = ""
        var style: ChatStyle?
        for (character, characterStyle) in characters {
            if characterStyle != style, let style {
                spans.append(Span(text, style))
                text = ""
            }
            style = characterStyle
            text.append(character)
        }
        if let style, !text.isEmpty { spans.append(Span(text, style)) }
        return spans
    }

    static func width(_ text: String, _ width: CharacterWidth) -> Int {
        text.reduce(0) { $0 + max(width($1), 0) }
    }

    /// The longest start of `text` that fits in `columns`.
    static func fit(_ text: String, columns: Int, _ width: CharacterWidth) -> String {
        var used = 0
        var fitted = ""
        for character in text {
            let w = max(width(character), 0)
            guard used + w <= columns else { break }
            used += w
            fitted.append(character)
        }
        return fitted
    }
}

/// Each author's colour, the same on every screen and every run: from their ID, not their name.
public enum AuthorColor {
    public static let count = 6

    public static func index(of id: String) -> Int {
        // FNV-1a: stable across runs and machines, unlike Swift's seeded hashValue.
        var hash: UInt32 = 2_166_136_261
        for byte in id.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int(hash % UInt32(count))
    }
}
