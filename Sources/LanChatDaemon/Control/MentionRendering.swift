import LanChatControl
import LanChatCore

/// A message's body as people see it: each mention's span replaced by `@` and the person's current
/// name (an alias, the short-ID suffix where names look alike), and the spans moved to match.
struct MentionRendering {
    let body: String
    let spans: [MentionSpan]

    init(_ message: EntryContent.Message, directory: IdentityDirectory) {
        let utf8 = Array(message.body.utf8)
        var body: [UInt8] = []
        var spans: [MentionSpan] = []
        var copied = 0
        for mention in message.mentions {
            body += utf8[copied..<mention.offset]
            let person = directory.person(of: mention.person)
            let name = directory.displayName(of: person)
            let shown = Array("@\(name)".utf8)
            spans.append(MentionSpan(offset: body.count, length: shown.count, id: person.text, name: name))
            body += shown
            copied = mention.end
        }
        body += utf8[copied...]
        // Spans lie on scalar boundaries (`Mention`), so the bytes stay valid UTF-8.
        self.body = String(decoding: body, as: UTF8.self)
        self.spans = spans
    }
}

extension IdentityDirectory {
    /// Whether a message names `person`, by any of its linked devices.
    func mentions(_ message: EntryContent.Message, person: AuthorID) -> Bool {
        let me = self.person(of: person)
        return message.mentions.contains { self.person(of: $0.person) == me }
    }
}
