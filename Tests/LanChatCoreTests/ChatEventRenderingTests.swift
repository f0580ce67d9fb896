import LanChatCore
import Testing

@Suite("ChatEvent rendering")
struct ChatEventRenderingTests {
    @Test func messageShowsTheCurrentNameAfterARename() throws {
        let author = try identity(1)
        let sent = signedEntry(
            by: author, seq: 2, timestamp: HybridTimestamp(wallMillis: 1_700_000_000_123, counter: 5).rawValue,
            content: try message(room: "general", body: "hello"))
        var directory = IdentityDirectory()
        directory.apply(author: author.id, record: .init(name: "User 0042", profileSeq: 1))
        #expect(ChatEvent(entry: sent, directory: directory)?.author.name == "User 0042")

        directory.apply(author: author.id, record: .init(name: "Alice", profileSeq: 3))
        let event = try #require(ChatEvent(entry: sent, directory: directory))
        #expect(event == ChatEvent(
            type: "message", id: "\(author.id.text)/2", author: AuthorRef(id: author.id.text, name: "Alice"),
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
            type: "profile", author: AuthorRef(id: author.id.text, name: "Alice")))

        let unknown = signedEntry(by: author, content: .unknown(kind: EntryKind(rawValue: 9), payload: [1]))
        #expect(ChatEvent(entry: unknown, directory: directory) == nil)
    }

    @Test(arguments: [
        (0 as UInt64, "1970-01-01T00:00:00.000Z"), (1_700_000_000_123, "2023-11-14T22:13:20.123Z"),
        (951_782_400_007, "2000-02-29T00:00:00.007Z"),
    ])
    func timestampsAreRFC3339InUTC(millis: UInt64, text: String) {
        #expect(Timestamps.rfc3339(millis: millis) == text)
    }
}
