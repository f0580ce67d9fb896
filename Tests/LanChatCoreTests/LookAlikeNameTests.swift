import LanChatCore
import Testing

/// How names read (`NameLook`): in either case, and from their first letters.
@Suite("look-alike names: how a name reads")
struct LookAlikeNameTests {
    @Test func caseIsFoldedWithoutLosingTheCapitalI() {
        #expect(NameLook("ALICE").resembles(NameLook("Alice")))
        #expect(NameLook("alice").resembles(NameLook("Al\u{200B}ice")))
        #expect(NameLook("AIice").resembles(NameLook("Alice")))
        #expect(!NameLook("Lia").resembles(NameLook("Ila")))
        #expect(!NameLook("Alice").resembles(NameLook("Alicia")))
    }

    @Test func aNameStartsLikeTheMarkItCouldPassFor() {
        let mark = NameLook("~")
        #expect(NameLook("~Robert").starts(like: mark))
        #expect(NameLook("\u{2DC}Robert").starts(like: mark), "small tilde")
        #expect(NameLook("\u{200B}\u{223C}Robert").starts(like: mark), "tilde operator behind a zero-width space")
        #expect(!NameLook("Robert~").starts(like: mark))
    }
}
