@testable import LanChatTerminal
import Testing

@Suite("terminal support: padding, colours, styles")
struct TerminalSupportTests {
    @Test(arguments: [
        ("\u{1B}[m\u{F}$<2>", "\u{1B}[m\u{F}"), ("$<5*/>\u{1B}[?25h", "\u{1B}[?25h"), ("a$<1.5>b$<3*>c", "abc"),
        ("$<>", "$<>"), ("$<5", "$<5"), ("$5>", "$5>"), ("$<x>", "$<x>"), ("\u{1B}[?1049l", "\u{1B}[?1049l"),
    ])
    func terminfoPaddingIsTakenOut(capability: String, written: String) {
        #expect(TerminfoPadding.removed(from: Array(capability.utf8)) == Array(written.utf8))
    }

    @Test(arguments: [
        (nil, "xterm-256color", true), ("", "xterm", true), ("1", "xterm", false), ("yes", nil, false),
        (nil, "dumb", false), (nil, nil, true),
    ] as [(String?, String?, Bool)])
    func colorIsWanted(noColor: String?, term: String?, wanted: Bool) {
        #expect(Palette.colorWanted(noColor: noColor, term: term) == wanted)
    }

    @Test func everyAuthorNumberPicksAnAuthorPair() {
        let pairs = [-7, -1, 0, 1, 5, 6, 1_000_003, Int.min, Int.max].map { Palette.pair(for: .author($0)) }
        #expect(pairs.allSatisfy { (1...Int16(Style.authorColorCount)).contains($0) })
        #expect(Palette.pair(for: .author(0)) != Palette.pair(for: .author(1)))
        #expect(Palette.pair(for: .author(0)) == Palette.pair(for: .author(Style.authorColorCount)))
        #expect(Palette.pair(for: nil) == 0)
        #expect(!pairs.contains(Palette.pair(for: .highlight)))
    }
}
