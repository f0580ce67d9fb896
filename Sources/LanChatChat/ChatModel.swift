import LanChatControl

/// Everything `lanchat chat` knows, with no I/O: the rooms column and its unread counts, each
/// conversation's lines, the scroll position, the input line and its completion. Keys and daemon
/// events go in; `ChatAction`s for the shell come out; the screen is drawn from it (`ChatLayout`).
public struct ChatModel: Sendable {
    public var status = ChatStatus()
    /// This node's person: whose messages are never unread, and who is not offered for `@` completion.
    public var me: IdentityInfo?
    public private(set) var people: [IdentityInfo] = []
    public private(set) var conversations: [Conversation]
    public private(set) var selected = 0
    public private(set) var input = InputLine()
    /// How many lines the pane is scrolled up from the newest; 0 follows new messages.
    public private(set) var scroll = 0
    /// The pane's height in lines, as last drawn: what PgUp and PgDn move.
    public var page = 10
    /// What was sent, mentions and all, for Up to bring back.
    private var sent: [InputLine] = []
    private var recalled: Int?
    private var completion: Completion?
    private var completed: Range<Int>?

    public init(room: String) {
        conversations = [Conversation(target: .room(room), title: "#\(room)")]
    }

    public var current: Conversation { conversations[selected] }

    // MARK: What the daemon says

    /// The rooms the daemon holds, with the caller's unread counts (the open one is being read).
    public mutating func setRooms(_ rooms: [RoomInfo]) {
        for room in rooms {
            let index = conversationIndex(.room(room.name), title: "#\(room.name)")
            guard index != selected else { continue }
            conversations[index].unread = room.unread
            conversations[index].mentions = room.mentions
        }
    }

    /// The conversations of direct messages, with the caller's unread counts.
    public mutating func setDirectConversations(_ list: [ConversationInfo]) {
        for conversation in list {
            let index = conversationIndex(.direct(id: conversation.with.id), title: conversation.with.name)
            guard index != selected else { continue }
            // A direct message always needs me: its unread are highlighted like mentions.
            conversations[index].unread = conversation.unread
            conversations[index].mentions = conversation.unread
        }
    }

    public mutating func setPeople(_ people: [IdentityInfo]) {
        self.people = people
        for index in conversations.indices {
            if case .direct(let id) = conversations[index].target, let person = people.first(where: { $0.id == id }) {
                conversations[index].title = person.name
            }
        }
    }

    /// History fetched for a conversation: its messages replace what the chat held of it.
    public mutating func loaded(_ target: ChatTarget, _ events: [ChatEvent]) {
        // Fetched for a conversation the column lists: `select` asked for it.
        guard let index = conversations.firstIndex(where: { $0.target == target }) else { return }
        conversations[index].replaceLines(with: events)
        conversations[index].loaded = true
    }

    /// One event of the daemon's stream.
    public mutating func receive(_ event: ChatEvent) -> [ChatAction] {
        switch event.type {
        case .profile:
            return [.refreshNames]
        case .message where event.room == nil:
            changeInPlace(event)
            return []
        case .message:
            return append(event, to: .room(event.room ?? ""), title: "#\(event.room ?? "")")
        case .dm:
            guard let with = event.with else { return [] }
            return append(event, to: .direct(id: with.id), title: with.name)
        }
    }

