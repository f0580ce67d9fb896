import LanChatCore
import Testing

@Suite("Mentions in messages")
struct MentionTests {
    static let author = try! identity(1)
    static let bob = try! identity(2).id
    static let carol = try! identity(3).id

    /// A mentions field laid out by hand: offset, length, person, per span.
    static func field(_ spans: [(offset: UInt16, length: UInt16, person: AuthorID)]) -> [UInt8] {
        extensionBytes([(1, spans.flatMap { bigEndian($0.offset) + bigEndian($0.length) + $0.person.bytes })])
    }

    static func received(body: String, field: [UInt8]) throws -> EntryContent.Message {
        let bytes = craftedEntry(author: author, kind: 1, payload: messagePayload(body: Array(body.utf8), extensions: field))
        guard case .message(let message) = try Entry.decode(bytes).content() else { throw DecodeError.invalid(field: "kind", reason: "not a message") }
        return message
    }

    @Test func mentionsAreWrittenAsAPayloadFieldAndReadBack() throws {
        let mentions = [Mention(offset: 0, length: 4, person: Self.bob), Mention(offset: 9, length: 6, person: Self.carol)]
        let content = EntryContent.message(try EntryContent.Message(room: "general", body: "@Bob and @Carol", mentions: mentions))
        let entry = signedEntry(by: Self.author, content: content)
        #expect(entry.payload == messagePayload(body: Array("@Bob and @Carol".utf8), extensions: Self.field([(0, 4, Self.bob), (9, 6, Self.carol)])))
        #expect(try Entry.decode(entry.encoded).content() == content)
    }

    @Test func aMessageWithoutMentionsHasNoField() throws {
        let entry = signedEntry(by: Self.author, content: try message(body: "plain"))
        #expect(entry.payload == messagePayload(body: Array("plain".utf8)))
    }

    @Test func spansOutOfRangeOrCuttingACharacterAreDroppedNotTrusted() throws {
        let body = "hé @Bob"  // é is two bytes: offsets 1..<3
        let message = try Self.received(body: body, field: Self.field([
            (1, 1, Self.carol),  // ends inside é
            (4, 4, Self.bob),  // the real one
            (6, 9, Self.carol),  // overlaps the one before and runs past the end
            (8, 2, Self.carol),  // past the end
            (8, 0, Self.carol),  // empty, at the end
        ]))
        #expect(message.body == body)
        #expect(message.mentions == [Mention(offset: 4, length: 4, person: Self.bob)])
    }

    @Test func aFieldThatIsNotWholeSpansYieldsNoMentionsButTheMessageStands() throws {
        let message = try Self.received(body: "@Bob", field: extensionBytes([(1, [0, 0, 0, 4, 9])]))
        #expect(message.body == "@Bob")
        #expect(message.mentions.isEmpty)
    }

    @Test func aReaderKeepsAtMostTheLimit() throws {
        let body = String(repeating: "@B ", count: Mention.maxPerMessage + 5)
        let spans = (0..<(Mention.maxPerMessage + 5)).map { (UInt16($0 * 3), UInt16(2), Self.bob) }
        #expect(try Self.received(body: body, field: Self.field(spans)).mentions.count == Mention.maxPerMessage)
    }

    @Test func aWriterMayNotSignSpansAReaderWouldDrop() {
        let tooMany = (0...Mention.maxPerMessage).map { Mention(offset: $0, length: 1, person: Self.bob) }
        let cases: [(String, [Mention])] = [
            ("@Bob", [Mention(offset: 1, length: 9, person: Self.bob)]),
            ("é", [Mention(offset: 1, length: 1, person: Self.bob)]),
            ("@Bob @Bob", [Mention(offset: 5, length: 4, person: Self.bob), Mention(offset: 0, length: 4, person: Self.bob)]),
            (String(repeating: "x", count: 40), tooMany),
            ("@Bob", [Mention(offset: Int.max, length: Int.max, person: Self.bob)]),
            ("@Bob", [Mention(offset: -1, length: 2, person: Self.bob)]),
        ]
        for (body, mentions) in cases {
            #expect(throws: DecodeError.self) { try EntryContent.Message(room: "general", body: body, mentions: mentions) }
        }
    }

    @Test func aMessageWithMentionsAndAnUnknownFieldKeepsBoth() throws {
        let field = Self.field([(0, 4, Self.bob)]) + extensionBytes([(0x7E, [1, 2])])
        let bytes = craftedEntry(author: Self.author, kind: 1, payload: messagePayload(body: Array("@Bob".utf8), extensions: field))
        let entry = try Entry.decode(bytes)
        guard case .message(let message) = try entry.content() else { Issue.record("not a message"); return }
        #expect(message.mentions == [Mention(offset: 0, length: 4, person: Self.bob)])
        #expect(entry.encoded == bytes)
    }
}
