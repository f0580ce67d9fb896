import FoundationEssentials
import LanChatControl
import Testing

/// `follow` writes its events with `ChatEvent.jsonLine`; every client reads them as `JSONEncoder` would
/// have written them, so the two must agree byte for byte.
@Suite("control JSON: a follow stream's events")
struct ChatEventJSONTests {
    @Test func everyFieldAndEveryAwkwardCharacterAsJSONEncoderWritesThem() {
        var event = ChatEvent(
            type: .dm, id: RandomEvents.awkward, author: AuthorRef(id: "a/b", name: RandomEvents.awkward), room: "room\n",
            body: RandomEvents.awkward, sentAt: "2026-12-02T04:30:00.000Z", replyTo: "\"", clockAhead: false, editedAt: "x",
            deleted: true, with: AuthorRef(id: "", name: "\u{0}"))
        event.mentions = [MentionSpan(offset: -1, length: Int.max, id: "id", name: nil), MentionSpan(offset: 0, length: 0, id: "", name: "@\t")]
        event.mentionsMe = true
        #expect(event.jsonLine == Self.encoderLine(event))
    }

    @Test func theFewestFields() {
        let event = ChatEvent(type: .profile, author: AuthorRef(id: "k3j4m2", name: "Alice"))
        #expect(String(decoding: event.jsonLine, as: UTF8.self) == #"{"author":{"id":"k3j4m2","name":"Alice"},"type":"profile"}"# + "\n")
        #expect(event.jsonLine == Self.encoderLine(event))
    }

    /// Events with any field present or absent and text from the awkward characters, from a fixed seed.
    @Test func manyEventsOfAnyShape() {
        var random = RandomEvents.Generator(seed: 20261202)
        for _ in 0..<2000 {
            let event = RandomEvents.event(&random), expected = Self.encoderLine(event)
            // Bytes, not strings: strings that differ only in how an accent is composed compare equal.
            #expect(event.jsonLine == expected, "JSONEncoder wrote \(String(decoding: expected, as: UTF8.self))")
            if event.jsonLine != expected { break }
        }
    }

    @Test func anEmptyMentionListIsWrittenAsOne() {
        var event = ChatEvent(type: .message, author: AuthorRef(id: "i", name: "n"), body: "")
        event.mentions = []
        #expect(event.jsonLine == Self.encoderLine(event))
    }

    private static func encoderLine(_ event: ChatEvent) -> [UInt8] { Array((ControlJSON.encode(event) + "\n").utf8) }
}

