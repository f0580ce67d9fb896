import FoundationEssentials
import LanChatControl
import Testing

/// `follow` writes its events with `ChatEvent.jsonLine`; every client reads them as `JSONEncoder` would
/// have written them, so the two must agree byte for byte.
@Suite("control JSON: a follow stream's events")
struct ChatEventJSONTests {
    /// Every C0 control, the characters JSON escapes, and those it need not (slash, DEL, line separators, emoji).
    static let awkward = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        + "\"\\/\u{7f}\u{2028}\u{2029}é😀\u{301}<>&' 日本"

    @Test func everyFieldAndEveryAwkwardCharacterAsJSONEncoderWritesThem() {
        var event = ChatEvent(
            type: .dm, id: Self.awkward, author: AuthorRef(id: "a/b", name: Self.awkward), room: "room\n",
            body: Self.awkward, sentAt: "2026-12-02T04:30:00.000Z", replyTo: "\"", clockAhead: false, editedAt: "x",
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
        var random = Xorshift(seed: 20261202)
        for _ in 0..<2000 {
            let event = Self.randomEvent(&random), expected = Self.encoderLine(event)
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

    private static func randomEvent(_ random: inout Xorshift) -> ChatEvent {
        let pieces = Self.awkward.map(String.init) + ["a", "Bob", "2026-12-02T04:30:00Z", ""]
        func text() -> String { (0..<Int(random.next() % 6)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined() }
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { random.next() % 2 == 0 ? value() : nil }
        let kinds: [ChatEvent.Kind] = [.message, .profile, .dm]
        var event = ChatEvent(
            type: kinds[Int(random.next() % 3)], id: maybe(text()), author: AuthorRef(id: text(), name: text()), room: maybe(text()),
            body: maybe(text()), sentAt: maybe(text()), replyTo: maybe(text()), clockAhead: maybe(random.next() % 2 == 0),
            editedAt: maybe(text()), deleted: maybe(random.next() % 2 == 0), with: maybe(AuthorRef(id: text(), name: text())))
        event.mentions = maybe((0..<Int(random.next() % 3)).map { _ in
            MentionSpan(offset: Int(truncatingIfNeeded: random.next()) >> 40, length: Int(random.next() % 100), id: text(), name: maybe(text()))
        })
        event.mentionsMe = maybe(random.next() % 2 == 0)
        return event
    }
}

/// A fixed sequence of numbers, so that a failing case is the same on every run.
private struct Xorshift {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
