import LanChatControl

/// Events of any shape for tests of the event's JSON, from a fixed seed.
enum RandomEvents {
    /// Every C0 control, the characters JSON escapes, and those it need not (slash, DEL, line separators, emoji).
    static let awkward = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        + "\"\\/\u{7f}\u{2028}\u{2029}é😀\u{301}<>&' 日本"

    /// Any field present or absent, text from the awkward characters.
    static func event(_ random: inout Generator) -> ChatEvent {
        func text() -> String { random.text() }
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { random.coin() ? value() : nil }
        let kinds: [ChatEvent.Kind] = [.message, .profile, .dm]
        var event = ChatEvent(
            type: kinds[Int(random.next() % 3)], id: maybe(text()), author: AuthorRef(id: text(), name: text()), room: maybe(text()),
            body: maybe(text()), sentAt: maybe(text()), replyTo: maybe(text()), clockAhead: maybe(random.coin()),
            editedAt: maybe(text()), deleted: maybe(random.coin()), with: maybe(AuthorRef(id: text(), name: text())))
        event.mentions = maybe((0..<Int(random.next() % 3)).map { _ in
            MentionSpan(offset: Int(truncatingIfNeeded: random.next()) >> 40, length: Int(random.next() % 100), id: text(), name: maybe(text()))
        })
        event.mentionsMe = maybe(random.coin())
        return event
    }

    /// A fixed sequence of numbers, so that a failing case is the same on every run.
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }

        mutating func coin() -> Bool { next() % 2 == 0 }

        /// Up to five pieces: the awkward characters, words, an empty one.
        mutating func text() -> String {
            (0..<Int(next() % 6)).map { _ in RandomEvents.pieces[Int(next() % UInt64(RandomEvents.pieces.count))] }.joined()
        }
    }

    private static let pieces = awkward.map(String.init) + ["a", "dev", "Bob", "2026-12-02T04:30:00Z", ""]
}
