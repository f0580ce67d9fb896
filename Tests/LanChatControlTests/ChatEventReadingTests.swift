import FoundationEssentials
import LanChatControl
import Testing

/// Clients read `follow` lines with `ChatEvent(jsonLine:)`, and with `JSONDecoder` whatever it leaves:
/// it must read every line the daemon writes as `JSONDecoder` does, and leave every other line.
@Suite("control JSON: reading a follow stream's events")
struct ChatEventReadingTests {
    private static func line(_ event: ChatEvent) -> String { String(decoding: event.jsonLine.dropLast(), as: UTF8.self) }

    private static func decoded(_ line: String) -> ChatEvent? { try? ControlJSON.decode(ChatEvent.self, from: line) }

    @Test func manyEventsOfAnyShapeReadAsJSONDecoderReadsThem() {
        var random = RandomEvents.Generator(seed: 20261203)
        for _ in 0..<2000 {
            let event = RandomEvents.event(&random), line = Self.line(event)
            let read = ChatEvent(jsonLine: line)
            #expect(read == event && read == Self.decoded(line), "\(line)")
            if read != event { break }
        }
    }

    @Test func everyFieldAndTheExtremeNumbers() {
        var event = ChatEvent(
            type: .dm, id: "i", author: AuthorRef(id: "a", name: RandomEvents.awkward), room: "r", body: RandomEvents.awkward,
            sentAt: "s", replyTo: "p", clockAhead: true, editedAt: "e", deleted: false, with: AuthorRef(id: "w", name: ""))
        event.mentions = [MentionSpan(offset: Int.max, length: 0, id: "x"), MentionSpan(offset: -Int.max, length: 10, id: "y", name: "n")]
        event.mentionsMe = false
        #expect(ChatEvent(jsonLine: Self.line(event)) == event)
    }

    /// Escapes `jsonLine` never writes but JSON allows, of whole scalars, read as JSONDecoder reads them.
    @Test func otherEscapesOfWholeScalars() {
        let line = #"{"author":{"id":"\u0041\/","name":"\u00e9\u65e5"},"body":"\/\b","type":"message"}"#
        #expect(ChatEvent(jsonLine: line) != nil)
        #expect(ChatEvent(jsonLine: line) == Self.decoded(line))
    }

    /// What the daemon does not write is left to JSONDecoder, which reads some of it and refuses the rest.
    @Test(arguments: [
        #"{"author": {"id":"a","name":"b"},"type":"message"}"#, // a space
        #"{"author":{"id":"a","name":"b"},"body":null,"type":"message"}"#, // a null
        #"{"author":{"id":"a","name":"b"},"future":1,"type":"message"}"#, // a key of a later release
        #"{"type":"message","author":{"id":"a","name":"b"}}"#, // keys out of order
        #"{"author":{"id":"a","name":"b"},"body":"\ud83d\ude00","type":"message"}"#, // a surrogate pair
        #"{"author":{"id":"a","name":"b"},"body":"\ud800","type":"message"}"#, // a lone surrogate
        #"{"author":{"id":"a","name":"b"},"mentions":[{"id":"x","length":01,"offset":0}],"type":"message"}"#, // a leading zero
        #"{"author":{"id":"a","name":"b"},"mentions":[{"id":"x","length":1.5,"offset":0}],"type":"message"}"#, // a fraction
        #"{"author":{"id":"a","name":"b"},"type":"shout"}"#, // a kind this release does not know
        #"{"author":{"id":"a","name":"b"},"type":"message"}x"#, // more after the object
        #"{"author":{"id":"a","name":"b"},"type":"message""#, // cut short
        #"{"author":{"id":"a"},"type":"message"}"#, // a field missing
        "",
    ])
    func leavesWhatTheDaemonDoesNotWrite(line: String) {
        #expect(ChatEvent(jsonLine: line) == nil)
    }

    @Test func theLinesJSONDecoderReadsOfThoseAboveItStillReads() {
        #expect(Self.decoded(#"{"author": {"id":"a","name":"b"},"type":"message"}"#)?.author.name == "b")
        #expect(Self.decoded(#"{"author":{"id":"a","name":"b"},"body":"\ud83d\ude00","type":"message"}"#)?.body == "😀")
    }
}
