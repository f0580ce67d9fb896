import LanChatCore
import Testing

/// Mixed scripts: a word that mixes them is flagged, a name with one script a word is not.
@Suite("look-alike names: mixed scripts")
struct LookAlikeScriptTests {
    @Test(arguments: [
        "\u{410}lice",  // Cyrillic А, Latin lice
        "Alice \u{418}\u{432}\u{430}\u{43D}o\u{432}\u{430}",  // a Latin o in a Cyrillic word
        "\u{39F}tto",  // Greek Ο
        "Lee\u{674E}",  // Latin and Han
        "\u{3072}\u{3089}\u{D55C}",  // Hiragana and Hangul
    ])
    func aWordOfTwoScriptsIsMixed(name: String) {
        #expect(MixedScript.inSomeWord(of: name))
    }

    @Test(arguments: [
        "Alice", "Alice Smith", "\u{418}\u{432}\u{430}\u{43D}",
        "Alice \u{418}\u{432}\u{430}\u{43D}\u{43E}\u{432}\u{430}",  // Latin and Cyrillic, a word each
        "R2-D2", "Alice_99", "Zo\u{EB}", "Zoe\u{308}", "\u{1F600} Alice", "\u{1F600}Alice",  // digits, punctuation, marks, emoji go with any
        "\u{5C71}\u{7530}\u{305F}\u{308D}\u{3046}",  // Han and Hiragana (Japanese)
        "\u{30AB}\u{30BF}\u{30AB}\u{30CA}\u{6F22}\u{5B57}",  // Katakana and Han
        "\u{D55C}\u{AD6D}\u{97D3}\u{570B}",  // Hangul and Han (Korean)
        "\u{3105}\u{3106}\u{6F22}",  // Bopomofo and Han
    ])
    func oneScriptAWordIsNot(name: String) {
        #expect(!MixedScript.inSomeWord(of: name))
    }
}
