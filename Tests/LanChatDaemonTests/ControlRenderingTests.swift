import LanChatControl
import LanChatCore
@testable import LanChatDaemon
import Testing

@Suite("control shapes from Core types")
struct ControlRenderingTests {
    private func identity(_ n: UInt8) throws -> LocalIdentity {
        try LocalIdentity(seed: [UInt8](repeating: n, count: 32))
    }

    private func message(replyTo: EntryKey? = nil) throws -> EntryContent {
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
        #expect(ChatEvent(entry: sent, directory: directory)?.author.name == "User 0042")

        directory.apply(author: author.id, record: .init(name: "Alice", profileSeq: 3))
        let event = try #require(ChatEvent(entry: sent, directory: directory))
        #expect(event == ChatEvent(
            type: .message, id: "\(author.id.text)/2", author: AuthorRef(id: author.id.text, name: "Alice"),
            room: "general", body: "hello", sentAt: "2023-11-14T22:13:20.123Z", replyTo: nil))
    }

    @Test func messageFromAnUnknownAuthorShowsTheShortID() throws {
        let author = try identity(1)
        let event = ChatEvent(entry: signedEntry(by: author, content: try message()), directory: IdentityDirectory())
        #expect(event?.author == AuthorRef(id: author.id.text, name: author.id.short))
    }

    @Test func replyCarriesTheKeyText() throws {
        let key = EntryKey(author: try identity(2).id, seq: 9)
        let entry = signedEntry(by: try identity(1), content: try message(replyTo: key))
        #expect(ChatEvent(entry: entry, directory: IdentityDirectory())?.replyTo == key.text)
    }

    @Test func profileAndUnknownKinds() throws {
        let author = try identity(1)
        let profile = signedEntry(by: author, content: try EntryContent.profile(validating: "Alice"))
        let directory = IdentityDirectory(records: [author.id: .init(name: "Alice", profileSeq: 1)])
        #expect(ChatEvent(entry: profile, directory: directory) == ChatEvent(
            type: .profile, author: AuthorRef(id: author.id.text, name: "Alice")))

        let unknown = signedEntry(by: author, content: .unknown(kind: EntryKind(rawValue: 9), payload: [1]))
        #expect(ChatEvent(entry: unknown, directory: directory) == nil)
    }

    @Test func shortIDsAgreeWithCore() {
        #expect(IdentityInfo.shortLength == AuthorID.shortLength)
    }

    @Test func peerStatesAndSourcesShareCoreNames() {
        #expect(PeerState.allCases.map(\.rawValue).sorted() == PeerInfo.State.allCases.map(\.rawValue).sorted())
        #expect(PeerSource.allCases.map(\.rawValue).sorted() == PeerInfo.Source.allCases.map(\.rawValue).sorted())
        let info = PeerInfo(
            id: nil, name: nil, address: "10.0.0.2:7420", state: "suspect", lastSeen: nil, behind: nil, sources: ["mdns", "inbound"])
        #expect(info.state == .suspect)
        #expect(info.sources == [.mdns, .inbound])
    }

    @Test func networkStatusReadsTheShellsNames() {
        let status = NetworkStatus(
            name: "lanchat", port: 7420, peersByState: ["alive": 2, "offline": 1], mdns: "unavailable: no D-Bus",
            counters: ["otherNetwork": 3, "syncBytesIn": 9])
        #expect(status.peersByState.alive == 2 && status.peersByState.suspect == 0 && status.peersByState.offline == 1)
        #expect(status.mdns == .unavailable(reason: "no D-Bus"))
        #expect(status.counters.otherNetwork == 3 && status.counters.syncBytesIn == 9 && status.counters.datagramsIn == 0)
    }

    @Test func everyReplicationCounterHasAField() throws {
        let replicator = Replicator(
            configuration: .init(network: "lanchat", selfID: try identity(1).id, seed: 1), vector: VersionVector())
        #expect(Set(replicator.counters.dictionary.keys).isSubset(of: Set(StatusInfo.Counters.named.map(\.name))))
    }
}
