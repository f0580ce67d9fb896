import CNcurses

/// How text is drawn. On a terminal without colours, or with them turned off, `color` is
/// ignored; the attributes still apply where the terminal has them.
public struct Style: Hashable, Sendable {
    public enum Color: Hashable, Sendable {
        /// One of `Style.authorColorCount` colours for authors' names. Any number picks one
        /// (modulo the count), so the chat can pass a hash of the author's ID.
        case author(Int)
        /// For what must stand out, such as a mention of the reader.
        case highlight
    }

    public static let authorColorCount = Palette.authorForegrounds.count
    public static let plain = Style()

    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool
    public var color: Color?

    public init(bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false, color: Color? = nil) {
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
        self.color = color
    }

    var attributes: attr_t {
        var attributes: attr_t = 0
        if bold { attributes |= lanchat_attr_bold() }
        if reverse { attributes |= lanchat_attr_reverse() }
        if underline { attributes |= lanchat_attr_underline() }
        if dim { attributes |= lanchat_attr_dim() }
        return attributes
    }
}
