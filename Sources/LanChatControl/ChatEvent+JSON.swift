/// A `follow` stream's events written as JSON directly. Through `JSONEncoder` an event cost a receiving
/// daemon more CPU than the signature check of the entry it shows (a tenth of a follower's daemon in a
/// flood, `perf`); written here it is a few percent of that. The bytes are exactly `JSONEncoder`'s with
/// `.sortedKeys` and `.withoutEscapingSlashes` (what `ControlJSON.encode` writes), which a test holds.
extension ChatEvent {
    /// The event as one line: its JSON and a newline.
    public var jsonLine: [UInt8] {
        var out = JSONObjectWriter()
        out.object { $0.fields(of: self) }
        out.bytes.append(UInt8(ascii: "\n"))
        return out.bytes
    }
}

extension JSONObjectWriter {
    mutating func fields(of event: ChatEvent) {
        object("author") { $0.author(event.author) }
        field("body", event.body)
        field("clockAhead", event.clockAhead)
        field("deleted", event.deleted)
        field("editedAt", event.editedAt)
        field("id", event.id)
        mentions(event.mentions)
        field("mentionsMe", event.mentionsMe)
        field("replyTo", event.replyTo)
        field("room", event.room)
        field("sentAt", event.sentAt)
        field("type", event.type.rawValue)
        if let with = event.with { object("with") { $0.author(with) } }
    }
}
