import LanChatControl

/// What Tab can put in place of the word before the cursor: `@names` (as mentions), `/commands`, and
/// the argument of `/join` (rooms), `/dm` (names) and `/alias` (short IDs).
struct Completion: Sendable, Equatable {
    struct Option: Sendable, Equatable {
        let text: String
        /// Set for a name completed after `@`: the text becomes a mention of this person.
        let mention: String?
    }

    /// The characters of the input the chosen option replaces.
    let range: Range<Int>
    let options: [Option]
    var chosen = 0

    static func start(
        in line: InputLine, people: [IdentityInfo], rooms: [String], commands: [String], me: String?
    ) -> Completion? {
        let characters = line.characters
        var start = line.cursor
        while start > 0, characters[start - 1] != " " { start -= 1 }
        let word = String(characters[start..<line.cursor]).lowercased()
        let before = String(characters[..<start]).split(separator: " ").map(String.init)
        let others = people.filter { $0.id != me }
        var options: [Option]
        if word.hasPrefix("@") {
            let typed = word.dropFirst()
            options = others.filter { matches($0.name, typed) }.map { Option(text: "@\($0.name)", mention: $0.id) }
        } else if before.isEmpty, word.hasPrefix("/") {
            options = commands.filter { $0.hasPrefix(word) }.map { Option(text: $0, mention: nil) }
        } else if before == ["/join"] {
            options = rooms.filter { $0.hasPrefix(word) }.map { Option(text: $0, mention: nil) }
        } else if before.first == "/dm" {
            // The whole rest of the line is the name, so completion covers what follows `/dm `.
            start = "/dm ".count
            let typed = String(characters[start..<line.cursor]).lowercased()
            options = others.filter { matches($0.name, Substring(typed)) }.map { Option(text: $0.name, mention: nil) }
        } else if before == ["/alias"] {
            options = others.filter { $0.short.hasPrefix(word) || matches($0.name, Substring(word)) }.map { Option(text: $0.short, mention: nil) }
        } else {
            return nil
        }
        options.sort { $0.text.lowercased() < $1.text.lowercased() }
        guard !options.isEmpty else { return nil }
        return Completion(range: start..<line.cursor, options: options)
    }

    /// Case does not matter, nor the `~` of a name given on this machine.
    private static func matches(_ name: String, _ typed: Substring) -> Bool {
        let lowered = name.lowercased()
        return lowered.hasPrefix(typed) || (lowered.hasPrefix("~") && lowered.dropFirst().hasPrefix(typed))
    }

    /// Writes the chosen option into the line, followed by a space, as a mention where it is one.
    func apply(to line: inout InputLine, replacing range: Range<Int>) -> Range<Int> {
        let option = options[chosen]
        let text = Array(option.text)
        line.replace(range, with: text, mentioning: option.mention)
        line.insert(" ")
        return range.lowerBound..<(range.lowerBound + text.count + 1)
    }
}
