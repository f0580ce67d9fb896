import LanChatControl
import LanChatCore
import LanChatStore

// Core knows nothing of the control protocol; these build its shapes from Core's types.

extension ChatEvent {
    /// A stored entry as people see it: the author's name comes from the identity table now,
    /// not from when the entry was written. Nil for kinds that are not shown. `shownAt` is when
    /// history places it (its arrival, where the author's clock ran ahead).
    /// `me`: this node's identity, whose person a mention may name.
    init?(entry: Entry, shownAt: HybridTimestamp? = nil, directory: IdentityDirectory, me: AuthorID) {
        let author = AuthorRef(id: entry.author.text, name: directory.displayName(of: entry.author, seq: entry.seq))
        let shownAt = shownAt ?? entry.timestamp
        switch try? entry.content() {
        case .message(let message):
            let shown = MentionRendering(message, directory: directory)
            self.init(
                type: .message, id: entry.key.text, author: author, room: message.room, body: shown.body,
                sentAt: Timestamps.rfc3339(millis: shownAt.wallMillis), replyTo: message.replyTo?.key.text,
                clockAhead: shownAt != entry.timestamp ? true : nil)
            if !shown.spans.isEmpty {
                mentions = shown.spans
                if directory.mentions(message, person: me) { mentionsMe = true }
            }
        case .profile:
            self.init(type: .profile, author: author)
        // As `follow` streams them: the message they change, under its own ID. Anyone else's are no change.
        case .delete(let target) where target.author == entry.author:
            self.init(type: .message, id: target.key.text, author: author, sentAt: Timestamps.rfc3339(millis: shownAt.wallMillis), deleted: true)
        case .edit(let target, let body) where target.author == entry.author:
            self.init(type: .message, id: target.key.text, author: author, body: body, editedAt: Timestamps.rfc3339(millis: shownAt.wallMillis))
        case .delete, .edit, .directMessage, .link, .unlink, .unknown, nil:
            return nil
        }
    }
}

extension IdentityInfo {
    /// A person: by its first device's ID, with every device's when it has several.
    init(author: AuthorID, directory: IdentityDirectory) {
        let person = directory.person(of: author)
        let devices = directory.links.devices(of: person)
        self.init(id: person.text, name: directory.displayName(of: person), short: person.short)
        if devices.count > 1 { self.devices = devices.map(\.text) }
    }
}

extension PeerInfo.State {
    init(_ state: PeerState) {
        switch state {
        case .alive: self = .alive
        case .suspect: self = .suspect
        case .offline: self = .offline
        }
    }
}

extension PeerInfo.Source {
    init(_ source: PeerSource) {
        switch source {
        case .configured: self = .configured
        case .exchange: self = .exchange
        case .inbound: self = .inbound
        case .mdns: self = .mdns
        case .remembered: self = .remembered
        }
    }
}

extension StatusInfo.Counters {
    init(_ counters: ReplicationCounters) {
        self.init()
        datagramsIn = counters.datagramsIn
        datagramsOut = counters.datagramsOut
        datagramBytesOut = counters.datagramBytesOut
        pushesOut = counters.pushesOut
        entriesPushedIn = counters.entriesPushedIn
        duplicates = counters.duplicates
        pushesShed = counters.pushesShed
        dropped = counters.dropped
        otherNetwork = counters.otherNetwork
        otherVersion = counters.otherVersion
        rateLimited = counters.rateLimited
        addressesRefused = counters.addressesRefused
        sendErrors = counters.sendErrors
        syncsStarted = counters.syncsStarted
        syncsFailed = counters.syncsFailed
        syncsCompleted = counters.syncsCompleted
        inboundSyncs = counters.inboundSyncs
        inboundSyncsRefused = counters.inboundSyncsRefused
        entriesSyncedIn = counters.entriesSyncedIn
        entriesSyncedOut = counters.entriesSyncedOut
        syncBytesIn = counters.syncBytesIn
        payloadsFetched = counters.payloadsFetched
        unauthenticated = counters.unauthenticated
        replayed = counters.replayed
        wantsOut = counters.wantsOut
        entriesServed = counters.entriesServed
    }
}

extension ForkState {
    init(_ fork: AuthorSummary.Fork) {
        switch fork {
        case .open: self = .open
        case .closed: self = .closed
        }
    }
}