    /// Something the chat says in the open conversation: results of `/who`, errors, help.
    public mutating func say(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            _ = conversations[selected].append(.info(String(line)))
        }
        scroll = 0
    }

    /// `who`'s answer, shown as lines.
    public mutating func showWho(_ identities: [IdentityInfo]) {
        setPeople(identities)
        let lines = identities.map { person in
            "  \(person.online == true ? "●" : "○") \(person.name) (\(person.short))\(person.isSelf == true ? " — you" : "")"
        }
        say((["\(identities.count { $0.online == true }) of \(identities.count) online:"] + lines).joined(separator: "\n"))
    }

    private mutating func append(_ event: ChatEvent, to target: ChatTarget, title: String) -> [ChatAction] {
        let index = conversationIndex(target, title: title)
        guard conversations[index].append(.message(event)) else { return [] }
        // Read where it shows: in the open conversation, unless scrolled up to older lines.
        if index == selected { return scroll == 0 ? [.markRead(target)] : [] }
        guard !isMine(event) else { return [] }
        conversations[index].unread += 1
        if event.mentionsMe == true || event.type == .dm { conversations[index].mentions += 1 }
        return []
    }

    /// An edit or a delete: the message it names changes wherever it is shown.
    private mutating func changeInPlace(_ event: ChatEvent) {
        guard let id = event.id else { return }
        for index in conversations.indices {
            conversations[index].change(messageID: id) { shown in
                if event.deleted == true {
                    shown.deleted = true
                    shown.body = nil
                } else {
                    shown.body = event.body
                    shown.editedAt = event.editedAt
                }
                shown.mentions = nil
            }
        }
    }

    func isMine(_ event: ChatEvent) -> Bool { isMe(event.author.id) }

    /// Whether an ID is this node's person, by any of its linked devices.
    func isMe(_ id: String) -> Bool {
        guard let me else { return false }
        return id == me.id || (me.devices ?? []).contains(id)
    }

    /// The index of a conversation, added in its place if new: rooms by name, then direct messages.
    private mutating func conversationIndex(_ target: ChatTarget, title: String) -> Int {
        if let index = conversations.firstIndex(where: { $0.target == target }) { return index }
        let open = conversations[selected].target
        conversations.append(Conversation(target: target, title: title))
        let rooms = conversations.filter { $0.target.room != nil }.sorted { $0.title < $1.title }
        conversations = rooms + conversations.filter { $0.target.room == nil }
        selected = conversations.firstIndex { $0.target == open } ?? 0
        return conversations.firstIndex { $0.target == target } ?? 0
    }

    // MARK: Keys

    public mutating func handle(_ key: ChatKey) -> [ChatAction] {
        if key != .tab { completion = nil }
        if key != .up && key != .down { recalled = nil }
        switch key {
        case .text(let text): input.insert(text)
        case .backspace: input.backspace()
        case .delete: input.deleteForward()
        case .left: input.moveCursor(by: -1)
        case .right: input.moveCursor(by: 1)
        case .home: input.moveCursor(to: 0)
        case .end: input.moveCursor(to: input.characters.count)
        case .killLine: input = InputLine()
        case .deleteWord: input.deleteWord()
        case .up: recall(-1)
        case .down: recall(1)
        case .pageUp: scroll += max(page - 1, 1)
        case .pageDown:
            let wasUp = scroll > 0
            scroll = max(scroll - max(page - 1, 1), 0)
            // Back at the newest: what came meanwhile has been seen now.
            if wasUp, scroll == 0 { return [.markRead(current.target)] }
        case .tab: complete()
        case .nextRoom: return select(selected + 1)
        case .previousRoom: return select(selected - 1)
        case .interrupt: return [.quit]
        case .enter: return submit()
        case .redraw: break
        }
        return []
    }

    /// The view found the pane cannot scroll that far up: it holds no more lines.
    public mutating func clampScroll(to maximum: Int) {
        scroll = min(scroll, max(maximum, 0))
    }

    /// Opens a conversation (wrapping around the column): what was unread there is read now.
    public mutating func select(_ index: Int) -> [ChatAction] {
        selected = (index % conversations.count + conversations.count) % conversations.count
        scroll = 0
        conversations[selected].unread = 0
        conversations[selected].mentions = 0
        let target = conversations[selected].target
        return conversations[selected].loaded ? [.markRead(target)] : [.load(target), .markRead(target)]
    }

    /// Names changed: every conversation is fetched again when next shown.
    public mutating func forgetLoaded() {
        for index in conversations.indices { conversations[index].loaded = false }
    }

    private mutating func recall(_ step: Int) {
        guard !sent.isEmpty, recalled != nil || input.isEmpty || step < 0 else { return }
        let next = (recalled ?? sent.count) + step
        guard next >= 0 else { return }
        if next >= sent.count {
            recalled = nil
            input = InputLine()
        } else {
            recalled = next
            input = sent[next]
            input.moveCursor(to: input.characters.count)
        }
    }

    private mutating func complete() {
        if var cycling = completion, let range = completed {
            cycling.chosen = (cycling.chosen + 1) % cycling.options.count
            completed = cycling.apply(to: &input, replacing: range)
            completion = cycling
            return
        }
        let rooms = conversations.compactMap(\.target.room)
        guard let started = Completion.start(in: input, people: people, rooms: rooms, commands: SlashCommand.names, me: me?.id) else { return }
        completed = started.apply(to: &input, replacing: started.range)
        completion = started
    }

    // MARK: Enter

    private mutating func submit() -> [ChatAction] {
        let typed = input.text
        guard !typed.trimmingSpaces().isEmpty else { return [] }
        let message = input.message()
        if sent.last?.text != typed { sent.append(input) }
        input = InputLine()
        scroll = 0
        // `//` at the start sends a line that begins with `/`.
        guard typed.hasPrefix("/"), !typed.hasPrefix("//") else {
            let message = typed.hasPrefix("//") ? Self.droppingFirstSlash(message) : message
            switch current.target {
            case .room(let room): return [.send(body: message.body, room: room, mentions: message.mentions)]
            case .direct(let id): return [.sendDirect(to: id, body: message.body)]
            }
        }
        switch SlashCommand.parse(typed) {
        case .failure(let refusal):
            say(refusal.message)
            return []
        case .success(let command):
            return run(command)
        }
    }

    private static func droppingFirstSlash(_ message: (body: String, mentions: [MentionSpan])) -> (body: String, mentions: [MentionSpan]) {
        (String(message.body.dropFirst()), message.mentions.map { MentionSpan(offset: $0.offset - 1, length: $0.length, id: $0.id) })
    }

    private mutating func run(_ command: SlashCommand) -> [ChatAction] {
        switch command {
        case .join(let room):
            return select(conversationIndex(.room(room), title: "#\(room)"))
        case .name(let name): return [.rename(name)]
        case .dm(let name):
            let lowered = name.lowercased()
            let found = people.filter {
                $0.id != me?.id && ($0.name.lowercased() == lowered || $0.short == lowered || $0.id == name)
            }
            guard found.count == 1, let person = found.first else {
                say(found.isEmpty ? "nobody here is called \(name) (/who lists people)" : "\(name) names several people: use their short ID")
                return []
            }
            return select(conversationIndex(.direct(id: person.id), title: person.name))
        case .who: return [.who]
        case .alias(let id, let name): return [.alias(id: id, name: name)]
        case .edit(let text):
            guard let last = lastOwnMessage(), let id = last.id else {
                say("nothing of yours to edit here")
                return []
            }
            guard let text else {
                // `/edit` alone puts the text back in the line, to change and send with Enter.
                input = InputLine("/edit \(last.body ?? "")")
                return []
            }
            return [.edit(id: id, body: text)]
        case .delete:
            guard let id = lastOwnMessage()?.id else {
                say("nothing of yours to delete here")
                return []
            }
            return [.delete(id: id)]
        case .help:
            say(Self.help)
            return []
        case .quit: return [.quit]
        }
    }

    private func lastOwnMessage() -> ChatEvent? {
        for line in current.lines.reversed() {
            if case .message(let event) = line, event.type == .message, isMine(event), event.deleted != true { return event }
        }
        return nil
    }

    static let help = """
        commands: /join ROOM · /dm NAME · /name NEW NAME · /who · /alias ID NAME · /edit [TEXT] (your last message) · /delete (your last message) · /quit
        keys: Enter sends · Up/Down recall what you sent · PgUp/PgDn scroll · Ctrl-N/Ctrl-P or Alt+Down/Alt+Up change room · Tab completes @names, /commands and rooms · Ctrl-C leaves
        """
}
