import LanChatTerminal
import Testing

@Suite("word wrap by terminal columns")
struct WrapTests {
    @Test(arguments: [
        ("", 10, [""]),
        ("hello world", 20, ["hello world"]),
        ("hello world", 5, ["hello", "world"]),
        ("hello world", 8, ["hello", "world"]),
        ("one two three four", 9, ["one two", "three", "four"]),
        ("a  b", 1, ["a", "b"]),
        ("lots   of   space", 6, ["lots", "of", "space"]),
        ("  indented text", 10, ["  indented", "text"]),
        ("trailing   ", 20, ["trailing"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("see https://example.com/a/long/path now", 12, ["see", "https://exam", "ple.com/a/lo", "ng/path now"]),
        ("no\u{A0}break here", 8, ["no\u{A0}break", "here"]),
    ])
    func wraps(text: String, columns: Int, lines: [String]) {
        #expect(TextWidth.wrap(text, columns: columns) == lines)
    }

    @Test func newlinesAreKept() {
        #expect(TextWidth.wrap("first\nsecond line\n\nlast", columns: 6) == ["first", "second", "line", "", "last"])
        #expect(TextWidth.wrap("a\r\nb\n", columns: 6) == ["a", "b", ""])
    }

    @Test(arguments: 1...9)
    func cjkNeverExceedsTheWidth(columns: Int) {
        let text = "漢字かな交じり文とEnglish words、そして長い文章です。"
        let lines = TextWidth.wrap(text, columns: columns)
        #expect(lines.allSatisfy { TextWidth.columns(of: $0) <= columns })
        if columns >= 2 {
            #expect(lines.joined() == text.filter { $0 != " " })
        }
    }

    @Test func anOddWidthLeavesAColumnRatherThanSplitAWideCharacter() {
        #expect(TextWidth.wrap("漢字漢字", columns: 3) == ["漢", "字", "漢", "字"])
        #expect(TextWidth.wrap("a漢字", columns: 3) == ["a漢", "字"])
    }

    @Test func clustersAreNeverSplit() {
        let text = "e\u{301}e\u{301}e\u{301} 👨\u{200D}👩\u{200D}👧👍🏽🇫🇷"
        let lines = TextWidth.wrap(text, columns: 2)
        #expect(lines == ["e\u{301}e\u{301}", "e\u{301}", "👨\u{200D}👩\u{200D}👧", "👍🏽", "🇫🇷"])
    }

    @Test func whatCannotBeShownIsLeftOut() {
        #expect(TextWidth.wrap("a漢b", columns: 1) == ["a", "b"])
        #expect(TextWidth.wrap("anything", columns: 0) == [])
    }

    @Test func everyLineFitsWhateverTheWidth() {
        let text = "Réunion à 14h — 会議室B\nbring the 📎 and 👩\u{200D}💻, thanks!\tok"
        for columns in 1...40 {
            #expect(TextWidth.wrap(text, columns: columns).allSatisfy { TextWidth.columns(of: $0) <= columns })
        }
    }
}
