import LanChatControl

/// The line being typed: its characters, the cursor, and the mentions Tab completion put in it (kept
/// while their text is untouched, so what is sent names people by ID).
public struct InputLine: Sendable, Equatable {
    struct Mention: Sendable, Equatable {
        var start: Int
        var count: Int
        let id: String
        var end: Int { start + count }
    }

    public private(set) var characters: [Character] = []
    public private(set) var cursor = 0
    private(set) var mentions: [Mention] = []

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    public mutating func insert(_ text: String) {
        replace(cursor..<cursor, with: Array(text))
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        replace((cursor - 1)..<cursor, with: [])
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        replace(cursor..<(cursor + 1), with: [])
    }

    /// Ctrl-W: the word before the cursor and the spaces after it.
    public mutating func deleteWord() {
        var start = cursor
        while start > 0, characters[start - 1] == " " { start -= 1 }
        while start > 0, characters[start - 1] != " " { start -= 1 }
        replace(start..<cursor, with: [])
    }

    public mutating func moveCursor(by offset: Int) {
        cursor = min(max(cursor + offset, 0), characters.count)
    }

    public mutating func moveCursor(to position: Int) {
        cursor = min(max(position, 0), characters.count)
    }

    /// Puts `text` where `range` was, as a mention of `id` when one is given; the cursor goes after it.
    mutating func replace(_ range: Range<Int>, with text: [Character], mentioning id: String? = nil) {
        let delta = text.count - range.count
        mentions = mentions.compactMap { mention in
            if mention.end <= range.lowerBound { return mention }
            // Text typed into a mention, or cut from it, makes it plain text again.
            guard mention.start >= range.upperBound else { return nil }
            var moved = mention
            moved.start += delta
            return moved
        }
        characters.replaceSubrange(range, with: text)
        if let id {
            mentions.append(Mention(start: range.lowerBound, count: text.count, id: id))
            mentions.sort { $0.start < $1.start }
        }
        cursor = range.lowerBound + text.count
    }

    /// The text to send and its mentions as UTF-8 byte spans, as the control protocol takes them.
    public func message() -> (body: String, mentions: [MentionSpan]) {
        var spans: [MentionSpan] = []
        for mention in mentions {
            let offset = String(characters[..<mention.start]).utf8.count
            let length = String(characters[mention.start..<mention.end]).utf8.count
            spans.append(MentionSpan(offset: offset, length: length, id: mention.id))
        }
        return (text, spans)
    }
}
