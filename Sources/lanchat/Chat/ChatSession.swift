import LanChatChat
import LanChatClient
import LanChatControl

/// `lanchat chat`: one loop for keys and daemon events. It feeds both to the `ChatModel`, carries out
/// the actions the model returns through the control socket, and redraws after each round.
final class ChatSession {
    /// How many messages a room or conversation shows when opened; PgUp scrolls through them.
    static let historyLimit = 1_000
    /// How often the status line's peer count is asked for again.
    static let statusEvery: Duration = .seconds(5)

    private let client: ControlClient
    private let feed: EventFeed
    private var model: ChatModel
    private var statusAsked = ContinuousClock.now

    /// Connects (the daemon must be there) before the terminal is taken over, so that a failure is a
    /// plain error line in a usable terminal.
    init(socketPath: String, room: String) throws {
        client = try ControlClient(socketPath: socketPath)
        feed = try EventFeed(socketPath: socketPath)
        model = ChatModel(room: room)
    }

    /// Until `/quit` or Ctrl-C; throws when the daemon goes away.
    func run(on view: some ChatView) throws {
        try refreshStatus()
        try refreshNames()
        if let rooms = try client.request(.rooms).rooms { model.setRooms(rooms) }
        if let conversations = try client.request(.dms).conversations { model.setDirectConversations(conversations) }
        guard try perform(model.select(model.selected)) else { return }
        var changed = true
        while true {
            // Drawn again only after something happened: an idle chat costs nothing.
            if changed { view.show(&model) }
            let keys = view.waitForKeys(otherFD: feed.wakeup, timeoutMillis: 1_000)
            var actions: [ChatAction] = []
            for key in keys { actions += model.handle(key) }
            let (events, ended) = feed.take()
            for event in events { actions += model.receive(event) }
            if let ended { throw ClientError("lost the daemon: \(ended)", status: .noDaemon) }
            guard try perform(actions) else { return }
            changed = !keys.isEmpty || !events.isEmpty
            if ContinuousClock.now - statusAsked >= Self.statusEvery {
                let before = model.status
                try refreshStatus()
                changed = changed || model.status != before
            }
        }
    }

    /// Carries out the model's actions; false when the chat is to end. A request the daemon refuses is
    /// said in the pane; a lost connection ends the chat.
    private func perform(_ actions: [ChatAction]) throws -> Bool {
        var queue = actions[...]
        // A burst of renames or of messages in the open room needs one reload and one marker, not one each.
        var done: Set<ChatAction> = []
        while let action = queue.popFirst() {
            if action == .quit { return false }
            if action == .refreshNames || action.isMarkRead, !done.insert(action).inserted { continue }
            do {
                queue += try carryOut(action)
            } catch let error as ClientError where error.status != .noDaemon {
                model.say(error.description)
            }
        }
        return true
    }

    private func carryOut(_ action: ChatAction) throws -> [ChatAction] {
        switch action {
        case .send(let body, let room, let mentions):
            return try answer(.send(body: body, room: room, mentions: mentions.isEmpty ? nil : mentions))
        case .sendDirect(let to, let body):
            return try answer(.dm(to: to, body: body))
        case .edit(let id, let body):
            return try answer(.edit(id: id, body: body))
        case .delete(let id):
            return try answer(.delete(id: id))
        case .load(let target):
            let events: [ChatEvent]
            switch target {
            case .room(let room): events = try client.request(.history(room: room, limit: Self.historyLimit)).messages ?? []
            case .direct(let id): events = try client.request(.conversation(with: id, limit: Self.historyLimit)).messages ?? []
            }
            model.loaded(target, events)
        case .markRead(let target):
            switch target {
            case .room(let room): _ = try client.request(.markRead(room: room))
            case .direct(let id): _ = try client.request(.markRead(with: id))
            }
        case .rename(let name):
            let identity = try client.request(.name(name)).identity
            model.say("you are now \(identity?.name ?? name)")
            try refreshStatus()
        case .who:
            model.showWho(try client.request(.who).identities ?? [])
        case .alias(let id, let name):
            let given = try client.request(.alias(id: id, name: name)).identities ?? []
            model.say("names given here: " + given.map(\.name).joined(separator: ", "))
            return [.refreshNames]
        case .refreshNames:
            try refreshNames()
            model.forgetLoaded()
            return [.load(model.current.target)]
        case .quit:
            break
        }
        return []
    }

    /// What a write returns is shown at once, as the stream would show it (the stream's copy is then a repeat).
    private func answer(_ command: ControlCommand) throws -> [ChatAction] {
        guard let event = try client.request(command).message else { return [] }
        return model.receive(event)
    }

    private func refreshNames() throws {
        let people = try client.request(.who).identities ?? []
        model.me = people.first { $0.isSelf == true }
        model.setPeople(people)
    }

    private func refreshStatus() throws {
        statusAsked = .now
        guard let status = try client.request(.status).status else { return }
        model.status = ChatStatus(
            name: status.name, network: status.network, peersOnline: status.peersByState.alive, networkKey: !status.networkKeys.isEmpty)
    }
}
