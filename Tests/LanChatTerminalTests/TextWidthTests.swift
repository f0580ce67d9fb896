import CNcurses
@testable import LanChatTerminal
import Testing

@Suite("text width in terminal columns")
struct TextWidthTests {
    @Test(arguments: [
        ("", 0), ("hello", 5), ("漢字", 4), ("a漢b", 4), ("e\u{301}", 1), ("cafe\u{301}", 4),
        ("한국어", 6), ("\u{1100}\u{1161}\u{11A8}", 2), ("zero\u{200B}width", 9), ("🇫🇷", 2),
        ("👨\u{200D}👩\u{200D}👧", 2), ("👍🏽", 2), ("a\tb", 3), ("bell\u{7}", 5), ("\u{301}", 0),
    ])
    func columns(text: String, columns: Int) {
        #expect(TextWidth.columns(of: text) == columns)
    }

    @Test func aStringCountsWhatItsClustersCount() {
        let text = "x漢e\u{301}👨\u{200D}👩\u{200D}👧\u{1}"
        #expect(TextWidth.columns(of: text) == text.reduce(0) { $0 + TextWidth.columns(of: $1) })
        #expect(text.map(TextWidth.columns(of:)) == [1, 2, 1, 2, 1])
    }

    /// What reaches the terminal takes as many columns as counted, on any terminal.
    @Test(arguments: [
        ("plain", "plain"), ("e\u{301}", "e\u{301}"), ("漢字", "漢字"),
        // A joined emoji shows as its first one, which takes the 2 columns it is counted as.
        ("👨\u{200D}👩\u{200D}👧!", "👨!"), ("👍🏽", "👍"), ("🇫🇷", "🇫🇷"),
        // Nothing invisible or unsized reaches the terminal.
        ("a\u{1B}[2Jb", "a\u{FFFD}[2Jb"), ("\r\n", "\u{FFFD}"), ("\u{85}", "\u{FFFD}"), ("\u{378}", "\u{FFFD}"),
        ("tab\there", "tab here"), ("\u{301}x", "x"),
    ])
    func shown(text: String, shown: String) {
        #expect(TextWidth.shown(text) == shown)
        #expect(TextWidth.columns(of: shown) == TextWidth.columns(of: text))
    }

    @Test(arguments: [
        ("hello", 3, "hel"), ("hello", 5, "hello"), ("hello", 9, "hello"), ("hello", 0, ""), ("hello", -1, ""),
        ("漢字", 3, "漢"), ("漢字", 1, ""), ("e\u{301}e\u{301}", 1, "e\u{301}"),
        ("a👨\u{200D}👩\u{200D}👧", 2, "a"), ("a👨\u{200D}👩\u{200D}👧", 3, "a👨\u{200D}👩\u{200D}👧"),
    ])
    func fit(text: String, columns: Int, fitted: String) {
        #expect(TextWidth.fit(text, columns: columns) == fitted)
    }

    @Test func measuringLeavesTheThreadsLocaleAlone() {
        _ = TextWidth.columns(of: "漢")
        // Outside a UTF-8 locale glibc sizes nothing past ASCII; the test process runs in C.
        #expect(wcwidth(0x6F22) == -1)
    }
}
