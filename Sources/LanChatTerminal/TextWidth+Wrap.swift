extension TextWidth {
    /// `text` in lines of at most `columns`: each of its own lines (newlines are kept as breaks)
    /// broken at spaces where the words fit, and by width inside a word longer than a line.
    /// The spaces at a break are dropped, a grapheme cluster is never split, and no line is wider
    /// than `columns`; below 2 columns a wide character cannot be shown and is left out.
    public static func wrap(_ text: String, columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        return ScalarWidth.measuring {
            text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).flatMap { line in
                var wrapper = LineWrapper(columns: columns)
                for character in line {
                    wrapper.add(character, columns: Glyph(character).columns)
                }
                return wrapper.finish()
            }
        }
    }
}

/// Greedy word wrap of one line of text, fed one grapheme cluster at a time.
private struct LineWrapper {
    private typealias Cluster = (character: Character, columns: Int)

    /// Spaces a line may break at; a no-break space is not one of them.
    private static let breakingSpaces: Set<Character> = [" ", "\t", "\u{3000}"]

    private let columns: Int
    private var lines: [String] = []
    private var current: [Cluster] = []
    private var used = 0
    /// Where in `current` the last space after a word stands: a break there moves the word after it down.
    private var lastBreak: Int?

    init(columns: Int) {
        self.columns = columns
    }

    mutating func add(_ character: Character, columns width: Int) {
        guard width <= columns else { return }
        if Self.breakingSpaces.contains(character) {
            addSpace((character, width))
        } else {
            addNonSpace((character, width))
        }
    }

    /// The lines, at least one (empty for empty text).
    mutating func finish() -> [String] {
        if !current.isEmpty || lines.isEmpty { emit(current[...]) }
        return lines
    }

    private mutating func addSpace(_ space: Cluster) {
        if used + space.columns > columns {
            // The break goes here, and takes the space.
            startLine(after: current[...])
        } else if !current.isEmpty || lines.isEmpty {
            // Spaces that would open a wrapped line are dropped; a first line keeps its indent.
            if current.contains(where: { !Self.breakingSpaces.contains($0.character) }) {
                lastBreak = current.count
            }
            append(space)
        }
    }

    private mutating func addNonSpace(_ cluster: Cluster) {
        if used + cluster.columns > columns, let lastBreak {
            let word = current[(lastBreak + 1)...]
            startLine(after: current[..<lastBreak])
            for moved in word { append(moved) }
        }
        if used + cluster.columns > columns {
            // A word longer than a line: break it by width.
            startLine(after: current[...])
        }
        append(cluster)
    }

    private mutating func append(_ cluster: Cluster) {
        current.append(cluster)
        used += cluster.columns
    }

    private mutating func startLine(after ended: ArraySlice<Cluster>) {
        emit(ended)
        current = []
        used = 0
        lastBreak = nil
    }

    private mutating func emit(_ line: ArraySlice<Cluster>) {
        let end = line.lastIndex { !Self.breakingSpaces.contains($0.character) }.map { $0 + 1 } ?? line.startIndex
        lines.append(String(line[..<end].map(\.character)))
    }
}
