import LanChatControl
import LanChatCore
@testable import LanChatDaemon
import Testing

@Suite("control shapes from Core types")
struct ControlRenderingTests {
    /// The node the events are rendered for.
    private let viewer = try! LocalIdentity(seed: [UInt8](repeating: 9, count: 32)).id

    private func identity(_ n: UInt8) throws -> LocalIdentity {
        try LocalIdentity(seed: [UInt8](repeating: n, count: 32))
    }

    private func message(replyTo: EntryRef? = nil) throws -> EntryContent {
        .message(try EntryContent.Message(room: "general", body: "hello", replyTo: replyTo))
    }

    private func signedEntry(
        by author: LocalIdentity, seq: UInt64 = 1, timestamp: UInt64 = 1_700_000_000_000 << 16, content: EntryContent
    ) -> Entry {
        Entry.sign(by: author, seq: seq, timestamp: HybridTimestamp(rawValue: timestamp), content: content)
    }

    @Test func messageShowsTheCurrentNameAfterARename() throws {
        let author = try identity(1)
        let sent = signedEntry(
            by: author, seq: 2, timestamp: HybridTimestamp(wallMillis: 1_700_000_000_123, counter: 5).rawValue,
            content: try message())
        var directory = IdentityDirectory()
        directory.apply(author: author.id, record: .init(name: "User 0042", profileSeq: 1))
        #expect(ChatEvent(entry: sent, directory: directory, me: viewer)?.author.name == "User 0042")

        directory.apply(author: author.id, record: .init(name: "Alice", profileSeq: 3))
        let event = try #require(ChatEvent(entry: sent, directory: directory, me: viewer))
        #expect(event == ChatEvent(
            type: .message, id: "\(author.id.text)/2", author: AuthorRef(id: author.id.text, name: "Alice"),
            room: "general", body: "hello", sentAt: "2023-11-14T22:13:20.123Z", replyTo: nil))
    }

    @Test func messageFromAnUnknownAuthorShowsTheShortID() throws {
        let author = try identity(1)
        let event = ChatEvent(entry: signedEntry(by: author, content: try message()), directory: IdentityDirectory(), me: viewer)
        #expect(event?.author == AuthorRef(id: author.id.text, name: author.id.short))
    }

    /// People see the `<author>/<seq>` form of what a reply points at, not its hash.
    @Test func replyCarriesTheKeyText() throws {
        let ref = EntryRef(author: try identity(2).id, seq: 9, hash: EntryHash(of: [9]))
        let entry = signedEntry(by: try identity(1), content: try message(replyTo: ref))
        #expect(ChatEvent(entry: entry, directory: IdentityDirectory(), me: viewer)?.replyTo == ref.key.text)
    }

    @Test func profileAndUnknownKinds() throws {
        let author = try identity(1)
        let profile = signedEntry(by: author, content: try EntryContent.profile(validating: "Alice", dmKey: nil))
        let directory = IdentityDirectory(records: [author.id: .init(name: "Alice", profileSeq: 1)])
        #expect(ChatEvent(entry: profile, directory: directory, me: viewer) == ChatEvent(
            type: .profile, author: AuthorRef(id: author.id.text, name: "Alice")))

        let unknown = signedEntry(by: author, content: .unknown(kind: EntryKind(rawValue: 9), payload: [1]))
        #expect(ChatEvent(entry: unknown, directory: directory, me: viewer) == nil)
    }

    /// A mention shows the person's name now, not the text the author typed, and spans the name shown.
    @Test func aMentionShowsTheCurrentNameInPlace() throws {
        let author = try identity(1)
        let bob = try identity(2).id
        let body = "hi @Bobby, and é @me"
        let mentions = [Mention(offset: 3, length: 6, person: bob), Mention(offset: 18, length: 3, person: viewer)]
        let sent = signedEntry(by: author, content: .message(try EntryContent.Message(room: "general", body: body, mentions: mentions)))
        var directory = IdentityDirectory()
        directory.apply(author: bob, record: .init(name: "Robert 漢字", profileSeq: 1))
        directory.apply(author: viewer, record: .init(name: "Me", profileSeq: 1))
        let event = try #require(ChatEvent(entry: sent, directory: directory, me: viewer))
        #expect(event.body == "hi @Robert 漢字, and é @Me")
        #expect(event.mentions == [
            MentionSpan(offset: 3, length: 14, id: bob.text, name: "Robert 漢字"),
            MentionSpan(offset: 26, length: 3, id: viewer.text, name: "Me"),
        ])
        #expect(event.mentionsMe == true)
        #expect(ChatEvent(entry: sent, directory: directory, me: author.id)?.mentionsMe == nil)
    }

    @Test func shortIDsAgreeWithCore() {
        #expect(IdentityInfo.shortLength == AuthorID.shortLength)
    }

    @Test(arguments: PeerState.allCases)
    func peerStatesKeepTheirNames(state: PeerState) {
        #expect(PeerInfo.State(state).rawValue == state.rawValue)
    }

    @Test(arguments: PeerSource.allCases)
    func peerSourcesKeepTheirNames(source: PeerSource) {
        #expect(PeerInfo.Source(source).rawValue == source.rawValue)
    }

    /// Every replication counter reaches `status` under its own field: each gets a distinct value.
    @Test func everyReplicationCounterReachesItsField() {
        var counters = ReplicationCounters()
        let fields: [WritableKeyPath<ReplicationCounters, UInt64>] = [
            \.datagramsIn, \.datagramsOut, \.datagramBytesOut, \.pushesOut, \.entriesPushedIn, \.duplicates, \.pushesShed, \.dropped,
            \.otherNetwork, \.otherVersion, \.rateLimited, \.syncsStarted, \.syncsFailed, \.syncsCompleted, \.inboundSyncs,
            \.inboundSyncsRefused, \.entriesSyncedIn, \.entriesSyncedOut, \.syncBytesIn, \.addressesRefused, \.sendErrors, \.payloadsFetched,
            \.unauthenticated, \.replayed, \.wantsOut, \.entriesServed,
        ]
        for (value, field) in fields.enumerated() { counters[keyPath: field] = UInt64(value + 1) }
        let status = StatusInfo.Counters(counters)
        let reported = Set(StatusInfo.Counters.named.map { status[keyPath: $0.value] })
        #expect(reported == Set((1...UInt64(fields.count))))
        #expect(StatusInfo.Counters.named.count == fields.count)
    }
}
