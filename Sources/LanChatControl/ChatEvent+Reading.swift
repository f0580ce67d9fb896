/// Reading a `follow` stream's events as the daemon writes them (`jsonLine`), without `JSONDecoder`:
/// it took about 30 µs an event, which a client following a busy network pays for every message. Any
/// other form is nil, for the caller to read with `JSONDecoder` (see `JSONLineReader`).
extension ChatEvent {
    public init?(jsonLine line: String) {
        guard let event = JSONLineReader.read(line, { $0.event() }) else { return nil }
        self = event
    }
}

extension JSONLineReader {
    mutating func event() -> ChatEvent? {
        var type: ChatEvent.Kind?, author: AuthorRef?, with: AuthorRef?, mentions: [MentionSpan]?
        var id: String?, room: String?, body: String?, sentAt: String?, replyTo: String?, editedAt: String?
        var clockAhead: Bool?, deleted: Bool?, mentionsMe: Bool?
        let read = object { reader, key in
            switch key {
            case "author": author = reader.author(); return author != nil
            case "with": with = reader.author(); return with != nil
            case "type": type = reader.string().flatMap(ChatEvent.Kind.init(rawValue:)); return type != nil
            case "mentions": mentions = reader.mentions(); return mentions != nil
            case "clockAhead": clockAhead = reader.bool(); return clockAhead != nil
            case "deleted": deleted = reader.bool(); return deleted != nil
            case "mentionsMe": mentionsMe = reader.bool(); return mentionsMe != nil
            case "body": body = reader.string(); return body != nil
            case "editedAt": editedAt = reader.string(); return editedAt != nil
            case "id": id = reader.string(); return id != nil
            case "replyTo": replyTo = reader.string(); return replyTo != nil
            case "room": room = reader.string(); return room != nil
            case "sentAt": sentAt = reader.string(); return sentAt != nil
            default: return false
            }
        }
        guard read, let type, let author else { return nil }
        var event = ChatEvent(
            type: type, id: id, author: author, room: room, body: body, sentAt: sentAt, replyTo: replyTo, clockAhead: clockAhead,
            editedAt: editedAt, deleted: deleted, with: with)
        event.mentions = mentions
        event.mentionsMe = mentionsMe
        return event
    }
}
