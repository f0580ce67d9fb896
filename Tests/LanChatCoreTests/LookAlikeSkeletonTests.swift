import LanChatCore
import Testing

/// Skeletons (TR39, with nonspacing marks dropped too): look-alikes share one, different names do not.
@Suite("look-alike names: skeletons")
struct LookAlikeSkeletonTests {
    /// Each left name passes for the right one.
    static let confusable: [(String, String)] = [
        ("\u{430}nna", "anna"),  // Cyrillic а
        ("P\u{435}ter", "Peter"),  // Cyrillic е
        ("B\u{43E}b", "Bob"),  // Cyrillic о
        ("\u{440}aul", "paul"),  // Cyrillic р
        ("\u{441}arol", "carol"),  // Cyrillic с
        ("Ma\u{445}", "Max"),  // Cyrillic х
        ("\u{39F}tto", "Otto"),  // Greek Ο
        ("A1ice", "Alice"), ("AIice", "Alice"),  // 1 and capital I read as l
        ("B0b", "BOb"),  // 0 reads as O
        ("Marny", "Mamy"),  // rn reads as m
        ("Al\u{200D}ice", "Alice"), ("Ali\u{200B}ce", "Alice"), ("\u{FEFF}Alice", "Alice"),  // zero-width joiner, space, no-break space
        ("Alice\u{301}", "Alice"), ("A\u{30A}lice", "Alice"), ("\u{C5}lice", "Alice"),  // combining marks, written or composed
        ("Al\u{336}\u{336}ice", "Alice"),  // a stack of overlays
        ("\u{FF21}lice", "Alice"), ("\u{1D400}lice", "Alice"),  // fullwidth, mathematical bold
    ]

    @Test(arguments: confusable)
    func lookAlikesShareASkeleton(lookAlike: String, name: String) {
        #expect(Skeleton.of(lookAlike) == Skeleton.of(name))
    }

    @Test(arguments: [("Alice", "Alicia"), ("Bob", "Rob"), ("Anna", "Anne"), ("Sam", "Pam"), ("Ivan", "\u{418}\u{432}\u{430}\u{43D}")])
    func differentNamesDoNot(one: String, other: String) {
        #expect(Skeleton.of(one) != Skeleton.of(other))
    }

    @Test func aSkeletonIsTheLatinPrototype() {
        #expect(Skeleton.of("\u{410}lice") == "Alice")
        #expect(Skeleton.of("m") == "rn")
    }
}
