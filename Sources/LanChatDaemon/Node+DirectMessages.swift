import LanChatControl
import LanChatCore
import LanChatStore

/// Direct messages: sealed here for their recipient and for this identity (so it reads what it sent),
/// stored and relayed by every node like any entry, and opened only where the reader's key is.
extension Node {
    /// A direct message opened with this identity's key, with the other person of its conversation.
    struct OpenedDirectMessage {
        let stored: StoredEntry
        let body: String
        let with: AuthorID
    }

    func sendDirect(to target: String, body: String) async throws(ControlFailure) -> ChatEvent {
        let peer = try person(target)
        guard peer != directory.person(of: identity.id) else { throw ControlFailure(.badRequest, "that is you: a direct message goes to someone else") }
        // Every device of theirs and of this person reads it.
        let theirs = directory.links.devices(of: peer).compactMap(directory.dmKey(of:))
        guard !theirs.isEmpty else {
            throw ControlFailure(
                .notFound,
                "\(directory.displayName(of: peer)) has no key for direct messages yet (its profile has not arrived, or it runs an older lanchat)")
        }
        let ours = [dmKey.publicKey] + directory.links.devices(of: identity.id).compactMap(directory.dmKey(of:))
        let sealed: SealedDirectMessage
        do {
            sealed = try SealedDirectMessage.seal(body, from: identity.id, to: Array((theirs + ours).prefix(SealedDirectMessage.maxRecipients)))
        } catch {
            throw ControlFailure(.invalid, describe(error))
        }
        let entry = try await appendLocalEntry(.directMessage(sealed))
        return directEvent(entry, shownAt: entry.timestamp, body: body, with: peer)
    }

    /// The conversation with one person, oldest first (the newest `limit`); marks it read for `uid`.
    func conversation(with target: String, limit: Int, uid: UInt32) async throws(ControlFailure) -> [ChatEvent] {
        let peer = try person(target)
        let shown = try await openedDirectMessages().filter { $0.with == peer }.suffix(limit)
        try await markRead(peer, shown, uid: uid)
        return shown.map { directEvent($0.stored.entry, shownAt: $0.stored.shownAt, body: $0.body, with: $0.with) }
    }

    /// `uid` has read the whole conversation with the person `target` names.
    func markRead(with target: String, uid: UInt32) async throws(ControlFailure) {
        let peer = try person(target)
        try await markRead(peer, try await openedDirectMessages().filter { $0.with == peer }, uid: uid)
    }

    /// `uid` has read `messages` of the conversation with `peer`: up to the last of them to arrive.
    private func markRead(_ peer: AuthorID, _ messages: some Collection<OpenedDirectMessage>, uid: UInt32) async throws(ControlFailure) {
        guard let arrived = messages.map(\.stored.arrivedMillis).max() else { return }
        do {
            try await store.markDirectMessagesRead(uid: uid, peer: peer, upTo: arrived)
        } catch {
            throw ControlFailure(.storage, "could not mark the conversation read: \(error)")
        }
    }

    /// Every conversation, the most recent first, with what `uid` has not read of it.
    func conversations(uid: UInt32) async throws(ControlFailure) -> [ConversationInfo] {
        let markers: [AuthorID: UInt64]
        do {
            markers = try await store.directMessageMarkers(uid: uid)
        } catch {
            throw ControlFailure(.storage, "could not read the read markers: \(error)")
        }
        let byPeer = Dictionary(grouping: try await openedDirectMessages().filter { !muted.contains($0.with) }, by: \.with)
        return byPeer.map { peer, messages in
            let unread = messages.count {
                directory.person(of: $0.stored.entry.author, seq: $0.stored.entry.seq) == peer
                    && $0.stored.arrivedMillis > markers[peer] ?? 0
            }
            return ConversationInfo(
                with: AuthorRef(id: peer.text, name: directory.displayName(of: peer)), messages: messages.count, unread: unread,
                lastAt: Timestamps.rfc3339(millis: messages.last!.stored.shownAt.wallMillis))
        }.sorted { $0.lastAt > $1.lastAt }
    }

    /// Whether this node's person wrote `event`, on any of its devices.
    func isOwn(_ event: ChatEvent) -> Bool {
        AuthorID(text: event.author.id).map { directory.person(of: $0) == directory.person(of: identity.id) } ?? false
    }

    /// The follow event for a direct message this identity can read, or nil.
    func directEvent(for entry: Entry, shownAt: HybridTimestamp) -> ChatEvent? {
        guard let opened = open(entry) else { return nil }
        return directEvent(entry, shownAt: shownAt, body: opened.body, with: opened.with)
    }

    private func directEvent(_ entry: Entry, shownAt: HybridTimestamp, body: String, with peer: AuthorID) -> ChatEvent {
        ChatEvent(
            type: .dm, id: entry.key.text,
            author: AuthorRef(id: entry.author.text, name: directory.displayName(of: entry.author, seq: entry.seq)),
            body: body, sentAt: Timestamps.rfc3339(millis: shownAt.wallMillis), with: ref(peer))
    }

    private func openedDirectMessages() async throws(ControlFailure) -> [OpenedDirectMessage] {
        let stored: [StoredEntry]
        do {
            stored = try await store.directMessages()
        } catch {
            throw ControlFailure(.storage, "could not read direct messages: \(error)")
        }
        return stored.compactMap { stored in
            open(stored.entry).map { OpenedDirectMessage(stored: stored, body: $0.body, with: $0.with) }
        }
    }

    /// The text of a direct message addressed to this device (one this person wrote included), and the
    /// other person: the recipient for one this person wrote (found by its key in the recipients'
    /// profiles), else the author's person. A look at the recipient list first: no key agreement for
    /// others' messages.
    private func open(_ entry: Entry) -> (body: String, with: AuthorID)? {
        guard case .directMessage(let sealed)? = try? entry.content(), sealed.isAddressed(to: dmKey.publicKey),
            let body = sealed.open(with: dmKey, author: entry.author)
        else { return nil }
        let me = directory.person(of: identity.id)
        let author = directory.person(of: entry.author, seq: entry.seq)
        guard author == me else { return (body, author) }
        let recipient = sealed.recipients.lazy.compactMap { self.directory.author(ofKeyID: $0.keyID) }
            .map { self.directory.person(of: $0) }.first { $0 != me }
        return recipient.map { (body, $0) }
    }

    /// The one person `text` names (ID, short ID or display name).
    private func person(_ text: String) throws(ControlFailure) -> AuthorID {
        let found = directory.find(text)
        guard let first = found.first else { throw ControlFailure(.notFound, "nobody here is called or has the ID '\(text)' (see lanchat who)") }
        guard found.count == 1 else {
            // A name shared with someone already carries the short ID.
            let names = found.map { person in
                let name = directory.displayName(of: person)
                return name.hasSuffix("(\(person.short))") ? name : "\(name) (\(person.short))"
            }
            throw ControlFailure(.badRequest, "'\(text)' could be \(names.joined(separator: " or ")): give the ID")
        }
        return first
    }
}
