import LanChatClient
import LanChatControl
import Testing

@Suite("what the CLI prints for people")
struct HumanFormatTests {
    /// Any peer writes any text: nothing in it may steer the terminal that shows it.
    @Test func escapeSequencesAndBidiOverridesInAMessageAreShownAsReplacementCharacters() {
        let event = ChatEvent(
            type: .message, id: "x/1", author: AuthorRef(id: "x", name: "Mallory"), room: "general",
            body: "hi\u{1B}]52;c;cm0gLXJm\u{07}\u{1B}[2J\u{9B}31m \u{202E}gnp.exe\nline two\ttab", sentAt: "2026-11-29T10:00:00Z")
        let shown = HumanFormat.message(event)
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        #expect(!shown.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" })
        #expect(shown.hasSuffix("Mallory: hi\u{FFFD}]52;c;cm0gLXJm\u{FFFD}\u{FFFD}[2J\u{FFFD}31m \u{FFFD}gnp.exe\n    line two\ttab"), "a second line is indented: \(shown)")
    }

    /// Columns line up by characters, whatever a name is made of: an emoji or an accent composed of two
    /// scalars counts as one, as it counts for `count`.
    @Test func tableColumnsLineUpByCharacters() {
        let shown = HumanFormat.who([
            IdentityInfo(id: "a", name: "Bob 🍜", short: "k3j4m2", online: true, messages: 3),
            IdentityInfo(id: "b", name: "Zoe\u{301}", short: "p9x8c7", online: false, messages: 12),
            IdentityInfo(id: "c", name: "Carol Martin", short: "q1w2e3", online: true, messages: 1),
        ])
        #expect(shown.split(separator: "\n") == [
            "NAME          ID      ONLINE  MESSAGES",
            "Bob 🍜         k3j4m2  yes     3",
            "Zoe\u{301}           p9x8c7  no      12",
            "Carol Martin  q1w2e3  yes     1",
        ])
    }
}
